import ArgumentParser
import Foundation
import GridPlanKit

extension GridPlanCommand {
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export",
            abstract:
                "Export a plan's layers: GeoJSON (RFC 7946), GeoPackage (with R-tree index), CSV lists or the HTML "
                + "report.",
            discussion: """
                Layers: grids, microgrids, units, buildings, staff, assignments (default: all; staff and assignments \
                once `gridplan staff` has run on the plan). geojson and csv write one file per layer into the --out \
                folder; gpkg writes one GeoPackage; shp writes one zip of Shapefiles (field names cut to 10 \
                characters, fields.csv maps them back; --encoding GBK for older tools); xlsx writes one workbook \
                with a sheet per layer; html writes the report (as `gridplan report`). --crs gcj02 writes \
                Amap/Tencent coordinates (GeoJSON, CSV); --crs EPSG:n reprojects (GeoJSON then carries a legacy `crs` \
                member, as RFC 7946 allows only WGS84).
                """)

        @Option(help: "The plan: a `gridplan partition` output folder or its plan.gpkg.")
        var plan: String

        @Option(help: "geojson, gpkg, csv, html, shp (a zip of Shapefiles) or xlsx (a workbook, a sheet per layer).")
        var format: String

        @Option(help: "With shp: the text encoding of the .dbf files, UTF-8 (default) or GBK.")
        var encoding: String?

        @Option(
            help: ArgumentHelp(
                "Comma-separated layers: grids,microgrids,units,buildings,staff,assignments,sites (sampling sites of "
                    + "the last `gridplan testing`),vessels,ports,routes (of the last `gridplan recall`).")
        )
        var layers: String?

        @Option(help: "Output CRS: wgs84 (default), gcj02, or EPSG:n.")
        var crs: String?

        @Option(help: "Output folder (geojson, csv) or file (gpkg, html).")
        var out: String

        @Option(help: "With html: a `gridplan staff` output folder (default: the staffing stored in the plan).")
        var staff: String?

        @Flag(help: "Start CSV files with a UTF-8 byte-order mark, so Excel and WPS show Chinese names.")
        var bom = false

        func run() throws {
            do {
                guard let format = ExportWorkflow.Format(rawValue: format.lowercased()) else {
                    throw ValidationError("--format must be one of geojson, gpkg, csv, html, shp, xlsx")
                }
                let names = layers?.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter {
                    !$0.isEmpty
                }
                if let names, names.isEmpty {
                    throw CommandSupport.argumentError(
                        "layers",
                        "--layers is empty; name at least one layer (e.g. --layers grids,microgrids) or leave the "
                            + "option out for the default layers"
                    )
                }
                let written = try ExportWorkflow.run(
                    plan: plan, format: format, layers: names, crs: crs, out: out, staff: staff, byteOrderMark: bom,
                    encoding: encoding,
                    progress: progress)
                for line in written { try say("wrote \(line)") }
            } catch let error as ValidationError {
                throw error
            } catch {
                throw fail(error)
            }
        }
    }
}
