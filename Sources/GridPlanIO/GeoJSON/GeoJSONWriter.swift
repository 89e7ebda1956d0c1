import Foundation
import GridPlanGeometryValues
import GridPlanModel

/// A feature to write.
public struct GeoJSONFeature: Sendable {
    public var id: PropertyValue?
    public var properties: Properties
    public var geometry: Geometry?

    public init(id: PropertyValue? = nil, properties: Properties, geometry: Geometry?) {
        self.id = id
        self.properties = properties
        self.geometry = geometry
    }
}

/// Writes RFC 7946 GeoJSON: a FeatureCollection, exteriors counter-clockwise and holes
/// clockwise, at most `decimals` decimals (7 ≈ 1 cm; nil for exact doubles), properties in the order given, no
/// `crs` member, one feature per line so diffs stay readable. Output is byte-identical for
/// identical input.
public struct GeoJSONWriter: Sendable {
    /// Decimals of coordinates; nil writes full double precision (exact round trip).
    public var decimals: Int?

    public init(decimals: Int? = 7) {
        self.decimals = decimals
    }

    /// `crsName` writes the pre-RFC 7946 `crs` member (for coordinates that are not WGS84,
    /// so GDAL still knows them); leave it nil for RFC 7946 output.
    public func encode(_ features: [GeoJSONFeature], name: String? = nil, crsName: String? = nil) -> Data {
        var out = JSONText()
        out.raw("{\"type\":\"FeatureCollection\"")
        if let name {
            out.raw(",\"name\":")
            out.string(name)
        }
        if let crsName {
            out.raw(",\"crs\":{\"type\":\"name\",\"properties\":{\"name\":")
            out.string(crsName)
            out.raw("}}")
        }
        out.raw(",\"features\":[")
        for (i, feature) in features.enumerated() {
            out.raw(i == 0 ? "\n" : ",\n")
            out.raw("{\"type\":\"Feature\"")
            if let id = feature.id {
                out.raw(",\"id\":")
                out.value(id)
            }
            out.raw(",\"properties\":")
            out.value(.object(feature.properties))
            out.raw(",\"geometry\":")
            if let g = feature.geometry {
                geometry(g.rightHandRule(), into: &out)
            } else {
                out.raw("null")
            }
            out.raw("}")
        }
        out.raw("\n]}\n")
        return Data(out.bytes)
    }

    /// Encodes and writes atomically.
    public func write(_ features: [GeoJSONFeature], to path: String, name: String? = nil, crsName: String? = nil) throws
    {
        try AtomicFile.write(encode(features, name: name, crsName: crsName), to: path)
    }

    private func position(_ p: Position, into out: inout JSONText) {
        out.raw("[")
        out.coordinate(p.x, decimals: decimals)
        out.raw(",")
        out.coordinate(p.y, decimals: decimals)
        out.raw("]")
    }

    private func positions(_ ps: [Position], into out: inout JSONText) {
        out.raw("[")
        for (i, p) in ps.enumerated() {
            if i > 0 { out.raw(",") }
            position(p, into: &out)
        }
        out.raw("]")
    }

    private func nested(_ lists: [[Position]], into out: inout JSONText) {
        out.raw("[")
        for (i, l) in lists.enumerated() {
            if i > 0 { out.raw(",") }
            positions(l, into: &out)
        }
        out.raw("]")
    }

    private func geometry(_ g: Geometry, into out: inout JSONText) {
        out.raw("{\"type\":\"\(g.typeName)\",")
        switch g {
        case .point(let p):
            out.raw("\"coordinates\":")
            position(p, into: &out)
        case .multiPoint(let ps), .lineString(let ps):
            out.raw("\"coordinates\":")
            positions(ps, into: &out)
        case .multiLineString(let ls), .polygon(let ls):
            out.raw("\"coordinates\":")
            nested(ls, into: &out)
        case .multiPolygon(let polys):
            out.raw("\"coordinates\":[")
            for (i, poly) in polys.enumerated() {
                if i > 0 { out.raw(",") }
                nested(poly, into: &out)
            }
            out.raw("]")
        case .collection(let members):
            out.raw("\"geometries\":[")
            for (i, m) in members.enumerated() {
                if i > 0 { out.raw(",") }
                geometry(m, into: &out)
            }
            out.raw("]")
        }
        out.raw("}")
    }
}
