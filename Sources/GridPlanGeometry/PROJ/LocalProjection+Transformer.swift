import GridPlanGeometryValues

extension LocalProjection {
    /// A transformer WGS84 lon/lat → this projection: the pipeline PROJ itself builds for
    /// EPSG:4326 → ``definition`` (same ellipsoid, so a conversion only), given directly so that
    /// no database search runs for every worker (tests compare the two).
    public func makeTransformer() throws -> CoordinateTransformer {
        try CoordinateTransformer(
            pipeline: "+proj=pipeline +step +proj=unitconvert +xy_in=deg +xy_out=rad "
                + "+step +proj=laea +lat_0=\(centre.y) +lon_0=\(centre.x) +x_0=0 +y_0=0 +ellps=WGS84",
            source: "EPSG:4326", target: definition)
    }
}
