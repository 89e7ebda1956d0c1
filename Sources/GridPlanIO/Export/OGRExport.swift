import Foundation
import GridPlanGeometry
import GridPlanGeometryValues
import GridPlanModel

/// Exports through GDAL for the tools offices use: a zipped Shapefile set (one `.shp` per layer,
/// `.cpg` saying the encoding, field names cut to the 10 characters dBASE allows, and
/// `fields.csv` mapping them back), and an Excel workbook with one sheet per list.
public enum OGRExport {
    /// Field names of at most 10 ASCII characters, unique within the layer (`compactness` →
    /// `compactnes`; a clash gets a number: `population` and `populatio2`).
    static func shortNames(_ names: [String]) -> [String] {
        var used = Set<String>(), out: [String] = []
        for name in names {
            var short = String(name.prefix(10))
            var n = 2
            while used.contains(short.lowercased()) {
                let suffix = String(n)
                short = String(name.prefix(10 - suffix.count)) + suffix
                n += 1
            }
            used.insert(short.lowercased())
            out.append(short)
        }
        return out
    }

    static func kind(_ type: ExportLayer.ColumnType) -> OGRTable.Kind {
        switch type {
        case .text: .text
        case .integer: .integer
        case .real: .real
        }
    }

    /// A property as an OGR value of its column's kind.
    static func value(_ v: PropertyValue?, _ kind: OGRTable.Kind) -> OGRFieldValue? {
        switch (v, kind) {
        case (nil, _), (.null?, _): return nil
        case (.bool(let b)?, _): return kind == .text ? .text(b ? "1" : "0") : .integer(b ? 1 : 0)
        case (.number(let n)?, .integer) where n.rounded() == n && abs(n) < 9e18: return .integer(Int64(n))
        case (.number(let n)?, .text): return .text(PlanLayers.text(.number(n)))
        case (.number(let n)?, _): return .real(n)
        case (.string(let s)?, .text): return .text(s)
        case (.string(let s)?, .integer): return Int64(s).map(OGRFieldValue.integer) ?? .text(s)
        case (.string(let s)?, .real): return Double(s).map(OGRFieldValue.real) ?? .text(s)
        case (let other?, _): return .text(PlanLayers.text(other))
        }
    }

    /// The layer as OGR tables: one, or for a layer of mixed points and footprints (buildings)
    /// one of footprints and one `<name>_points`, as a Shapefile holds one geometry type.
    static func ogrTables(_ layer: ExportLayer, fieldNames: [String]) -> [OGRTable] {
        let kinds = layer.columns.map { kind($0.type) }
        func table(_ name: String, _ type: String, _ features: [GeoJSONFeature]) -> OGRTable {
            OGRTable(
                name: name, geometryType: type, fields: Array(zip(fieldNames, kinds)),
                rows: features.map { f in
                    let lookup = Dictionary(f.properties, uniquingKeysWith: { a, _ in a })
                    return zip(layer.columns, kinds).map { value(lookup[$0.0.name], $0.1) }
                }, geometries: features.map(\.geometry))
        }
        guard layer.geometryType == "GEOMETRY" else { return [table(layer.name, layer.geometryType, layer.features)] }
        let points = layer.features.filter { $0.geometry?.isPuntal ?? false }
        let areas = layer.features.filter { !($0.geometry?.isPuntal ?? false) }
        var out: [OGRTable] = []
        if !areas.isEmpty || points.isEmpty { out.append(table(layer.name, "MULTIPOLYGON", areas)) }
        if !points.isEmpty { out.append(table(layer.name + "_points", "POINT", points)) }
        return out
    }

    /// Writes a zipped Shapefile set at `path`: per layer `.shp .shx .dbf .prj .cpg`, and
    /// `fields.csv` (layer, field, shapefile_field). `encoding` is "UTF-8" or "GBK".
    public static func shapefileZip(
        _ layers: [ExportLayer], crs: String, encoding: String, at path: String, scratch: String
    ) throws -> Int {
        var mapping = [["layer", "field", "shapefile_field"]]
        var tables: [OGRTable] = []
        for layer in layers {
            let short = shortNames(layer.columns.map(\.name))
            for (long, s) in zip(layer.columns.map(\.name), short) { mapping.append([layer.name, long, s]) }
            tables += ogrTables(layer, fieldNames: short)
        }
        let folder = scratch + "/shapefiles"
        try OGRWriter.write(
            tables, driver: "ESRI Shapefile", to: folder, crs: crs, layerOptions: ["ENCODING=\(encoding)"])
        let fields = scratch + "/fields.csv"
        try CSVWriter(byteOrderMark: true).encode(header: mapping[0], rows: Array(mapping.dropFirst()))
            .write(to: URL(fileURLWithPath: fields))
        var files: [(name: String, path: String)] = []
        for table in tables {
            for ext in ["shp", "shx", "dbf", "prj", "cpg"] {
                let file = "\(folder)/\(table.name).\(ext)"
                if FileManager.default.fileExists(atPath: file) { files.append(("\(table.name).\(ext)", file)) }
            }
        }
        files.append(("fields.csv", fields))
        try OGRWriter.zip(files, to: path)
        return tables.count
    }

    /// Writes an Excel workbook at `path`: one sheet per layer, its columns then x and y (a
    /// point inside each feature, as in the CSV lists).
    public static func workbook(
        _ layers: [ExportLayer], at path: String, scratch: String, context: GEOSContext
    ) throws {
        let tables = layers.map { layer -> OGRTable in
            let kinds = layer.columns.map { kind($0.type) }
            return OGRTable(
                name: layer.name, geometryType: nil,
                fields: Array(zip(layer.columns.map(\.name), kinds)) + [("x", .real), ("y", .real)],
                rows: layer.features.map { f in
                    let lookup = Dictionary(f.properties, uniquingKeysWith: { a, _ in a })
                    let point = PlanLayers.listPoint(f.geometry, context: context)
                    let xy = [point?.x, point?.y].map { $0.flatMap { value(PlanLayers.rounded($0, 7), .real) } }
                    return zip(layer.columns, kinds).map { value(lookup[$0.0.name], $0.1) } + xy
                })
        }
        // GDAL's XLSX driver wants the extension, and GDAL's zip paths end at the first ".xlsx" in
        // a path (the stage's name holds one): write in the scratch folder, then move.
        let named = scratch + "/workbook.xlsx"
        try OGRWriter.write(tables, driver: "XLSX", to: named, crs: nil)
        try FileManager.default.moveItem(atPath: named, toPath: path)
    }
}
