import Foundation
import GridPlanGeometryValues
import GridPlanModel
import GridPlanTestSupport
import Testing

@testable import GridPlanKit

@Suite struct StaffCommandTests {
    /// A plan of one town of the Jiangmen demo (沙坪街道, 27 communities) and a seeded synthetic roster.
    func townPlan() throws -> (plan: String, roster: String, folder: URL) {
        let (plan, folder) = try jiangmenTownPlan("staff")
        let roster = folder.appendingPathComponent("roster.csv").path
        let script = CLI.repository.appendingPathComponent("notebooks-free-scripts/synthetic_roster.py").path
        let r = try runProgram("/usr/bin/env", ["python3", script, plan, roster, "--bad-rows", "3"])
        #expect(r.status == 0, "\(r.output)")
        return (plan, roster, folder)
    }

    func rows(_ path: String) throws -> [[String]] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\r\n").map {
            $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        }
    }

    @Test(.enabled(if: Tool.python, "needs python3 with shapely, pyproj, scipy and numpy (setup.sh installs them)"))
    func badRowsStopTheCommandUnlessSkippedAndTheListsAreConsistent() throws {
        let (plan, roster, folder) = try townPlan()
        let out = folder.appendingPathComponent("staff").path
        // Three bad rows (duplicate id, no coordinates, unknown role): named by line, nothing written.
        let stopped = try CLI.run(["staff", "--plan", plan, "--roster", roster, "--out", out])
        #expect(stopped.status == 1)
        for rule in ["roster.id-duplicate", "roster.coordinates-missing", "roster.role-unknown"] {
            #expect(stopped.stdout.contains(rule))
        }
        #expect(stopped.stdout.contains("roster.csv:"))
        #expect(!FileManager.default.fileExists(atPath: out))

        let done = try CLI.run(["staff", "--plan", plan, "--roster", roster, "--out", out, "--skip-bad-rows", "--bom"])
        #expect(done.status == 0, "\(done.stdout)\(done.stderr)")
        #expect(done.stdout.contains("leader (网格长):") && done.stdout.contains("(row skipped)"))
        let bytes = try Data(contentsOf: URL(fileURLWithPath: out + "/assignments.csv"))
        #expect(bytes.starts(with: [0xEF, 0xBB, 0xBF]))
        // Every person within max_grids and at most one post per grid; every post within the grid's count.
        var text = String(decoding: bytes.dropFirst(3), as: UTF8.self)
        text = text.replacingOccurrences(of: "\r\n", with: "\n")
        let lines = text.split(separator: "\n").map {
            $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        }
        #expect(lines[0].prefix(6) == ["person_id", "name", "person_role", "slot_role", "slot_role_zh", "grid_code"])
        var postsPerPerson: [String: [String]] = [:]
        for l in lines.dropFirst() { postsPerPerson[l[0], default: []].append(l[5]) }
        let maxGrids = Dictionary(
            try rows(roster).dropFirst().map { ($0[0], Int($0[7]) ?? 1) }, uniquingKeysWith: { a, _ in a })
        for (person, grids) in postsPerPerson {
            #expect(grids.count <= maxGrids[person]! && Set(grids).count == grids.count, "\(person): \(grids)")
        }
        // Re-running with those assignments as --current moves nobody.
        let again = folder.appendingPathComponent("staff2").path
        let kept = try CLI.run([
            "staff", "--plan", plan, "--roster", roster, "--out", again, "--skip-bad-rows", "--current",
            out + "/assignments.csv",
        ])
        #expect(kept.status == 0, "\(kept.stdout)\(kept.stderr)")
        #expect(kept.stdout.contains("current posts kept: \(lines.count - 1); moved: 0"), "\(kept.stdout)")
        let staffed =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: URL(fileURLWithPath: out + "/grids_staffed.geojson"))) as! [String: Any]
        #expect((staffed["features"] as! [Any]).count > 0)
    }

    /// A roster in GCJ-02 (Amap/Tencent coordinates, ~300–600 m off in Jiangmen) staffed with
    /// `--crs gcj02` gives the same assignments as the WGS84 roster; read as WGS84 it does not.
    @Test(.enabled(if: Tool.python, "needs python3 with shapely, pyproj, scipy and numpy (setup.sh installs them)"))
    func gcj02RosterIsConvertedBack() throws {
        let (plan, roster, folder) = try townPlan()
        var shifted = try rows(roster)
        for i in shifted.indices.dropFirst() {
            guard let lon = Double(shifted[i][4]), let lat = Double(shifted[i][5]) else { continue }
            let g = GCJ02.fromWGS84(Position(x: lon, y: lat))
            shifted[i][4] = String(format: "%.7f", g.x)
            shifted[i][5] = String(format: "%.7f", g.y)
        }
        let gcjRoster = folder.appendingPathComponent("roster-gcj02.csv").path
        try shifted.map { $0.joined(separator: ",") }.joined(separator: "\n").write(
            toFile: gcjRoster, atomically: true, encoding: .utf8)
        // Total home-to-grid metres and posts filled: the converted run equals the WGS84 one up to
        // the centimetres of the round trip (ties may pick other people); the raw run does not.
        func totals(_ args: [String], _ name: String) throws -> (posts: Int, metres: Int) {
            let out = folder.appendingPathComponent(name).path
            let r = try CLI.run(["staff", "--plan", plan, "--out", out, "--skip-bad-rows"] + args)
            #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
            let lines = try rows(out + "/assignments.csv").dropFirst()
            return (lines.count, lines.reduce(0) { $0 + Int($1[8])! })
        }
        let wgs = try totals(["--roster", roster], "wgs")
        let converted = try totals(["--roster", gcjRoster, "--crs", "gcj02"], "gcj")
        let raw = try totals(["--roster", gcjRoster], "raw")
        #expect(converted.posts == wgs.posts)
        #expect(abs(converted.metres - wgs.metres) <= converted.posts, "\(converted) vs \(wgs)")
        #expect(abs(raw.metres - wgs.metres) > 10 * raw.posts, "\(raw) vs \(wgs)")
    }

    /// The plan keeps the last staffing: `export` writes it as point layers GDAL reads, and
    /// `report` shows it without --staff.
    @Test(
        .enabled(
            if: Tool.python && Tool.gdal,
            "needs python3 (shapely, pyproj, scipy, numpy) and GDAL (gdal-bin); setup.sh installs them"))
    func staffingIsStoredInThePlanAndExported() throws {
        let (plan, roster, folder) = try townPlan()
        let out = folder.appendingPathComponent("staff").path
        #expect(
            try CLI.run(["staff", "--plan", plan, "--roster", roster, "--out", out, "--skip-bad-rows"]).status == 0)
        let posts = try rows(out + "/assignments.csv").count - 1
        let vacancies = try rows(out + "/vacancies.csv").dropFirst().reduce(0) { $0 + Int($1[4])! }
        let gpkg = folder.appendingPathComponent("export.gpkg").path
        let e = try CLI.run(["export", "--plan", plan, "--format", "gpkg", "--out", gpkg])
        #expect(e.status == 0 && e.stdout.contains("assignments (\(posts))"), "\(e.stdout)\(e.stderr)")
        let info = try runProgram("/usr/bin/ogrinfo", ["-so", "-ro", gpkg, "assignments"])
        #expect(
            info.output.contains("Geometry: Point") && info.output.contains("Feature Count: \(posts)"), "\(info.output)"
        )
        let report = folder.appendingPathComponent("report.html").path
        #expect(try CLI.run(["report", "--plan", plan, "--out", report]).status == 0)
        let html = try String(contentsOfFile: report, encoding: .utf8)
        #expect(html.contains("<h2>Staffing</h2>"))
        // The table's filled and vacant totals are the CSV's.
        let cells = html.components(separatedBy: "<h2>Staffing</h2>")[1].components(separatedBy: "</table>")[0]
            .components(separatedBy: "<td class=\"n\">").dropFirst().map { Int($0.prefix { $0.isNumber })! }
        #expect(stride(from: 0, to: cells.count, by: 2).reduce(0) { $0 + cells[$1] } == posts)
        #expect(stride(from: 1, to: cells.count, by: 2).reduce(0) { $0 + cells[$1] } == vacancies)
    }

    /// A grid or micro-grid that has no point inside it (an empty geometry in a damaged plan) is
    /// an error naming it, not a place at lon/lat (0, 0) that every distance is measured to.
    @Test func anEmptyGridGeometryIsNamedNotPlacedAtZero() throws {
        let good = Grid(
            code: "440784101001001", unitCode: "440784101001", kind: .comprehensive, households: 300, population: 900,
            geometry: square(113, 22, 0.01), areaSquareMetres: 1e6, compactness: 0.78, band: .ok)
        var empty = good
        empty.code = "440784101001002"
        empty.geometry = .multiPolygon([])
        #expect(try StaffWorkflow.staffedPlaces(grids: [good], microGrids: []).count == 1)
        #expect {
            _ = try StaffWorkflow.staffedPlaces(grids: [good, empty], microGrids: [])
        } throws: { error in
            guard let error = error as? InputError else { return false }
            return error.rule == "plan.geometry" && error.message.contains("grid 440784101001002")
        }
        let micro = MicroGrid(
            code: "44078410100100101", gridCode: good.code, households: 50, population: 150,
            geometry: .multiPolygon([]),
            areaSquareMetres: 0, band: .ok)
        #expect {
            _ = try StaffWorkflow.staffedPlaces(grids: [good], microGrids: [micro])
        } throws: { error in
            (error as? InputError)?.message.contains("micro-grid 44078410100100101") == true
        }
    }
}
