import Foundation
import GridPlanTestSupport
import Testing

/// Inputs as planners have them (issue #18): the bundled town converted with ogr2ogr into
/// Shapefiles (GBK, UTF-8, zipped, projected to CGCS2000 Gauss–Krüger), a GeoPackage, a File
/// Geodatabase and KML. Each gives the same check, the same grids and byte-identical lists as
/// the GeoJSON it came from.
@Suite struct GDALSourceTests {
    /// The town's units as GeoJSON, a plan made from them, and a roster for that plan.
    struct Town {
        var folder: URL
        var units: String
        var roster: String
    }

    func town(_ name: String) throws -> Town {
        let (plan, folder) = try jiangmenTownPlan(name)
        let roster = folder.appendingPathComponent("roster.csv").path
        let script = CLI.repository.appendingPathComponent("notebooks-free-scripts/synthetic_roster.py").path
        let r = try runProgram("/usr/bin/env", ["python3", script, plan, roster])
        #expect(r.status == 0, "\(r.output)")
        return Town(folder: folder, units: folder.appendingPathComponent("units.geojson").path, roster: roster)
    }

    func ogr2ogr(_ arguments: [String]) throws {
        let r = try runProgram("/usr/bin/ogr2ogr", arguments)
        #expect(r.status == 0, "ogr2ogr \(arguments): \(r.output)")
    }

    /// Partitions `units` and staffs the plan; returns the files to compare.
    func plan(_ units: String, _ town: Town, _ name: String, extra: [String] = []) throws -> [String: Data] {
        let out = town.folder.appendingPathComponent(name).path
        let p = try CLI.run(["partition", "--units", units, "--out", out, "--no-gaps"] + extra)
        #expect(p.status == 0, "\(name): \(p.stdout)\(p.stderr)")
        let s = try CLI.run(["staff", "--plan", out, "--roster", town.roster, "--out", out + "/staff"])
        #expect(s.status == 0, "\(name): \(s.stdout)\(s.stderr)")
        var files: [String: Data] = [:]
        for file in [
            "grids.geojson", "microgrids.geojson", "staff/assignments.csv", "staff/vacancies.csv",
            "staff/unassigned.csv",
        ] {
            files[file] = try Data(contentsOf: URL(fileURLWithPath: out + "/" + file))
        }
        return files
    }

    /// Each grid's code, unit, households and population.
    func grids(_ data: Data?) throws -> [(code: String, unit: String, households: Int, population: Int)] {
        let root = try JSONSerialization.jsonObject(with: data ?? Data()) as! [String: Any]
        return (root["features"] as! [[String: Any]]).map {
            let p = $0["properties"] as! [String: Any]
            return (p["code"] as! String, p["unit_code"] as! String, p["households"] as! Int, p["population"] as! Int)
        }
    }

    /// The same grids: the same codes of the same units, each unit's totals the same, and each
    /// grid's share of them within one household and one person (a unit's households are spread
    /// over its grids by area, and a cut that moves by a micrometre can move a remainder).
    func sameGrids(_ a: Data?, _ b: Data?) throws -> Bool {
        let x = try grids(a), y = try grids(b)
        guard x.map(\.code) == y.map(\.code), x.map(\.unit) == y.map(\.unit) else { return false }
        var totals: [String: [Int]] = [:]
        for (g, h) in zip(x, y) {
            guard abs(g.households - h.households) <= 1, abs(g.population - h.population) <= 1 else { return false }
            totals[g.unit, default: [0, 0, 0, 0]][0] += g.households
            totals[g.unit]![1] += h.households
            totals[g.unit]![2] += g.population
            totals[g.unit]![3] += h.population
        }
        return totals.values.allSatisfy { $0[0] == $0[1] && $0[2] == $0[3] }
    }

