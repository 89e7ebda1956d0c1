import CPROJ
import GridPlanGeometryValues

/// What PROJ knows about a CRS: its OGC WKT 1 (for a GeoPackage's gpkg_spatial_ref_sys) and
/// its name.
public struct CRSDefinition: Sendable {
    public let wkt: String
    public let name: String
    /// Whether coordinates are angles (longitude/latitude), not metres or feet.
    public let isGeographic: Bool

    /// Looks `definition` ("EPSG:4547") up in PROJ's database.
    public init(_ definition: String) throws {
        // proj_context_create returns NULL when out of memory.
        guard let context = proj_context_create() else {
            throw GeometryLibraryError.proj(function: "proj_context_create", code: 0, messages: [])
        }
        defer { proj_context_destroy(context) }
        // Passing no log function keeps PROJ quiet on stderr; errors are read back by errno.
        proj_log_level(context, PJ_LOG_NONE)
        // proj_create returns NULL when the definition is unknown.
        guard let crs = proj_create(context, definition) else {
            let code = proj_context_errno(context)
            let text = proj_context_errno_string(context, code).map { String(cString: $0) }
            throw GeometryLibraryError.proj(
                function: "proj_create(\(definition))", code: code, messages: text.map { [$0] } ?? [])
        }
        defer { proj_destroy(crs) }
        // proj_as_wkt returns NULL when the object cannot be written as WKT 1; the text belongs to `crs`.
        guard let text = proj_as_wkt(context, crs, PJ_WKT1_GDAL, nil) else {
            throw GeometryLibraryError.proj(
                function: "proj_as_wkt(\(definition))", code: proj_context_errno(context), messages: [])
        }
        wkt = String(cString: text)
        // proj_get_name returns NULL for an unnamed object; the text belongs to `crs`.
        name = proj_get_name(crs).map { String(cString: $0) } ?? definition
        // proj_get_type never fails; a bound or compound CRS is judged by its WKT's outer keyword.
        let type = proj_get_type(crs)
        isGeographic =
            type == PJ_TYPE_GEOGRAPHIC_2D_CRS || type == PJ_TYPE_GEOGRAPHIC_3D_CRS || type == PJ_TYPE_GEOGRAPHIC_CRS
            || (type == PJ_TYPE_BOUND_CRS && wkt.hasPrefix("GEOGCS"))
    }
}
