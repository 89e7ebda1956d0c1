import Foundation

/// A coordinate reference system as users name it on the command line or in a file.
public enum CRS: Sendable, Hashable, CustomStringConvertible {
    /// WGS84 longitude/latitude (OGC:CRS84, the only CRS of RFC 7946 GeoJSON).
    case wgs84
    /// GCJ-02 longitude/latitude of Amap, Tencent and DataV.
    case gcj02
    /// Anything PROJ understands: "EPSG:4547", a PROJ string, WKT.
    case proj(String)

    /// Parses "wgs84", "gcj02", "EPSG:4547", "urn:ogc:def:crs:EPSG::4326", "+proj=...".
    public init(parsing text: String) throws {
        let t = text.trimmingCharacters(in: .whitespaces)
        let lower = t.lowercased()
        switch lower {
        case "wgs84", "wgs-84", "epsg:4326", "crs84", "ogc:crs84", "urn:ogc:def:crs:ogc:1.3:crs84",
            "urn:ogc:def:crs:ogc::crs84", "urn:ogc:def:crs:epsg::4326", "urn:ogc:def:crs:epsg:6.6:4326":
            self = .wgs84
        case "gcj02", "gcj-02", "gcj_02", "amap", "tencent":
            self = .gcj02
        case "":
            throw GeometryLibraryError.invalidArgument("empty CRS name")
        default:
            if lower.hasPrefix("urn:ogc:def:crs:epsg:"), let code = t.split(separator: ":").last, Int(code) != nil {
                self = .proj("EPSG:\(code)")
            } else if let digits = Int(t) {
                self = digits == 4326 ? .wgs84 : .proj("EPSG:\(digits)")
            } else {
                self = .proj(t)
            }
        }
    }

    public var description: String {
        switch self {
        case .wgs84: "WGS84 (EPSG:4326, lon/lat)"
        case .gcj02: "GCJ-02 (lon/lat)"
        case .proj(let s): s
        }
    }
}
