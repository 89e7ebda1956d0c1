import Foundation
import GRDB
import GridPlanTestSupport
import Testing

/// Inputs that crashed or hung GridPlan (issue 15): each now ends with exit 0, 1 or 2 and a
/// message naming the file, feature, row or option. Repro files are in Tests/Fixtures/hostile.
@Suite struct HostileInputTests {
    static func fixture(_ name: String) -> String {
        CLI.repository.appendingPathComponent("Tests/Fixtures/hostile/\(name)").path
    }
    let community = fixture("community.geojson")

    /// A partitioned plan of the test community.
    func plan(_ name: String) throws -> String {
        let out = try scratch(name).path + "/plan"
        let r = try CLI.run(["partition", "--units", community, "--out", out])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        return out
    }

    @Test func emptyPolygonIsAnErrorNotACrash() throws {
        let file = Self.fixture("empty_polygon.geojson")
        let checked = try CLI.run(["check", file])
        #expect(
            checked.status == 1 && checked.stdout.contains("feature #0 (440703001001): error [geometry.empty]"),
            "\(checked.stdout)")
        let out = try scratch("empty-polygon").path
        let partitioned = try CLI.run(["partition", "--units", file, "--out", out + "/p"])
        expectNoCrash(partitioned)
        #expect(partitioned.status == 1 && !FileManager.default.fileExists(atPath: out + "/p"))
        let imported = try CLI.run(["import", file, "--plan", out + "/plan.gpkg"])
        expectNoCrash(imported)
        #expect(imported.status == 1 && !FileManager.default.fileExists(atPath: out + "/plan.gpkg"))
    }

    @Test func impossibleUTCOffsetsAreRefused() throws {
        let p = try plan("offset")
        for time in [
            "2018-09-16T17:00+99:99", "2018-09-16T17:00+25:00", "2018-09-16T17:00-30:00", "2018-09-16T17:00+14:60",
        ] {
            let r = try CLI.run(["recall", "status", "--plan", p, "--confirmed", "V1", "--time", time])
            expectNoCrash(r)
            #expect(r.status == 2 && r.stderr.contains("--time"), "\(time): \(r.stderr)")
        }
    }

    @Test func implausibleLevelsAreIgnoredWithAWarning() throws {
        let out = try scratch("levels").path + "/p"
        let r = try CLI.run([
            "partition", "--units", community, "--buildings", Self.fixture("huge_levels_buildings.geojson"), "--out",
            out,
        ])
        expectNoCrash(r)
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        let checked = try CLI.run(["check", community, "--buildings", Self.fixture("huge_levels_buildings.geojson")])
        #expect(checked.stdout.contains("feature #6 (b12): warning [levels.implausible]"), "\(checked.stdout)")
    }

    @Test func absurdGridCountsAreRefusedQuickly() throws {
        let out = try scratch("grids-count").path
        for n in ["9223372036854775807", "1000000", "0"] {
            let r = try CLI.run([
                "partition", "--units", community, "--grids", "440703001001=\(n)", "--out", out + "/p",
            ])
            expectNoCrash(r)
            #expect(
                r.status == 2 && r.stderr.contains("--grids expects UNIT_CODE=N with N from 1 to 5000"), "\(r.stderr)")
        }
        // Households no village has: refused with the unit named, not hours of cutting.
        let huge = try write(
            try String(contentsOfFile: community, encoding: .utf8).replacingOccurrences(
                of: "\"households\":800", with: "\"households\":2000000000"),
            try scratch("huge-households"), "units.geojson")
        let r = try CLI.run(["partition", "--units", huge, "--out", out + "/q"])
        expectNoCrash(r)
        #expect(
            r.status == 2 && r.stderr.contains("unit 440703001001 has 2000000000 households")
                && r.stderr.contains("at most 5000 grids"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out + "/q/plan.gpkg"))
    }

    /// Households taken from buildings instead of the unit's own figure are said, with both figures.
    @Test func householdsChangedByBuildingsAreSaid() throws {
        let out = try scratch("households-changed").path
        let all = try CLI.run([
            "partition", "--units", community, "--buildings", Self.fixture("buildings_10000_households.geojson"),
            "--out", out + "/a",
        ])
        #expect(all.status == 0, "\(all.stderr)")
        #expect(
            all.stdout.contains(
                "community.geojson: feature #0 (440703001001): warning [households.buildings-differ] the unit states "
                    + "800 households; its 8 buildings hold 10000, which is used"
            ), "\(all.stdout)")
        let some = try CLI.run([
            "partition", "--units", community, "--buildings", Self.fixture("buildings_given_exceed_unit.geojson"),
            "--out", out + "/b",
        ])
        #expect(some.status == 0, "\(some.stderr)")
        #expect(
            some.stdout.contains(
                "4 of its buildings already hold 1000; 1000 is used and its 4 buildings without a figure get none"),
            "\(some.stdout)")
    }

    /// A sea area as large as the world made a raster as large as the world (9 GB after 15 s).
    @Test func aWholeWorldSeaStaysSmallAndAnInvalidSeaIsNamed() throws {
        let p = try plan("world-sea")
        func recall(sea: String, vessels: String = Self.fixture("vessels.csv"), out: String) throws -> CLI.Result {
            try CLI.run([
                "recall", "--plan", p, "--vessels", vessels, "--ports", Self.fixture("ports.geojson"), "--sea", sea,
                "--landfall", "2026-09-16T17:00", "--now", "2026-09-15T11:00", "--out", p + "/../" + out,
            ])
        }
        let world = try recall(sea: Self.fixture("sea_whole_world.geojson"), out: "world")
        expectNoCrash(world)
        #expect(world.status == 0 && world.stderr.contains("sea raster: "), "\(world.stdout)\(world.stderr)")
        if let line = world.stderr.split(separator: "\n").first(where: { $0.contains("sea raster: ") }),
            let cells = line.split(separator: " ").compactMap({ Int($0) }).first
        {
            #expect(cells < 200, "\(line)")  // columns of a raster round the fleet, not the world
        }
        let bowtie = try recall(sea: Self.fixture("sea_bowtie.geojson"), out: "bowtie")
        #expect(
            bowtie.status == 2 && bowtie.stderr.contains("sea_bowtie.geojson: feature #0")
                && bowtie.stderr.contains("Self-intersection")
                && !bowtie.stderr.contains("P01"), "\(bowtie.stderr)")
        // A fleet spread over half the world is refused with the figures, not left to run out of memory.
        let far = try write(
            try String(contentsOfFile: Self.fixture("vessels.csv"), encoding: .utf8)
                + "V3,far away,440703001001,o,1,2,,80,-70.0,10.0,7,2026-09-15 10:00\n",
            try scratch("far-fleet"), "vessels.csv")
        let spread = try recall(sea: Self.fixture("sea_whole_world.geojson"), vessels: far, out: "far")
        #expect(
            spread.status == 2 && spread.stderr.contains("recall.area-too-large")
                && spread.stderr.contains("recall.cell_metres"), "\(spread.stderr)")
    }

    /// 300 random crossing barriers over 400 buildings crashed the street-block engine (an atom
    /// emptied by a footprint was marked after the atoms were renumbered) and, without
    /// buildings, took 45 s; the lines are now thinned to a real network's density, with a warning.
    @Test func denseRandomBarriersNeitherCrashNorHang() throws {
        let out = try scratch("dense-barriers").path
        let barriers = Self.fixture("barriers_random300.geojson")
        let r = try CLI.run([
            "partition", "--units", community, "--buildings", Self.fixture("buildings_random400.geojson"), "--barriers",
            barriers, "--out", out + "/a",
        ])
        expectNoCrash(r)
        #expect(
            r.status == 0 && r.stdout.contains("barriers.too-dense") && r.stdout.contains("longest lines"),
            "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("within band: 2 of 2"), "\(r.stdout)")
    }

    /// A staffing rule of 1e308 crashed reading the rules file (found by the fuzzing harness).
    @Test func absurdRuleValuesAreRefusedWithTheirName() throws {
        let folder = try scratch("absurd-rules")
        for (rule, value) in [
            ("staff.candidates_per_person", "1e308"), ("staff.max_distance_km", "inf"), ("recall.lead_hours", "1e308"),
        ] {
            let rules = try write(
                "[\(rule.split(separator: ".")[0])]\n\(rule.split(separator: ".").dropFirst().joined(separator: ".")) = \(value)\n",
                folder, "rules.toml")
            let r = try CLI.run(["partition", "--units", community, "--rules", rules, "--out", folder.path + "/p"])
            expectNoCrash(r)
            #expect(r.status == 2 && r.stderr.contains(rule), "\(rule) = \(value): \(r.stderr)")
        }
    }

    @Test func anEmptyLayerListIsRefused() throws {
        let p = try plan("layers")
        let r = try CLI.run(["export", "--plan", p, "--format", "geojson", "--layers", "", "--out", p + "/../export"])
        #expect(r.status == 2 && r.stderr.contains("--layers is empty"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: p + "/../export"))
    }

    @Test func rosterWithAbsurdMaxGridsNamesTheLine() throws {
        let p = try plan("roster")
        let r = try CLI.run([
            "staff", "--plan", p, "--roster", Self.fixture("roster_huge_max_grids.csv"), "--out", p + "/../staff",
        ])
        expectNoCrash(r)
        #expect(
            r.status == 1 && r.stdout.contains("roster_huge_max_grids.csv:2: error [roster.max-grids]"),
            "\(r.stdout)\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: p + "/../staff/assignments.csv"))
    }

    @Test func damagedPlansAreRefusedWithTableRowAndColumn() throws {
        // Text in an INTEGER column.
        let p = try plan("damaged")
        try DatabaseQueue(path: p + "/plan.gpkg").write { db in
            // The GeoPackage triggers call functions only GDAL defines; another tool's edit without them.
            for name in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'trigger'") {
                try db.execute(sql: "DROP TRIGGER \(name.quotedDatabaseIdentifier)")
            }
            try db.execute(sql: "UPDATE grids SET households = 'many'")
        }
        let exported = try CLI.run(["export", "--plan", p, "--format", "geojson", "--out", p + "/../export"])
        expectNoCrash(exported)
        #expect(
            exported.status == 2 && exported.stderr.contains("plan.corrupt") && exported.stderr.contains("table grids")
                && exported.stderr.contains("column households"), "\(exported.stderr)")
        let again = try CLI.run(["partition", "--units", community, "--previous", p, "--out", p + "/../next"])
        expectNoCrash(again)
        #expect(again.status == 2 && again.stderr.contains("column households"), "\(again.stderr)")

        // A code sequence no release issues.
        let q = try plan("sequence")
        try DatabaseQueue(path: q + "/plan.gpkg").write { db in
            try db.execute(sql: "UPDATE code_sequences SET last_sequence = 9223372036854775807")
        }
        let next = try CLI.run(["partition", "--units", community, "--previous", q, "--out", q + "/../next"])
        expectNoCrash(next)
        #expect(
            next.status == 2 && next.stderr.contains("code_sequences") && next.stderr.contains("9223372036854775807"),
            "\(next.stderr)")
    }
}

