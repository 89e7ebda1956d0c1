import Foundation
import GridPlanTestSupport
import Testing

/// `gridplan testing` end to end on one real town of the Jiangmen demo (沙坪街道), staffed from
/// the seeded synthetic roster (with its medical staff, 4.9 per grid as in A3-11).
@Suite struct TestingCommandTests {
    func table(_ path: String) throws -> (header: [String], rows: [[String]]) {
        let lines = try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(of: "\r\n", with: "\n")
            .split(separator: "\n")
        let split = lines.map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        return (split[0], Array(split.dropFirst()))
    }

    /// The mean of a micro-grid's outer-ring vertices (Polygon or MultiPolygon): inside the
    /// compact micro-grids of this town.
    func centre(_ feature: [String: Any]) -> (x: Double, y: Double) {
        let geometry = feature["geometry"] as! [String: Any]
        let ring: [[Double]] =
            geometry["type"] as! String == "Polygon"
            ? (geometry["coordinates"] as! [[[Double]]])[0] : (geometry["coordinates"] as! [[[[Double]]]])[0][0]
        let n = Double(ring.count - 1)
        return (ring.dropLast().map { $0[0] }.reduce(0, +) / n, ring.dropLast().map { $0[1] }.reduce(0, +) / n)
    }

    func microGrids(_ plan: String) throws -> [[String: Any]] {
        let micro =
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: plan + "/microgrids.geojson")))
            as! [String: Any]
        return micro["features"] as! [[String: Any]]
    }

    @Test(
        .enabled(
            if: Tool.python && Tool.gdal,
            "needs python3 (shapely, pyproj, scipy, numpy) and GDAL (gdal-bin); setup.sh installs them"))
    func listsAreConsistentWithThePlanAndTheRules() throws {
        let (plan, folder) = try jiangmenTownPlan("testing")
        let roster = folder.appendingPathComponent("roster.csv").path
        let script = CLI.repository.appendingPathComponent("notebooks-free-scripts/synthetic_roster.py").path
        #expect(try runProgram("/usr/bin/env", ["python3", script, plan, roster]).status == 0)
        let staffed = try CLI.run([
            "staff", "--plan", plan, "--roster", roster, "--out", folder.appendingPathComponent("staff").path,
        ])
        #expect(staffed.status == 0, "\(staffed.stderr)")
        // Households needing a home visit: three inside the town, one far outside it.
        let homes = folder.appendingPathComponent("homes.csv").path
        let features = try microGrids(plan)
        var text = "id,name,lon,lat,people\n"
        for (k, f) in features.prefix(3).enumerated() {
            let (x, y) = centre(f)
            text += "h\(k),户\(k),\(x),\(y),2\n"
        }
        text += "far,远,100.0,30.0,1\n"
        try text.write(toFile: homes, atomically: true, encoding: .utf8)
        // Candidate sites at every 6th micro-grid (165 of 989): automatic siting over all 989 takes
        // minutes in a debug build; the engine tests cover it.
        let sitesFile = folder.appendingPathComponent("sites.geojson").path
        let points = stride(from: 0, to: features.count, by: 6).map { k -> String in
            let (x, y) = centre(features[k])
            return
                #"{"type":"Feature","properties":{"id":"s\#(k)","tables":4},"geometry":{"type":"Point","coordinates":[\#(x),\#(y)]}}"#
        }
        try #"{"type":"FeatureCollection","features":[\#(points.joined(separator: ","))]}"#.write(
            toFile: sitesFile, atomically: true, encoding: .utf8)
        let out = folder.appendingPathComponent("testing").path
        let r = try CLI.run([
            "testing", "--plan", plan, "--out", out, "--sites", sitesFile, "--homes", homes, "--start",
            "2026-11-23T08:00", "--generated-at", "2026-11-22T09:30",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("generated 2026-11-22 09:30 CST from") && r.stdout.contains("samplers:"))
        // Every populated micro-grid exactly once (or in parts), all people placed, stamp on every row.
        let slots = try table(out + "/testing_slots.csv")
        let col = Dictionary(uniqueKeysWithValues: slots.header.enumerated().map { ($1, $0) })
        let populated = features.filter { (($0["properties"] as! [String: Any])["population"] as! Double) > 0 }
        #expect(Set(slots.rows.map { $0[col["microgrid_code"]!] }).count == populated.count)
        let people = populated.reduce(0) { $0 + Int((($1["properties"] as! [String: Any])["population"] as! Double)) }
        #expect(slots.rows.reduce(0) { $0 + Int($1[col["people"]!])! } == people)
        #expect(
            slots.rows.allSatisfy {
                $0[col["generated_at"]!] == "2026-11-22 09:30 CST" && $0[col["site_id"]!] != "NO SITE"
            })
        #expect(
            slots.rows.allSatisfy {
                $0[col["slot_start"]!] >= "2026-11-23 08:00" && $0[col["slot_end"]!] <= "2026-11-23 20:00"
            })
        // Sites: load within capacity and the point norm; samplers per the 360-a-day rule.
        let sites = try table(out + "/testing_sites.csv")
        let s = Dictionary(uniqueKeysWithValues: sites.header.enumerated().map { ($1, $0) })
        for row in sites.rows {
            let load = Int(row[s["people"]!])!, tables = Int(row[s["tables_open"]!])!
            #expect(load <= Int(row[s["capacity"]!])! && load <= 3_000)
            #expect(Int(row[s["samplers_needed"]!])! >= max(tables, (load + 359) / 360))
            #expect(Int(row[s["samplers_placed"]!])! <= Int(row[s["samplers_needed"]!])!)
        }
        #expect(sites.rows.reduce(0) { $0 + Int($1[s["people"]!])! } == people)
        // Door-to-door: three planned in the window, the far one flagged.
        let visits = try table(out + "/door_to_door.csv")
        let v = Dictionary(uniqueKeysWithValues: visits.header.enumerated().map { ($1, $0) })
        #expect(visits.rows.count == 4)
        #expect(
            visits.rows.filter { $0[v["visit_at"]!] >= "2026-11-23 20:00" && $0[v["visit_at"]!] < "2026-11-23 22:00" }
                .count == 3)
        #expect(
            visits.rows.contains {
                $0[v["household_id"]!] == "far" && $0[v["microgrid_code"]!] == "OUTSIDE EVERY MICRO-GRID"
            })
        // Levels: the city row totals everyone.
        let levels = try table(out + "/testing_levels.csv")
        #expect(levels.rows.first { $0[0] == "city" }.map { Int($0[3])! } == people)
        // Each level adds up to the whole, once: the plan holds villages only, and their town
        // (named as their parent) must not be counted as a county as well.
        #expect(Set(levels.rows.map { $0[1] }).count == levels.rows.count, "a place is listed twice")
        for level in ["town", "village"] {
            let rows = levels.rows.filter { $0[0] == level }
            #expect(
                !rows.isEmpty && rows.map { Int($0[3])! }.reduce(0, +) == people,
                "\(level) rows do not add up to \(people)")
        }
        #expect(levels.rows.filter { $0[0] == "county" }.isEmpty, "no county is in this plan")
        // The sites are in the plan and exported as a layer.
        let gpkg = folder.appendingPathComponent("sites.gpkg").path
        let e = try CLI.run(["export", "--plan", plan, "--format", "gpkg", "--layers", "sites", "--out", gpkg])
        #expect(e.status == 0, "\(e.stderr)")
        if FileManager.default.fileExists(atPath: "/usr/bin/ogrinfo") {
            let info = try runProgram("/usr/bin/ogrinfo", ["-so", "-ro", gpkg, "sites"])
            #expect(info.output.contains("Feature Count: \(sites.rows.count)"), "\(info.output)")
        }
    }

    @Test(.enabled(if: Tool.python, "needs python3 with shapely, pyproj, scipy and numpy (setup.sh installs them)"))
    func badInputsAreNamedAndNothingIsWritten() throws {
        let (plan, folder) = try jiangmenTownPlan("testing-bad")
        let sites = folder.appendingPathComponent("sites.geojson").path
        let (x, y) = centre(try microGrids(plan)[0])
        try """
        {"type":"FeatureCollection","features":[
        {"type":"Feature","properties":{"id":"school","tables":4},"geometry":{"type":"Point","coordinates":[\(x),\(y)]}},
        {"type":"Feature","properties":{"id":"ship","tables":2},"geometry":{"type":"Point","coordinates":[100.0,30.0]}}]}
        """.write(toFile: sites, atomically: true, encoding: .utf8)
        let out = folder.appendingPathComponent("out").path
        let outside = try CLI.run(["testing", "--plan", plan, "--out", out, "--sites", sites])
        #expect(outside.status != 0)
        #expect(
            outside.stderr.contains("sites.geojson: feature #1 (ship)")
                && outside.stderr.contains("outside every unit"), "\(outside.stderr)")
        try """
        {"type":"FeatureCollection","features":[
        {"type":"Feature","properties":{"id":"school"},"geometry":{"type":"Point","coordinates":[\(x),\(y)]}}]}
        """.write(toFile: sites, atomically: true, encoding: .utf8)
        let noTables = try CLI.run(["testing", "--plan", plan, "--out", out, "--sites", sites])
        #expect(
            noTables.status != 0 && noTables.stderr.contains("feature #0 (school)")
                && noTables.stderr.contains("tables"), "\(noTables.stderr)")
        let homes = folder.appendingPathComponent("homes.csv").path
        try "id,lon,lat\nh1,\(x),\(y)\nh2,,22.5\n".write(toFile: homes, atomically: true, encoding: .utf8)
        let badHome = try CLI.run(["testing", "--plan", plan, "--out", out, "--homes", homes])
        #expect(
            badHome.status != 0 && badHome.stderr.contains("homes.csv:3") && badHome.stderr.contains("h2"),
            "\(badHome.stderr)")
        let badTime = try CLI.run(["testing", "--plan", plan, "--out", out, "--start", "tomorrow"])
        #expect(badTime.status != 0 && badTime.stderr.contains("--start"))
        #expect(!FileManager.default.fileExists(atPath: out))
    }
}
