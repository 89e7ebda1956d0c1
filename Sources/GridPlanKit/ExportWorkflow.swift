import Foundation
import GridPlanGeometry
import GridPlanGeometryValues
import GridPlanIO
import GridPlanModel

/// `gridplan export`: a plan's layers for mapping tools and people.
public enum ExportWorkflow {
    public enum Format: String, CaseIterable, Sendable {
        case geojson, gpkg, csv, html
    }

    public static let layerNames = [
        "grids", "microgrids", "units", "buildings", "staff", "assignments", "sites", "vessels", "ports", "routes",
    ]

    /// Writes the layers; returns one line per file written.
    public static func run(
        plan path: String, format: Format, layers requested: [String]? = nil, crs crsText: String? = nil, out: String,
        staff: String? = nil, byteOrderMark: Bool = false, progress: @escaping @Sendable (String) -> Void = { _ in }
    ) throws -> [String] {
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
        if format == .gpkg {
            switch crs {
            case .wgs84: break
            case .gcj02:
                throw InputError(
                    rule: "arguments.crs",
                    "--crs gcj02: GCJ-02 has no EPSG code for a GeoPackage; use --format geojson or csv for "
                        + "Amap/Tencent"
                )
            case .proj(let definition):
                guard definition.uppercased().hasPrefix("EPSG:"), let code = Int32(definition.dropFirst(5)) else {
                    throw InputError(
                        rule: "arguments.crs", "--crs \(definition): a GeoPackage needs an EPSG code (EPSG:n)")
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
        case .html:
            break
        }
        return written
    }
}
