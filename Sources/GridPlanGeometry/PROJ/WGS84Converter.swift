import GridPlanGeometryValues

/// Moves whole geometries between a CRS and WGS84 lon/lat, including GCJ-02 which PROJ lacks.
/// Not `Sendable` (it may own a PROJ context).
public final class WGS84Converter {
    public let crs: CRS
    private let transformer: CoordinateTransformer?

    public init(_ crs: CRS) throws {
        self.crs = crs
        switch crs {
        case .wgs84, .gcj02: transformer = nil
        case .proj(let definition): transformer = try CoordinateTransformer(from: definition, to: "EPSG:4326")
        }
    }

    /// Converts from this CRS to WGS84.
    public func toWGS84(_ geometry: Geometry) throws -> Geometry {
        switch crs {
        case .wgs84: return geometry
        case .gcj02: return geometry.mapPositions(GCJ02.toWGS84)
        case .proj: return try transformer!.transform(geometry)
        }
    }

    /// Converts from WGS84 to this CRS.
    public func fromWGS84(_ geometry: Geometry) throws -> Geometry {
        switch crs {
        case .wgs84: return geometry
        case .gcj02: return geometry.mapPositions(GCJ02.fromWGS84)
        case .proj: return try transformer!.transform(geometry, inverse: true)
        }
    }
}
