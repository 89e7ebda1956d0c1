import CPROJ
import GridPlanGeometryValues

/// Distances on the WGS84 ellipsoid, by PROJ's geodesic routines (Karney's algorithms,
/// accurate to a few nanometres). Use them for every length a user reads in metres or
/// kilometres; a sphere is off by up to 0.5 % depending on direction.
public enum Geodesic {
    /// WGS84 semi-major axis (m) and flattening.
    static let wgs84: geod_geodesic = {
        var g = geod_geodesic()
        geod_init(&g, 6_378_137, 1 / 298.257_223_563)
        return g
    }()

    /// The geodesic distance in metres between two lon/lat positions (degrees).
    public static func metres(_ a: Position, _ b: Position) -> Double {
        if a == b { return 0 }
        var g = wgs84
        var s12 = 0.0
        geod_inverse(&g, a.y, a.x, b.y, b.x, &s12, nil, nil)
        return s12
    }

    /// The length in metres of a polyline of lon/lat positions, leg by leg.
    public static func length(of points: [Position]) -> Double {
        var total = 0.0
        for k in points.indices.dropFirst() { total += metres(points[k - 1], points[k]) }
        return total
    }
}
