import Foundation
import GridPlanGeometryValues
import GridPlanTestSupport
import Testing

@Suite struct ExportCommandTests {
    let ogr2ogr = "/usr/bin/ogr2ogr", ogrinfo = "/usr/bin/ogrinfo"

    func features(_ path: String) throws -> [[String: Any]] {
        let json =
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
        return json["features"] as! [[String: Any]]
    }

    /// GeoPackage: every layer with its count, WGS84, an R-tree index GDAL uses, and ogr2ogr
    /// converts it (and our GeoJSON) with no error or warning.
    @Test(.enabled(if: Tool.gdal, "needs GDAL (ogrinfo, ogr2ogr from Debian gdal-bin; setup.sh installs it)"))
    func geoPackageAndGeoJSONAreReadByGDALWithoutWarnings() throws {
        let (plan, folder) = try jiangmenTownPlan("export-gdal")
        let gpkg = folder.appendingPathComponent("plan-export.gpkg").path
        let r = try CLI.run(["export", "--plan", plan, "--format", "gpkg", "--out", gpkg])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        let grids = try features(plan + "/grids.geojson").count,
            micro = try features(plan + "/microgrids.geojson").count
        let info = try runProgram(ogrinfo, ["-so", "-ro", gpkg, "grids"])
        #expect(
            info.output.contains("Feature Count: \(grids)") && info.output.contains("ID[\"EPSG\",4326]"),
            "\(info.output)")
        #expect(try runProgram(ogrinfo, ["-so", "-ro", gpkg, "microgrids"]).output.contains("Feature Count: \(micro)"))
        let index = try runProgram(
            ogrinfo, ["-ro", gpkg, "-sql", "SELECT HasSpatialIndex('grids', 'geom') AS indexed"])
        #expect(index.output.contains("HasSpatialIndex (Integer) = 1"), "\(index.output)")
        for (source, layer) in [(gpkg, "grids"), (gpkg, "microgrids"), (gpkg, "units")] {
            let target = folder.appendingPathComponent("ogr-\(layer).geojson").path
            let c = try runProgram(ogr2ogr, ["-f", "GeoJSON", target, source, layer])
            #expect(c.status == 0 && c.output.isEmpty, "ogr2ogr \(layer): \(c.output)")
            #expect(try features(target).count > 0)
        }
        let geojson = folder.appendingPathComponent("geojson").path
        #expect(
            try CLI.run(["export", "--plan", plan, "--format", "geojson", "--layers", "grids,units", "--out", geojson])
                .status == 0)
        let back = folder.appendingPathComponent("from-geojson.gpkg").path
        let c = try runProgram(ogr2ogr, ["-f", "GPKG", back, geojson + "/grids.geojson"])
        #expect(c.status == 0 && c.output.isEmpty, "ogr2ogr from our GeoJSON: \(c.output)")
        #expect(try runProgram(ogrinfo, ["-so", "-ro", back, "grids"]).output.contains("Feature Count: \(grids)"))
    }

    /// GeoJSON → import → export gives the same units: the same coordinates (7 decimals) and
    /// properties, except area_m2, which import measures again on the rounded coordinates
    /// (it moves by up to 2 m² in 0.14 km²).
    @Test func geoJSONRoundTripsThroughImport() throws {
        let (plan, folder) = try jiangmenTownPlan("export-roundtrip")
        let first = folder.appendingPathComponent("first").path, second = folder.appendingPathComponent("second").path
        #expect(
            try CLI.run(["export", "--plan", plan, "--format", "geojson", "--layers", "units", "--out", first]).status
                == 0)
        let reimported = folder.appendingPathComponent("reimported.gpkg").path
        let i = try CLI.run(["import", first + "/units.geojson", "--plan", reimported, "--no-gaps"])
        #expect(i.status == 0, "\(i.stdout)\(i.stderr)")
        #expect(
            try CLI.run(["export", "--plan", reimported, "--format", "geojson", "--layers", "units", "--out", second])
                .status == 0)
        let a = try features(first + "/units.geojson"), b = try features(second + "/units.geojson")
        #expect(a.count == 27 && b.count == 27)
        func canonical(_ f: [String: Any]) throws -> (text: String, area: Double) {
            var f = f, properties = f["properties"] as! [String: Any]
            let area = properties.removeValue(forKey: "area_m2") as! Double
            f["properties"] = properties
            return (
                String(decoding: try JSONSerialization.data(withJSONObject: f, options: [.sortedKeys]), as: UTF8.self),
                area
            )
        }
        for (x, y) in zip(a, b) {
            let p = try canonical(x), q = try canonical(y)
            #expect(p.text == q.text)
            #expect(abs(p.area - q.area) <= 1e-4 * p.area, "\(p.area) vs \(q.area)")
        }
    }

    /// GCJ-02 output is the WGS84 output moved by the GCJ-02 offset; a GeoPackage in GCJ-02 is
    /// refused (no EPSG code) and nothing is written.
    @Test func gcj02OutputAndRefusal() throws {
        let (plan, folder) = try jiangmenTownPlan("export-gcj02")
        let wgs = folder.appendingPathComponent("wgs").path, gcj = folder.appendingPathComponent("gcj").path
        #expect(
            try CLI.run(["export", "--plan", plan, "--format", "geojson", "--layers", "grids", "--out", wgs]).status
                == 0)
        #expect(
            try CLI.run([
                "export", "--plan", plan, "--format", "geojson", "--layers", "grids", "--crs", "gcj02", "--out", gcj,
            ]).status == 0)
        func firstRing(_ path: String) throws -> [[Double]] {
            let g = try features(path)[0]["geometry"] as! [String: Any]
            return ((g["coordinates"] as! [[[[Double]]]])[0][0])
        }
        let a = try firstRing(wgs + "/grids.geojson"), b = try firstRing(gcj + "/grids.geojson")
        #expect(a.count == b.count)
        for (p, q) in zip(a, b) {
            let moved = GCJ02.fromWGS84(Position(x: p[0], y: p[1]))
            #expect(abs(moved.x - q[0]) < 2e-7 && abs(moved.y - q[1]) < 2e-7)
            #expect(abs(p[0] - q[0]) > 1e-3)  // the offset is hundreds of metres in Jiangmen
        }
        let refused = folder.appendingPathComponent("gcj.gpkg").path
        let r = try CLI.run(["export", "--plan", plan, "--format", "gpkg", "--crs", "gcj02", "--out", refused])
        #expect(r.status != 0 && r.stderr.contains("GCJ-02 has no EPSG code"))
        #expect(!FileManager.default.fileExists(atPath: refused))
    }

    /// EPSG:4547 (CGCS2000 / 3-degree Gauss–Krüger CM 114E, Jiangmen's projected CRS): GDAL
    /// reads the CRS from both the GeoPackage and the GeoJSON, with coordinates in metres.
    @Test(.enabled(if: Tool.gdal, "needs GDAL (ogrinfo, ogr2ogr from Debian gdal-bin; setup.sh installs it)"))
    func projectedExportsCarryTheirCRS() throws {
        let (plan, folder) = try jiangmenTownPlan("export-epsg")
        let gpkg = folder.appendingPathComponent("cgcs.gpkg").path, geojson = folder.appendingPathComponent("cgcs").path
        #expect(
            try CLI.run([
                "export", "--plan", plan, "--format", "gpkg", "--layers", "grids", "--crs", "EPSG:4547", "--out", gpkg,
            ]).status == 0)
        #expect(
            try CLI.run([
                "export", "--plan", plan, "--format", "geojson", "--layers", "grids", "--crs", "EPSG:4547", "--out",
                geojson,
            ]).status == 0)
        for path in [gpkg, geojson + "/grids.geojson"] {
            let info = try runProgram(ogrinfo, ["-so", "-ro", path, "grids"])
            #expect(info.output.contains("ID[\"EPSG\",4547]"), "\(path): \(info.output)")
            // Heshan lies about 100 km west of the 114°E meridian (x ≈ 400 km, the meridian being at
            // 500 km) and about 2,500 km north of the equator.
            let extent = info.output.components(separatedBy: "Extent: (")[1].prefix { $0 != ")" }.split(separator: ",")
                .map {
                    Double($0.trimmingCharacters(in: .whitespaces))!
                }
            #expect(
                extent[0] > 250_000 && extent[0] < 450_000 && extent[1] > 2_400_000 && extent[1] < 2_600_000,
                "\(extent)")
        }
    }

    /// CSV lists: BOM for Excel/WPS, Chinese names intact, a point inside each grid.
    @Test func csvListsAndHTMLReport() throws {
        let (plan, folder) = try jiangmenTownPlan("export-csv")
        let out = folder.appendingPathComponent("csv").path
        #expect(
            try CLI.run(["export", "--plan", plan, "--format", "csv", "--layers", "grids", "--bom", "--out", out])
                .status == 0)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: out + "/grids.csv"))
        #expect(bytes.starts(with: [0xEF, 0xBB, 0xBF]))
        let lines = String(decoding: bytes.dropFirst(3), as: UTF8.self).split(separator: "\r\n")
        #expect(
            lines[0]
                == "code,unit_code,unit_name,kind,households,population,area_m2,compactness,band,violations,notes,"
                + "buildings,x,y"
        )
        #expect(lines.count - 1 == (try features(plan + "/grids.geojson").count))
        #expect(lines[1].contains("社区") || lines[1].contains("村"))
        let report = folder.appendingPathComponent("report.html").path
        let r = try CLI.run(["export", "--plan", plan, "--format", "html", "--out", report])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        let html = try String(contentsOfFile: report, encoding: .utf8)
        #expect(html.components(separatedBy: "<path class=\"band-").count - 1 == lines.count - 1)
    }

    /// Shapefile (zipped, GBK) and Excel exports, read back by GDAL's own tools: the same grids,
    /// field names cut to 10 characters with the mapping in fields.csv, the .cpg saying the
    /// encoding, and a workbook whose grids sheet holds the CSV list's values.
    @Test(.enabled(if: Tool.gdal, "needs GDAL (ogrinfo, ogr2ogr from Debian gdal-bin; setup.sh installs it)"))
    func shapefileAndExcelExportsAreReadByGDAL() throws {
        let (plan, folder) = try jiangmenTownPlan("export-shp")
        let zip = folder.appendingPathComponent("plan.shp.zip").path
        let r = try CLI.run(["export", "--plan", plan, "--format", "shp", "--encoding", "GBK", "--out", zip])
        #expect(r.status == 0 && r.stdout.contains("(GBK)"), "\(r.stdout)\(r.stderr)")
        let converted = folder.appendingPathComponent("from-shp.geojson").path
        let c = try runProgram(ogr2ogr, ["-f", "GeoJSON", converted, "/vsizip/" + zip, "grids"])
        #expect(c.status == 0 && c.output.isEmpty, "\(c.output)")
        let geojson = folder.appendingPathComponent("geojson").path
        #expect(
            try CLI.run(["export", "--plan", plan, "--format", "geojson", "--layers", "grids", "--out", geojson])
                .status == 0)
        let ours = try features(geojson + "/grids.geojson"), back = try features(converted)
        #expect(back.count == ours.count)
        for (a, b) in Swift.zip(ours, back) {
            let p = a["properties"] as! [String: Any], q = b["properties"] as! [String: Any]
            #expect(p["code"] as? String == q["code"] as? String)
            #expect(p["unit_name"] as? String == q["unit_name"] as? String)  // Chinese, through GBK
            #expect(p["households"] as? Int == q["households"] as? Int)
            #expect(p["compactness"] as? Double == q["compactnes"] as? Double)
            #expect(q.keys.allSatisfy { $0.utf8.count <= 10 })
        }
        let listing = try runProgram("/usr/bin/env", ["unzip", "-p", zip, "fields.csv"])
        if listing.status == 0 {
            #expect(listing.output.contains("grids,compactness,compactnes"), "\(listing.output)")
            #expect(try runProgram("/usr/bin/env", ["unzip", "-p", zip, "grids.cpg"]).output == "GBK")
        }

        let xlsx = folder.appendingPathComponent("plan.xlsx").path
        let x = try CLI.run(["export", "--plan", plan, "--format", "xlsx", "--layers", "grids,units", "--out", xlsx])
        #expect(x.status == 0, "\(x.stdout)\(x.stderr)")
        let csv = folder.appendingPathComponent("csv").path
        #expect(
            try CLI.run(["export", "--plan", plan, "--format", "csv", "--layers", "grids", "--out", csv]).status == 0)
        let sheet = folder.appendingPathComponent("sheet.csv").path
        let s = try runProgram(
            ogr2ogr, ["--config", "OGR_XLSX_HEADERS", "FORCE", "-f", "CSV", sheet, xlsx, "grids"])
        #expect(s.status == 0, "\(s.output)")
        func rows(_ path: String) throws -> [String] {
            // ogr2ogr's CSV quotes codes and counts; the values are what is compared.
            try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(of: "\r\n", with: "\n")
                .replacingOccurrences(of: "\"", with: "").split(separator: "\n").map(String.init)
        }
        // Numbers as numbers (the CSV writes x and y with 7 decimals, "112.9733420").
        func cells(_ line: String) -> [String] {
            line.split(separator: ",", omittingEmptySubsequences: false).map {
                Double($0).map { String($0) } ?? String($0)
            }
        }
        #expect(try rows(sheet).map(cells) == rows(csv + "/grids.csv").map(cells))
        // Refusals: a Shapefile export must be a zip; --encoding is for Shapefiles.
        let notZip = try CLI.run(["export", "--plan", plan, "--format", "shp", "--out", folder.path + "/plan.shp"])
        #expect(notZip.status == 2 && notZip.stderr.contains("plan.shp.zip"))
        let enc = try CLI.run(["export", "--plan", plan, "--format", "xlsx", "--encoding", "GBK", "--out", xlsx])
        #expect(enc.status == 2 && enc.stderr.contains("--encoding applies to --format shp only"))
    }
}
