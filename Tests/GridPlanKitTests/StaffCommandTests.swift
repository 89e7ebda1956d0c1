import Foundation
import GridPlanTestSupport
import Testing

@Suite struct StaffCommandTests {
    /// A plan of one town of the Jiangmen demo (沙坪街道, 27 communities) and a seeded synthetic roster.
    func townPlan() throws -> (plan: String, roster: String, folder: URL) {
        let folder = try scratch("staff")
        let all = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: CLI.data("jiangmen/villages.geojson")))) as! [String: Any]
        let town = (all["features"] as! [[String: Any]]).filter { (($0["properties"] as! [String: Any])["code"] as! String).hasPrefix("440784001") }
        let units = folder.appendingPathComponent("units.geojson")
        try JSONSerialization.data(withJSONObject: ["type": "FeatureCollection", "features": town]).write(to: units)
        let plan = folder.appendingPathComponent("plan").path
        let p = try CLI.run(["partition", "--units", units.path, "--out", plan, "--no-gaps"])
        #expect(p.status == 0, "\(p.stdout)\(p.stderr)")
        let roster = folder.appendingPathComponent("roster.csv").path
        let script = CLI.repository.appendingPathComponent("notebooks-free-scripts/synthetic_roster.py").path
        let r = try runProgram("/usr/bin/env", ["python3", script, plan, roster, "--bad-rows", "3"])
        #expect(r.status == 0, "\(r.output)")
        return (plan, roster, folder)
    }

    func rows(_ path: String) throws -> [[String]] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\r\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    }

    @Test func badRowsStopTheCommandUnlessSkippedAndTheListsAreConsistent() throws {
        let (plan, roster, folder) = try townPlan()
        let out = folder.appendingPathComponent("staff").path
        // Three bad rows (duplicate id, no coordinates, unknown role): named by line, nothing written.
        let stopped = try CLI.run(["staff", "--plan", plan, "--roster", roster, "--out", out])
        #expect(stopped.status == 1)
        for rule in ["roster.id-duplicate", "roster.coordinates-missing", "roster.role-unknown"] { #expect(stopped.stdout.contains(rule)) }
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
        let lines = text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(lines[0].prefix(6) == ["person_id", "name", "person_role", "slot_role", "slot_role_zh", "grid_code"])
        var postsPerPerson: [String: [String]] = [:]
        for l in lines.dropFirst() { postsPerPerson[l[0], default: []].append(l[5]) }
        let maxGrids = Dictionary(try rows(roster).dropFirst().map { ($0[0], Int($0[7]) ?? 1) }, uniquingKeysWith: { a, _ in a })
        for (person, grids) in postsPerPerson {
            #expect(grids.count <= maxGrids[person]! && Set(grids).count == grids.count, "\(person): \(grids)")
        }
        // Re-running with those assignments as --current moves nobody.
        let again = folder.appendingPathComponent("staff2").path
        let kept = try CLI.run(["staff", "--plan", plan, "--roster", roster, "--out", again, "--skip-bad-rows", "--current", out + "/assignments.csv"])
        #expect(kept.status == 0, "\(kept.stdout)\(kept.stderr)")
        #expect(kept.stdout.contains("current posts kept: \(lines.count - 1); moved: 0"), "\(kept.stdout)")
        let staffed = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/grids_staffed.geojson"))) as! [String: Any]
        #expect((staffed["features"] as! [Any]).count > 0)
    }
}
