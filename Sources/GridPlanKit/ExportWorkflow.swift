import Foundation
import GridPlanGeometry
import GridPlanGeometryValues
import GridPlanIO
import GridPlanModel

/// `gridplan export`: a plan's layers for mapping tools and people.
public enum ExportWorkflow {
    public enum Format: String, CaseIterable, Sendable {
        case geojson, gpkg, csv, html, shp, xlsx
    }

    public static let layerNames = [
        "grids", "microgrids", "units", "buildings", "staff", "assignments", "sites", "vessels", "ports", "routes",
    ]

    /// Writes the layers; returns one line per file written.
    public static func run(
        plan path: String, format: Format, layers requested: [String]? = nil, crs crsText: String? = nil, out: String,
        staff: String? = nil, byteOrderMark: Bool = false, encoding: String? = nil,
        progress: @escaping @Sendable (String) -> Void = { _ in }
    ) throws -> [String] {
        let shapefileEncoding = try exportEncoding(encoding, format: format)
        if let staff, format != .html {
            throw InputError(
                rule: "arguments.staff",
                "--staff \(staff) is read only for --format html (the report); leave it out, or add --format html")
        }
        if format == .html {
            let bytes = try ReportWorkflow.run(plan: path, out: out, staff: staff, progress: progress)
            return ["\(out) (\(bytes) bytes)"]
        }
        // By default every layer; staff and assignments only when the plan has been staffed.
        var names = requested ?? layerNames
        for name in names where !layerNames.contains(name) {
            throw InputError(
                rule: "arguments.layers", "--layers: \"\(name)\" is not a layer (\(layerNames.joined(separator: ", ")))"
            )
        }
        let crs: CRS
        do {
            crs = try crsText.map(CRS.init(parsing:)) ?? .wgs84
        } catch {
            throw InputError(rule: "arguments.crs", "--crs: \(error)")
        }
        // First, as its PROJ error names the problem ("crs not found").
        let converter = try WGS84Converter(crs)
        // The GeoPackage SRS: WGS84, or an EPSG code PROJ can describe. GCJ-02 has no code.
        var srs: (id: Int32, name: String, wkt: String?) = (4326, "WGS 84", nil)
        if format == .gpkg || format == .shp {
            switch crs {
            case .wgs84: break
            case .gcj02:
                throw InputError(
                    rule: "arguments.crs",
                    "--crs gcj02: GCJ-02 has no EPSG code for a GeoPackage or a Shapefile's .prj; use --format "
                        + "geojson or csv for Amap/Tencent"
                )
            case .proj(let definition):
                guard definition.uppercased().hasPrefix("EPSG:"), let code = Int32(definition.dropFirst(5)) else {
                    throw InputError(
                        rule: "arguments.crs",
                        "--crs \(definition): a GeoPackage or Shapefile export needs an EPSG code (EPSG:n)")
                }
                let described = try CRSDefinition(definition)
                srs = (code, described.name, described.wkt)
            }
        }
        let file = try PlanFile.locate(path)
        progress("reading \(file)")
        let store = try PlanStore.open(file)
        let batch = PlanFile.outputs(plan: file, inputs: staff.map { [$0] } ?? [])
        defer { batch.discard() }
        var layers: [ExportLayer] = []
        let units = try store.units()
        let unitNames = Dictionary(units.map { ($0.unit.code, $0.unit.name) }, uniquingKeysWith: { a, _ in a })
        // The staffing layers (up to 200,000 points) are read only when a requested layer needs them.
        let staffing = names.contains("staff") || names.contains("assignments") ? try store.staffingLayers() : []
        if requested == nil && staffing.allSatisfy({ $0.features.isEmpty }) {
            names.removeAll { $0 == "staff" || $0 == "assignments" }
        }
        // Sampling sites of the last `gridplan testing` round; by default only when there is one.
        let testing = names.contains("sites") ? try store.testingLayers() : []
        if requested == nil && testing.allSatisfy({ $0.features.isEmpty }) { names.removeAll { $0 == "sites" } }
        // Vessels, ports and routes of the last `gridplan recall`; by default only when there is one.
        let recallNames: Set<String> = ["vessels", "ports", "routes"]
        let recall = names.contains(where: recallNames.contains) ? try store.recallLayers() : []
        if requested == nil && recall.allSatisfy({ $0.features.isEmpty }) {
            names.removeAll { recallNames.contains($0) }
        }
        for name in names {
            switch name {
            case "grids": layers.append(PlanLayers.grids(try store.grids(), unitNames: unitNames))
            case "microgrids": layers.append(PlanLayers.microGrids(try store.microGrids()))
            case "units": layers.append(PlanLayers.units(units))
            case "buildings": layers.append(PlanLayers.buildings(try store.buildings()))
            case "sites": layers.append(testing[0])
            case "vessels", "ports", "routes": layers.append(recall.first { $0.name == name }!)
            default: layers.append(staffing.first { $0.name == name }!)
            }
        }
        if crs != .wgs84 {
            progress("converting to \(crs)")
            for l in layers.indices {
                for f in layers[l].features.indices {
                    layers[l].features[f].geometry = try layers[l].features[f].geometry.map(converter.fromWGS84)
                }
            }
        }
        var written: [String] = []
        // Shapefile and Excel exports are made by GDAL in a scratch folder, then staged.
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent(
            "gridplan-export-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        ).path
        if format == .shp || format == .xlsx {
            try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        }
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        switch format {
        case .gpkg:
            progress("writing \(out)")
            try ReportWorkflow.refuseToReplacePlan(out)
            try batch.build(out, rule: "export.unwritable") { stage in
                try GeoPackageWriter.write(layers, srsID: srs.id, srsName: srs.name, definition: srs.wkt, at: stage)
            }
            try batch.commit(journalIn: PlanFile.folder(of: out))
            written.append("\(out): " + layers.map { "\($0.name) (\($0.features.count))" }.joined(separator: ", "))
        case .geojson:
            try batch.folder(out)
            // RFC 7946 allows only WGS84; other CRSs keep the legacy `crs` member GDAL reads.
            let member: String? =
                if case .proj(let d) = crs, d.uppercased().hasPrefix("EPSG:") {
                    "urn:ogc:def:crs:EPSG::\(d.dropFirst(5))"
                } else { nil }
            for layer in layers {
                let target = "\(out)/\(layer.name).geojson"
                let writer = GeoJSONWriter(decimals: crs == .wgs84 || crs == .gcj02 ? 7 : 3)
                try batch.write(writer.encode(layer.features, name: layer.name, crsName: member), to: target)
                written.append("\(target) (\(layer.features.count) features)")
            }
            try batch.commit(journalIn: out)
        case .csv:
            try batch.folder(out)
            let context = try GEOSContext()
            for layer in layers {
                let target = "\(out)/\(layer.name).csv"
                let rows = PlanLayers.csvRows(layer, context: context)
                try batch.write(
                    CSVWriter(byteOrderMark: byteOrderMark).encode(header: rows.header, rows: rows.rows), to: target)
                written.append("\(target) (\(rows.rows.count) rows)")
            }
            try batch.commit(journalIn: out)
        case .shp:
            progress("writing \(out)")
            guard out.lowercased().hasSuffix(".zip") else {
                throw InputError(
                    rule: "arguments.out", "--out \(out): a Shapefile export is one zip file; name it e.g. plan.shp.zip"
                )
            }
            var count = 0
            try batch.build(out, rule: "export.unwritable") { stage in
                count = try OGRExport.shapefileZip(
                    layers, crs: "EPSG:\(srs.id)", encoding: shapefileEncoding, at: stage, scratch: scratch)
            }
            try batch.commit(journalIn: PlanFile.folder(of: out))
            written.append(
                "\(out): \(count) Shapefile\(count == 1 ? "" : "s") (\(shapefileEncoding)), "
                    + layers.map { "\($0.name) (\($0.features.count))" }.joined(separator: ", ") + ", fields.csv")
        case .xlsx:
            progress("writing \(out)")
            try ReportWorkflow.refuseToReplacePlan(out)
            let context = try GEOSContext()
            try batch.build(out, rule: "export.unwritable") { stage in
                try OGRExport.workbook(layers, at: stage, scratch: scratch, context: context)
            }
            try batch.commit(journalIn: PlanFile.folder(of: out))
            written.append(
                "\(out): " + layers.map { "sheet \($0.name) (\($0.features.count) rows)" }.joined(separator: ", "))
        case .html:
            break
        }
        return written
    }

    /// `--encoding` of a Shapefile export: UTF-8 (default) or GBK; refused for other formats.
    static func exportEncoding(_ text: String?, format: Format) throws -> String {
        guard let text else { return "UTF-8" }
        guard format == .shp else {
            throw InputError(rule: "arguments.encoding", "--encoding applies to --format shp only")
        }
        switch text.uppercased() {
        case "UTF-8", "UTF8": return "UTF-8"
        case "GBK", "CP936", "GB2312": return "GBK"
        default:
            throw InputError(rule: "arguments.encoding", "--encoding: \"\(text)\" is not UTF-8 or GBK")
        }
    }
}
