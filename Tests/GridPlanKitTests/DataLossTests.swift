import Foundation
import GRDB
import GridPlanTestSupport
import Testing

/// Ways a command lost or mixed up data (issue 15): no command writes over the plan or its
/// own inputs, and each command's outputs are one unit, all new or all old.
@Suite struct DataLossTests {
    let community = HostileInputTests.fixture("community.geojson")
    let roster = HostileInputTests.fixture("roster.csv")

    func plan(_ name: String) throws -> String {
        let out = try scratch(name).path + "/plan"
        let r = try CLI.run(["partition", "--units", community, "--out", out])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        return out
    }

    func bytes(_ path: String) -> Data? { FileManager.default.contents(atPath: path) }

    func leftovers(_ folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter {
            $0.contains(".stage-") || $0.contains(".tmp-") || $0.hasPrefix(".gridplan-outputs-")
        }
    }

    @Test func noCommandWritesOverThePlanOrThePartitionsFiles() throws {
        let p = try plan("overwrite")
        let planBytes = bytes(p + "/plan.gpkg"), gridBytes = bytes(p + "/grids.geojson")
        for arguments in [
            ["report", "--plan", p, "--out", p + "/plan.gpkg"],
            ["export", "--plan", p, "--format", "gpkg", "--out", p + "/plan.gpkg"],
            ["export", "--plan", p, "--format", "html", "--out", p + "/plan.gpkg"],
            ["export", "--plan", p, "--format", "geojson", "--out", p],
            ["report", "--plan", p, "--out", p + "/grids.geojson"],
        ] {
            let r = try CLI.run(arguments)
            expectNoCrash(r)
            #expect(
                r.status == 2 && r.stderr.contains("output.overwrites-input"), "\(arguments): \(r.stdout)\(r.stderr)")
        }
        #expect(bytes(p + "/plan.gpkg") == planBytes && bytes(p + "/grids.geojson") == gridBytes)
        #expect(leftovers(p).isEmpty, "\(leftovers(p))")
        // Another plan is not replaced by a report either.
        let q = try plan("overwrite-other")
        let r = try CLI.run(["report", "--plan", p, "--out", q + "/plan.gpkg"])
        #expect(r.status == 2 && r.stderr.contains("is a GridPlan plan"), "\(r.stderr)")
        // Files that do not collide may go beside the plan.
        #expect(try CLI.run(["report", "--plan", p, "--out", p + "/report.html"]).status == 0)
        #expect(try CLI.run(["export", "--plan", p, "--format", "csv", "--layers", "grids", "--out", p]).status == 0)
        #expect(bytes(p + "/grids.geojson") == gridBytes)
    }

    @Test func partitionDoesNotOverwriteItsInputs() throws {
        let folder = try scratch("overwrite-inputs").path
        let units = folder + "/grids.geojson"
        try FileManager.default.copyItem(atPath: community, toPath: units)
        let r = try CLI.run(["partition", "--units", units, "--out", folder])
        #expect(r.status == 2 && r.stderr.contains("an input of this partition"), "\(r.stderr)")
        #expect(bytes(units) == bytes(community))
        #expect(!FileManager.default.fileExists(atPath: folder + "/plan.gpkg") && leftovers(folder).isEmpty)
    }

    /// A failure while writing leaves every old file as it was and no stage behind.
    @Test func aFailedWriteLeavesTheOldOutputsWhole() throws {
        let p = try plan("failed-write")
        let before = try FileManager.default.contentsOfDirectory(atPath: p).sorted().map { ($0, bytes(p + "/" + $0)) }
        // report.json cannot be replaced (a folder now stands there): the other files must not change either.
        try FileManager.default.removeItem(atPath: p + "/report.json")
        try FileManager.default.createDirectory(atPath: p + "/report.json", withIntermediateDirectories: false)
        let bigger = try write(
            try String(contentsOfFile: community, encoding: .utf8).replacingOccurrences(
                of: "\"households\":800", with: "\"households\":1600"),
            try scratch("failed-write-units"), "units.geojson")
        let r = try CLI.run(["partition", "--units", bigger, "--out", p])
        expectNoCrash(r)
        #expect(r.status == 2 && r.stderr.contains("report.json") && r.stderr.contains("is a folder"), "\(r.stderr)")
        for (name, data) in before where name != "report.json" {
            #expect(bytes(p + "/" + name) == data, "\(name) changed")
        }
        #expect(leftovers(p).isEmpty, "\(leftovers(p))")
    }

    /// What a process killed in its write phase leaves: stages, a temporary plan and its SQLite
    /// journal. The next command in the folder removes them.
    @Test func stagesOfADeadProcessAreRemoved() throws {
        let p = try plan("stale")
        let dead = deadPID()
        for name in [
            ".grids.geojson.stage-\(dead)-ab12", ".plan.gpkg.tmp-\(dead)-77", ".plan.gpkg.tmp-\(dead)-77-journal",
        ] {
            _ = FileManager.default.createFile(atPath: p + "/" + name, contents: Data("x".utf8))
        }
        let r = try CLI.run(["partition", "--units", community, "--out", p])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(leftovers(p).isEmpty, "\(leftovers(p))")
    }

    /// A staffing whose plan transaction never happened is rolled back: its lists are not moved
    /// into place; one whose run is in the plan is finished.
    @Test func anInterruptedStaffingIsFinishedOrRolledBackByThePlan() throws {
        let p = try plan("interrupted")
        let lists = try scratch("interrupted-lists").path + "/staff"
        let first = try CLI.run(["staff", "--plan", p, "--roster", roster, "--out", lists])
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
        let old = bytes(lists + "/assignments.csv")
        // A journal of a dead process whose run the plan does not hold.
        let dead = deadPID()
        let stage = lists + "/.assignments.csv.stage-\(dead)-1"
        _ = FileManager.default.createFile(atPath: stage, contents: Data("new,but,never,committed\n".utf8))
        try journal(token: "\(dead)-1", plan: p + "/plan.gpkg", files: [[stage, lists + "/assignments.csv"]], in: p)
        #expect(
            try CLI.run(["export", "--plan", p, "--format", "csv", "--layers", "grids", "--out", lists + "/../x"])
                .status == 0)
        #expect(bytes(lists + "/assignments.csv") == old && !FileManager.default.fileExists(atPath: stage))
        #expect(leftovers(p).isEmpty, "\(leftovers(p))")
        // The same, but the plan holds the run: the new list is moved into place.
        try DatabaseQueue(path: p + "/plan.gpkg").write { db in
            try db.execute(
                sql: "UPDATE runs SET outputs_token = ? WHERE id = (SELECT max(id) FROM runs)", arguments: ["\(dead)-2"]
            )
        }
        let stage2 = lists + "/.assignments.csv.stage-\(dead)-2"
        _ = FileManager.default.createFile(atPath: stage2, contents: Data("committed\n".utf8))
        try journal(token: "\(dead)-2", plan: p + "/plan.gpkg", files: [[stage2, lists + "/assignments.csv"]], in: p)
        #expect(
            try CLI.run(["export", "--plan", p, "--format", "csv", "--layers", "grids", "--out", lists + "/../x"])
                .status == 0)
        #expect(bytes(lists + "/assignments.csv") == Data("committed\n".utf8))
        #expect(leftovers(p).isEmpty && leftovers(lists).isEmpty)
    }

    @Test func importIntoAPartitionedPlanIsRefused() throws {
        let p = try plan("import-partitioned")
        let before = bytes(p + "/plan.gpkg")
        let r = try CLI.run(["import", community, "--plan", p + "/plan.gpkg"])
        #expect(
            r.status == 2 && r.stderr.contains("plan.partitioned") && r.stderr.contains("--previous"), "\(r.stderr)")
        #expect(bytes(p + "/plan.gpkg") == before)
    }

    @Test func aPartitionDoesNotDiscardTheStaffingOfThePlanItReplaces() throws {
        let p = try plan("replace-staffed")
        #expect(try CLI.run(["staff", "--plan", p, "--roster", roster, "--out", p + "/../staff"]).status == 0)
        let before = bytes(p + "/plan.gpkg")
        let r = try CLI.run(["partition", "--units", community, "--out", p])
        #expect(r.status == 2 && r.stderr.contains("output.plan-in-use") && r.stderr.contains("staff"), "\(r.stderr)")
        #expect(bytes(p + "/plan.gpkg") == before)
        // Into another folder, with the codes carried: fine.
        #expect(try CLI.run(["partition", "--units", community, "--previous", p, "--out", p + "/../next"]).status == 0)
    }

    @Test func anEmptyFileIsNotTakenForAPlan() throws {
        let folder = try scratch("empty-plan").path
        _ = FileManager.default.createFile(atPath: folder + "/old.gpkg", contents: Data())
        let r = try CLI.run([
            "partition", "--units", community, "--previous", folder + "/old.gpkg", "--out", folder + "/p",
        ])
        #expect(r.status == 2 && r.stderr.contains("is empty, not a plan"), "\(r.stderr)")
        #expect(bytes(folder + "/old.gpkg") == Data())
        try FileManager.default.createDirectory(atPath: folder + "/p2", withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: folder + "/p2/plan.gpkg", contents: Data("not sqlite".utf8))
        let q = try CLI.run(["partition", "--units", community, "--out", folder + "/p2"])
        #expect(q.status == 2 && q.stderr.contains("is not a GridPlan plan"), "\(q.stderr)")
        #expect(bytes(folder + "/p2/plan.gpkg") == Data("not sqlite".utf8))
    }

    @Test func aGeoPackageThatIsNotAPlanIsNamed() throws {
        let p = try plan("gpkg-not-plan")
        let exported = p + "/../export.gpkg"
        #expect(try CLI.run(["export", "--plan", p, "--format", "gpkg", "--out", exported]).status == 0)
        let r = try CLI.run(["report", "--plan", exported, "--out", p + "/../r.html"])
        #expect(
            r.status == 2 && r.stderr.contains("not a GridPlan plan") && !r.stderr.contains("already exists"),
            "\(r.stderr)")
    }

    @Test func anOutputFolderUnderAFileIsNamed() throws {
        let p = try plan("under-file")
        let r = try CLI.run(["export", "--plan", p, "--format", "geojson", "--out", p + "/grids.geojson/sub"])
        #expect(
            r.status == 2 && r.stderr.contains("is a file, not a folder") && !r.stderr.contains("NSCocoaErrorDomain"),
            "\(r.stderr)")
    }

    // MARK: helpers

    func journal(token: String, plan: String, files: [[String]], in folder: String) throws {
        let record: [String: Any] = [
            "token": token, "plan": URL(fileURLWithPath: plan).standardizedFileURL.resolvingSymlinksInPath().path,
            "files": files,
        ]
        try JSONSerialization.data(withJSONObject: record).write(
            to: URL(fileURLWithPath: folder + "/.gridplan-outputs-\(token).json"))
    }

    /// A process id no process has now.
    func deadPID() -> Int32 {
        var pid: Int32 = 4_000_000
        while kill(pid, 0) == 0 || errno == EPERM { pid -= 1 }
        return pid
    }
}