    @Test(
        .enabled(if: Tool.gdal, "needs GDAL's ogr2ogr (Debian gdal-bin; setup.sh installs it)"),
        .enabled(if: Tool.python, "needs python3 for the synthetic roster (setup.sh installs it)"))
    func everyFormatGivesTheSamePlanAsGeoJSON() throws {
        let town = try town("gdal-formats")
        let dir = town.folder.path
        let expected = try plan(town.units, town, "from-geojson")

        // Lossless copies: the very same coordinates and values.
        try ogr2ogr(["-f", "ESRI Shapefile", "-lco", "ENCODING=GBK", "\(dir)/gbk.shp", town.units])
        try ogr2ogr(["-f", "ESRI Shapefile", "-lco", "ENCODING=UTF-8", "\(dir)/utf8.shp", town.units])
        try ogr2ogr(["-f", "GPKG", "-nln", "villages", "\(dir)/town.gpkg", town.units])
        try ogr2ogr(["-f", "GPKG", "-update", "-nln", "extra", "\(dir)/town.gpkg", town.units])
        let zipped = try runProgram(
            "/usr/bin/env", ["sh", "-c", "cd \(dir) && zip -q gbk.zip gbk.shp gbk.shx gbk.dbf gbk.prj gbk.cpg"])
        let lossless = ["gbk.shp", "utf8.shp", "town.gpkg:villages"] + (zipped.status == 0 ? ["gbk.zip"] : [])
        for source in lossless {
            let got = try plan("\(dir)/\(source)", town, "from-\(source)")
            #expect(got == expected, "\(source): the plan differs from the GeoJSON's")
        }

        // Formats that store coordinates differently: a File Geodatabase (a 1e-9° integer grid),
        // KML (15 digits) and a projected CGCS2000 3° Gauss–Krüger Shapefile (zone 38, EPSG:4526).
        // Their coordinates differ from the original by up to 5e-13°: the grids are the same (see
        // `sameGrids`) and the plan is byte-identical to the one made from GDAL's own conversion of
        // the same file to GeoJSON (ogr2ogr, 17 digits).
        try ogr2ogr(["-f", "OpenFileGDB", "-nlt", "MULTIPOLYGON", "-nln", "villages", "\(dir)/town.gdb", town.units])
        try ogr2ogr(["-f", "KML", "\(dir)/town.kml", town.units])
        try ogr2ogr([
            "-f", "ESRI Shapefile", "-t_srs", "EPSG:4526", "-lco", "ENCODING=GBK", "\(dir)/gk.shp", town.units,
        ])
        for source in ["town.gdb", "town.kml", "gk.shp"] {
            let got = try plan("\(dir)/\(source)", town, "from-\(source)")
            #expect(try sameGrids(got["grids.geojson"], expected["grids.geojson"]), "\(source)")
            let reference = "\(dir)/\(source).geojson"
            try ogr2ogr([
                "-f", "GeoJSON", "-t_srs", "EPSG:4326", "-lco", "COORDINATE_PRECISION=17", "-lco", "RFC7946=NO",
                reference, "\(dir)/\(source)",
            ])
            #expect(got == (try plan(reference, town, "ref-\(source)")), "\(source): differs from ogr2ogr's GeoJSON")
        }

        // The roster as an Excel sheet with typed cells (coordinates as numbers) staffs the same.
        let sheet = "\(dir)/名册.xlsx"
        try ogr2ogr(["-f", "XLSX", "-oo", "AUTODETECT_TYPE=YES", sheet, town.roster])
        let out = "\(dir)/from-geojson/staff-xlsx"
        let s = try CLI.run(["staff", "--plan", "\(dir)/from-geojson", "--roster", sheet, "--out", out])
        #expect(s.status == 0, "\(s.stdout)\(s.stderr)")
        for file in ["assignments.csv", "vacancies.csv", "unassigned.csv"] {
            #expect(
                try Data(contentsOf: URL(fileURLWithPath: "\(out)/\(file)")) == expected["staff/\(file)"],
                "\(file): the Excel roster staffs differently")
        }