@Suite struct ExitCodeContractTests {
    @Test func argumentErrorsExitTwo() throws {
        for arguments in [
            ["partition", "--tolerance", "-5", "--units", "x", "--out", "y"], ["bogus"],
            ["check", "--no-such-flag", "x"],
            ["check", "--tolerance", "nan", "x"], ["check", "--tolerance=-5", "x"],
            ["check", "--tolerance", "inf", "x"],
        ] {
            let r = try CLI.run(arguments)
            #expect(r.status == 2, "\(arguments): \(r.status) \(r.stderr)")
            if arguments.contains(where: { $0.contains("nan") || $0.contains("inf") || $0.contains("=-5") }) {
                #expect(r.stderr.contains("--tolerance expects a number of m² ≥ 0"), "\(r.stderr)")
            }
        }
        #expect(try CLI.run(["--help"]).status == 0)
    }

    @Test(.enabled(if: FileManager.default.isWritableFile(atPath: "/dev/full"), "needs /dev/full (Linux)"))
    func aFullDiskOnStandardOutputIsAnError() throws {
        let full = try #require(FileHandle(forWritingAtPath: "/dev/full"))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLI.binary)
        process.arguments = ["rules"]
        process.standardOutput = full
        let err = Pipe()
        process.standardError = err
        try process.run()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(
            process.terminationStatus == 2
                && message.contains("cannot write to standard output: No space left on device"), "\(message)")
    }
}
