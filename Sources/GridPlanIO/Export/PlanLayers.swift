import Foundation
import GridPlanGeometry
import GridPlanGeometryValues
import GridPlanModel

/// A plan's layers as flat attribute tables with geometry: the same names in GeoJSON,
/// GeoPackage and CSV (lists become text: violations joined by ",", notes by "; ").
public enum PlanLayers {
    public static func grids(_ grids: [Grid], unitNames: [String: String]) -> ExportLayer {
        ExportLayer(
            name: "grids", description: "Grids (网格): comprehensive, dedicated and maritime",
            geometryType: "MULTIPOLYGON",
            columns: [
                ("code", .text), ("unit_code", .text), ("unit_name", .text), ("kind", .text), ("households", .integer),
                ("population", .integer),
                ("area_m2", .real), ("compactness", .real), ("band", .text), ("violations", .text), ("notes", .text),
                ("buildings", .integer),
            ],
            features: grids.map { g in
                GeoJSONFeature(
                    properties: [
                        ("code", .string(g.code)), ("unit_code", .string(g.unitCode)),
                        ("unit_name", .string(unitNames[g.unitCode] ?? "")),
                        ("kind", .string(g.kind.rawValue)), ("households", number(g.households)),
                        ("population", number(g.population)),
                        ("area_m2", rounded(g.areaSquareMetres, 1)), ("compactness", rounded(g.compactness, 4)),
                        ("band", .string(g.band.rawValue)),
                        ("violations", .string(g.violations.joined(separator: ","))),
                        ("notes", .string(g.notes.joined(separator: "; "))),
                        ("buildings", g.buildings.map(number) ?? .null),
                    ], geometry: .multiPolygon(g.geometry.polygons))
            })
    }

    public static func microGrids(_ micro: [MicroGrid]) -> ExportLayer {
        ExportLayer(
            name: "microgrids", description: "Micro-grids (微网格)", geometryType: "MULTIPOLYGON",
            columns: [
                ("code", .text), ("grid_code", .text), ("households", .integer), ("population", .integer),
                ("area_m2", .real), ("band", .text),
                ("buildings", .integer),
            ],
            features: micro.map { m in
                GeoJSONFeature(
                    properties: [
                        ("code", .string(m.code)), ("grid_code", .string(m.gridCode)),
                        ("households", number(m.households)),
                        ("population", number(m.population)), ("area_m2", rounded(m.areaSquareMetres, 1)),
                        ("band", .string(m.band.rawValue)),
                        ("buildings", m.buildings.map(number) ?? .null),
                    ], geometry: .multiPolygon(m.geometry.polygons))
            })
    }

    public static func units(_ units: [StoredUnit]) -> ExportLayer {
        ExportLayer(
            name: "units",
            description: "Territorial units: counties, towns, villages, communities, compounds, parks, sea areas",
            geometryType: "MULTIPOLYGON",
            columns: [
                ("code", .text), ("name", .text), ("kind", .text), ("parent", .text), ("households", .integer),
                ("population", .integer),
                ("urban", .integer), ("area_m2", .real),
            ],
            features: units.map { s in
                let u = s.unit
                return GeoJSONFeature(
                    properties: [
                        ("code", .string(u.code)), ("name", .string(u.name)), ("kind", .string(u.kind.rawValue)),
                        ("parent", u.parent.map(PropertyValue.string) ?? .null),
                        ("households", u.households.map(number) ?? .null),
                        ("population", u.population.map(number) ?? .null),
                        ("urban", .bool(u.urban)), ("area_m2", rounded(s.areaSquareMetres, 1)),
                    ], geometry: .multiPolygon(u.geometry.polygons))
            })
    }

    public static func buildings(_ buildings: [StoredBuilding]) -> ExportLayer {
        ExportLayer(
            name: "buildings", description: "Buildings (points or footprints) with households and population",
            geometryType: "GEOMETRY",
            columns: [
                ("building_id", .text), ("unit_code", .text), ("households", .integer), ("population", .integer),
                ("footprint_m2", .real),
            ],
            features: buildings.map { s in
                GeoJSONFeature(
                    properties: [
                        ("building_id", .string(s.building.id)),
                        ("unit_code", s.unitCode.map(PropertyValue.string) ?? .null),
                        ("households", s.building.households.map(number) ?? .null),
                        ("population", s.building.population.map(number) ?? .null),
                        ("footprint_m2", s.footprintSquareMetres.map { rounded($0, 1) } ?? .null),
                    ], geometry: s.building.geometry)
            })
    }

    /// CSV rows: the layer's columns, then a point inside each feature (x/lon, y/lat) in the
    /// layer's CRS, so a list can be opened in a spreadsheet and still placed on a map.
    /// A feature GEOS cannot find a point in gets empty x and y.
    public static func csvRows(_ layer: ExportLayer, context: GEOSContext) -> (header: [String], rows: [[String]]) {
        let header = layer.columns.map(\.name) + ["x", "y"]
        let rows = layer.features.map { f in
            let lookup = Dictionary(f.properties, uniquingKeysWith: { a, _ in a })
            var row = layer.columns.map { text(lookup[$0.name]) }
            if let p = listPoint(f.geometry, context: context) {
                row += [String(format: "%.7f", p.x), String(format: "%.7f", p.y)]
            } else {
                row += ["", ""]
            }
            return row
        }
        return (header, rows)
    }

    /// The point a list gives for a feature (x, y): one inside it; nil when GEOS finds none.
    static func listPoint(_ geometry: Geometry?, context: GEOSContext) -> Position? {
        guard let geometry else { return nil }
        return try? NativeGeometry(geometry, in: context).interiorPoint()
    }

    static func text(_ v: PropertyValue?) -> String {
        switch v {
        case nil, .null?: ""
        case .bool(let b)?: b ? "1" : "0"
        case .number(let n)?: n.rounded() == n && abs(n) < 1e15 ? String(Int(n)) : String(n)
        case .string(let s)?: s
        case .array(let a)?: a.map { text($0) }.joined(separator: ",")
        case .object?: ""
        }
    }

    static func number(_ n: Int) -> PropertyValue { .number(Double(n)) }

    static func rounded(_ v: Double, _ decimals: Int) -> PropertyValue {
        let scale = pow(10, Double(decimals))
        return .number((v * scale).rounded() / scale)
    }
}