        // check says how it read the projected Shapefile.
        let check = try CLI.run(["check", "\(dir)/gk.shp"])
        #expect(check.status == 0, "\(check.stdout)")
        #expect(check.stdout.contains("read with GDAL ESRI Shapefile"))
        #expect(check.stdout.contains("CGCS2000 / 3-degree Gauss-Kruger zone 38; converted from EPSG:4526"))
        #expect(check.stdout.contains("encoding: GBK"))
    }

    @Test(.enabled(if: Tool.gdal, "needs GDAL's ogr2ogr (Debian gdal-bin; setup.sh installs it)"))
    func householdsFromAnExcelSheetWithChineseHeaders() throws {
        let folder = try scratch("gdal-households")
        let town =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: URL(fileURLWithPath: CLI.data("jiangmen/villages.geojson")))) as! [String: Any]
        let features = (town["features"] as! [[String: Any]]).filter {
            (($0["properties"] as! [String: Any])["code"] as! String).hasPrefix("440784001")
        }
        let units = folder.appendingPathComponent("units.geojson").path
        try JSONSerialization.data(withJSONObject: ["type": "FeatureCollection", "features": features])
            .write(to: URL(fileURLWithPath: units))
        // Boundaries without figures, as the natural resources bureau sends them.
        let shp = folder.appendingPathComponent("villages.shp").path
        let stripped = try runProgram(
            "/usr/bin/ogr2ogr", ["-f", "ESRI Shapefile", "-select", "code,name,kind,parent", shp, units])
        #expect(stripped.status == 0, "\(stripped.output)")
        // The civil affairs table: every village but the first, and two codes that are no unit.
        var csv = "区划代码,村名,户数,人口\n"
        for f in features.dropFirst() {
            let p = f["properties"] as! [String: Any]
            csv += "\(p["code"]!),\(p["name"]!),\(p["households"]!),\(p["population"]!)\n"
        }
        csv += "440784001999,不存在村,10,20\n440784001998,无名村,5,9\n"
        let csvPath = folder.appendingPathComponent("households.csv").path
        try csv.write(toFile: csvPath, atomically: true, encoding: .utf8)
        let xlsx = folder.appendingPathComponent("户数.xlsx").path
        let made = try runProgram("/usr/bin/ogr2ogr", ["-f", "XLSX", "-nln", "户数表", xlsx, csvPath])
        #expect(made.status == 0, "\(made.output)")

        let r = try CLI.run(["check", shp, "--households", xlsx])
        #expect(r.status == 1, "\(r.stdout)\(r.stderr)")
        let joined = r.stdout.split(separator: "\n").filter { $0.contains("[table.") }
        let first = (features[0]["properties"] as! [String: Any])["code"] as! String
        #expect(joined.count == 3, "\(joined)")
        #expect(joined.contains { $0.contains("户数.xlsx:28") && $0.contains("\"440784001999\" matches no unit") })
        #expect(joined.contains { $0.contains("户数.xlsx:29") && $0.contains("\"440784001998\" matches no unit") })
        #expect(joined.contains { $0.contains("(\(first))") && $0.contains("[table.unit-missing]") })

        // With the missing row added the partition is the one from the GeoJSON with its own figures.
        let p0 = features[0]["properties"] as! [String: Any]
        try (csv + "\(p0["code"]!),\(p0["name"]!),\(p0["households"]!),\(p0["population"]!)\n").write(
            toFile: csvPath, atomically: true, encoding: .utf8)
        let bad = try CLI.run(["partition", "--units", shp, "--households", csvPath, "--out", "\(folder.path)/x"])
        #expect(bad.status == 1 && !FileManager.default.fileExists(atPath: "\(folder.path)/x"))
        let complete = csv.split(separator: "\n").filter { !$0.contains("4407840019") }.joined(separator: "\n")
        try (complete + "\n\(p0["code"]!),\(p0["name"]!),\(p0["households"]!),\(p0["population"]!)\n").write(
            toFile: csvPath, atomically: true, encoding: .utf8)
        let a = try CLI.run([
            "partition", "--units", shp, "--households", csvPath, "--out", "\(folder.path)/a", "--no-gaps",
        ])
        let b = try CLI.run(["partition", "--units", units, "--out", "\(folder.path)/b", "--no-gaps"])
        #expect(a.status == 0 && b.status == 0, "\(a.stdout)\(a.stderr)")
        #expect(
            try Data(contentsOf: URL(fileURLWithPath: "\(folder.path)/a/grids.geojson"))
                == Data(contentsOf: URL(fileURLWithPath: "\(folder.path)/b/grids.geojson")))
    }

    @Test(.enabled(if: Tool.gdal, "needs GDAL's ogr2ogr (Debian gdal-bin; setup.sh installs it)"))
    func badSourcesAreNamedAndNothingIsWritten() throws {
        let folder = try scratch("gdal-bad")
        let dir = folder.path
        let units = CLI.data("jiangmen/towns.geojson")
        func ogr(_ a: [String]) throws { #expect(try runProgram("/usr/bin/ogr2ogr", a).status == 0) }
        try ogr(["-f", "ESRI Shapefile", "-lco", "ENCODING=GBK", "\(dir)/t.shp", units])
        try FileManager.default.createDirectory(atPath: "\(dir)/nodbf", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: "\(dir)/nocpg", withIntermediateDirectories: true)
        for ext in ["shp", "shx", "prj"] {
            try FileManager.default.copyItem(atPath: "\(dir)/t.\(ext)", toPath: "\(dir)/nodbf/t.\(ext)")
        }
        for ext in ["shp", "shx", "prj", "dbf"] {
            try FileManager.default.copyItem(atPath: "\(dir)/t.\(ext)", toPath: "\(dir)/nocpg/t.\(ext)")
        }
        // Cut-off copies: the .shp after its first shapes, the .dbf inside its records.
        for (folder, part, keep) in [("cutshp", "shp", 500), ("cutdbf", "dbf", 2000)] {
            try FileManager.default.createDirectory(atPath: "\(dir)/\(folder)", withIntermediateDirectories: true)
            for ext in ["shp", "shx", "prj", "dbf", "cpg"] {
                let data = try Data(contentsOf: URL(fileURLWithPath: "\(dir)/t.\(ext)"))
                try (ext == part ? data.prefix(keep) : data).write(
                    to: URL(fileURLWithPath: "\(dir)/\(folder)/t.\(ext)"))
            }
        }
        try ogr(["-f", "GPKG", "-nln", "towns", "\(dir)/t.gpkg", units])
        let gpkg = try Data(contentsOf: URL(fileURLWithPath: "\(dir)/t.gpkg"))
        try gpkg.prefix(4096).write(to: URL(fileURLWithPath: "\(dir)/corrupt.gpkg"))

        let cases: [(source: [String], rule: String, says: String)] = [
            (["\(dir)/nodbf/t.shp"], "shapefile.incomplete", "has no t.dbf beside it"),
            (["\(dir)/nocpg/t.shp"], "file.encoding", "pass it with --encoding, e.g. --encoding GBK"),
            (["\(dir)/t.shp", "--encoding", "UTF-8"], "file.encoding", "not valid text in UTF-8"),
            (["\(dir)/corrupt.gpkg"], "file.unreadable", "cannot be read as vector data"),
            (["\(dir)/cutshp/t.shp"], "file.damaged", "could not read all of it"),
            (["\(dir)/cutdbf/t.shp"], "file.damaged", "its t.dbf is cut off"),
            (["\(dir)/t.gpkg:village"], "source.layer-missing", "has no layer \"village\"; its layers are \"towns\""),
        ]
        for c in cases {
            let out = "\(dir)/out-\(c.rule)"
            let args = ["partition", "--units", c.source[0], "--out", out] + c.source.dropFirst()
            let r = try CLI.run(Array(args))
            #expect(r.status == 2, "\(c.source): \(r.stdout)\(r.stderr)")
            let said = r.stdout + r.stderr
            #expect(said.contains("[\(c.rule)]") && said.contains(c.says), "\(c.source): \(said)")
            #expect(said.contains(c.source[0].replacingOccurrences(of: ":village", with: "")), "\(said)")
            #expect(!FileManager.default.fileExists(atPath: out), "\(c.source): wrote \(out)")
        }
        // With the encoding it names, the same Shapefile reads.
        let ok = try CLI.run(["check", "\(dir)/nocpg/t.shp", "--encoding", "GBK"])
        #expect(ok.status == 0 && ok.stdout.contains("encoding: GBK"), "\(ok.stdout)")
    }
}
