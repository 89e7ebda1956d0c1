import Foundation
import GridPlanTestSupport
import Testing

/// Runs a Python helper from Tests/helpers and returns its exit status and output.
func runHelper(_ name: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
    try runProgram(
        "/usr/bin/env", ["python3", CLI.repository.appendingPathComponent("Tests/helpers/\(name)").path] + arguments)
}

@Suite struct PartitionCommandTests {
    let units = ["jiangmen/counties.geojson", "jiangmen/towns.geojson", "jiangmen/villages.geojson"].map(CLI.data)

    @Test(
        .enabled(
            if: Tool.python && Tool.gdal,
            "needs python3 (shapely, pyproj, scipy, numpy) and GDAL (gdal-bin); setup.sh installs them"))
    func wholeJiangmenDemoKeepsTheHardRules() throws {
        let out = try scratch("partition").path
        let r = try CLI.run(units.flatMap { ["--units", $0] }.prefixed("partition") + ["--out", out])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("partitioned 1333 units into"))
        #expect(r.stdout.contains("hard rules: hold"))
        // The engine's own proof…
        let report = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/report.json")))
                as? [String: Any])
        let hard = try #require(report["hard_rules"] as? [String: Any])
        #expect(hard["hold"] as? Bool == true)
        let summary = try #require(report["summary"] as? [String: Any])
        #expect((summary["share_within_band"] as? Double ?? 0) > 0.95)
        // …and an independent one: shapely on the files as written, against the input units.
        let check = try runHelper("verify_partition.py", [CLI.data("jiangmen/villages.geojson"), "--out", out])
        #expect(check.status == 0, "\(check.output)")
        // The plan holds the same grids.
        let ogrinfo = try runProgram("/usr/bin/ogrinfo", ["-so", "-ro", out + "/plan.gpkg", "grids"]).output
        let gridCount = try #require(summary["grids"] as? Int)
        #expect(ogrinfo.contains("Feature Count: \(gridCount)"))
    }

    @Test func outputIsByteIdenticalForTheSameInput() throws {
        let towns = CLI.data("jiangmen/villages.geojson")
        let a = try scratch("det-a").path, b = try scratch("det-b").path
        for out in [a, b] {
            let r = try CLI.run(["partition", "--units", towns, "--out", out, "--no-gaps"])
            #expect(r.status == 0)
        }
        for file in ["grids.geojson", "microgrids.geojson"] {
            #expect(
                try Data(contentsOf: URL(fileURLWithPath: a + "/" + file))
                    == Data(contentsOf: URL(fileURLWithPath: b + "/" + file)), "\(file) differs")
        }
    }

    @Test func brokenUnitsAreNotPartitioned() throws {
        let out = try scratch("partition-bad").path + "/out"
        let r = try CLI.run(["partition", "--units", CLI.data("examples/broken_units.geojson"), "--out", out])
        #expect(r.status == 1)
        #expect(r.stdout.contains("unit.overlap"))
        #expect(!FileManager.default.fileExists(atPath: out))
        let unknown = try CLI.run([
            "partition", "--units", CLI.data("jiangmen/villages.geojson"), "--grids", "999=3", "--out", out,
        ])
        #expect(unknown.status == 2 && unknown.stderr.contains("no unit has code 999"))
    }

    @Test func barriersFromRealPedestrianStreets() throws {
        // Bund sample: real OSM footprints and pedestrian areas. Barriers never cost a hard rule.
        let out = try scratch("partition-barriers").path
        let r = try CLI.run([
            "partition", "--units", CLI.data("shanghai_bund/units.geojson"), "--buildings",
            CLI.data("shanghai_bund/buildings.geojson"),
            "--barriers", CLI.data("shanghai_bund/barriers.geojson"), "--out", out,
        ])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("hard rules: hold") && r.stdout.contains("each wholly in one micro-grid: yes"))
        #expect(r.stdout.contains("boundaries between grids along barriers:"))
        let report = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/report.json")))
                as? [String: Any])
        let summary = try #require(report["summary"] as? [String: Any])
        #expect(summary["boundary_share_on_barriers"] is Double)
    }

    @Test func badBarriersAreReportedByFileAndFeature() throws {
        let dir = try scratch("partition-bad-barriers")
        let file = dir.appendingPathComponent("roads.geojson").path
        try Data(
            #"""
            {"type":"FeatureCollection","features":[
            {"type":"Feature","properties":{"id":"r1"},"geometry":{"type":"LineString","coordinates":[[112.9,22.4],[113.1,22.6]]}},
            {"type":"Feature","properties":{"id":"stop"},"geometry":{"type":"Point","coordinates":[113,22.5]}}]}
            """#.utf8
        ).write(to: URL(fileURLWithPath: file))
        let out = dir.path + "/out"
        let r = try CLI.run([
            "partition", "--units", CLI.data("jiangmen/villages.geojson"), "--barriers", file, "--out", out,
            "--no-gaps",
        ])
        #expect(r.status == 1)
        #expect(
            r.stdout.contains("roads.geojson") && r.stdout.contains("feature #1 (stop)")
                && r.stdout.contains("geometry.wrong-type"),
            "\(r.stdout)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }
}

extension Array where Element == String {
    func prefixed(_ command: String) -> [String] { [command] + self }
}

@Suite struct BuildingPartitionCommandTests {
    @Test(.enabled(if: Tool.python, "needs python3 with shapely, pyproj, scipy and numpy (setup.sh installs them)"))
    func shanghaiBundBuildingsAreNeverSplit() throws {
        let out = try scratch("bund").path
        let units = CLI.data("shanghai_bund/units.geojson"), buildings = CLI.data("shanghai_bund/buildings.geojson")
        let r = try CLI.run(["partition", "--units", units, "--buildings", buildings, "--out", out])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("buildings: 1572, each wholly in one micro-grid: yes"))
        #expect(r.stdout.contains("hard rules: hold"))
        let check = try runHelper("verify_partition.py", [units, "--buildings", buildings, "--out", out])
        #expect(check.status == 0, "\(check.output)")
    }
}

@Suite struct LineageCommandTests {
    /// One urban unit (1 km square near Jiangmen) with the given households.
    func units(_ households: Int, _ folder: URL) throws -> String {
        let ring = [(0.0, 0.0), (1000, 0), (1000, 1000), (0, 1000), (0, 0)].map {
            "[\(113 + $0.0 / 102_850),\(22.5 + $0.1 / 110_574)]"
        }
        return try write(
            """
            {"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"440703001001","kind":"community","households":\(households),"population":\(households * 3)},"geometry":{"type":"Polygon","coordinates":[[\(ring.joined(separator: ","))]]}}]}
            """, folder, "units-\(households).geojson")
    }

    func lineage(_ folder: String) throws -> [[String]] {
        try String(contentsOfFile: folder + "/lineage.csv", encoding: .utf8).split(separator: "\r\n").dropFirst()
            .map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    }

    @Test func codesSurviveAcrossPlansAndRetiredOnesStayRetired() throws {
        let folder = try scratch("lineage")
        let plans = ["a", "b", "c", "d"].map { folder.appendingPathComponent($0).path }
        #expect(try CLI.run(["partition", "--units", units(800, folder), "--out", plans[0]]).status == 0)
        let grown = try CLI.run([
            "partition", "--units", units(1600, folder), "--previous", plans[0], "--out", plans[1],
        ])
        #expect(grown.status == 0 && grown.stdout.contains("lineage:"))
        #expect(
            try Set(lineage(plans[1]).map { $0[1] }) == [
                "440703001001001", "440703001001002", "440703001001003", "440703001001004",
            ])
        let shrunk = try CLI.run([
            "partition", "--units", units(800, folder), "--previous", plans[1] + "/plan.gpkg", "--out", plans[2],
        ])
        #expect(shrunk.status == 0)
        #expect(try lineage(plans[2]).filter { $0[2] == "retired" }.count == 2)
        #expect(
            try CLI.run(["partition", "--units", units(1600, folder), "--previous", plans[2], "--out", plans[3]]).status
                == 0)
        let fresh = try lineage(plans[3]).filter {
            $0[2] != "retired" && !$0[3].split(separator: ";").contains(Substring($0[1]))
        }.map { $0[1] }
        #expect(fresh.allSatisfy { $0 > "440703001001004" }, "a retired code came back: \(fresh)")
        // Same input again: every grid unchanged.
        let again = try CLI.run([
            "partition", "--units", units(1600, folder), "--previous", plans[3], "--out",
            folder.appendingPathComponent("e").path,
        ])
        #expect(again.stdout.contains("lineage: unchanged 4, reshaped 0, split 0, merged 0, new 0, retired 0"))
    }
}

/// The street-block engine on real OpenStreetMap data (Helsinki centre: 486 buildings, 2,469
/// highway lines), measured independently with shapely in the local UTM zone.
@Suite struct StreetBlockCommandTests {
    /// A partition run's stdout checked for the hard rules and whole buildings, then its
    /// figures from Tests/helpers/grid_figures.py (`arguments` after the output folder) and
    /// their text for messages.
    func checkedFigures(
        _ run: CLI.Result, buildings: Int, folder: String, _ arguments: [String] = [],
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> (values: [String: Any], text: String) {
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)", sourceLocation: sourceLocation)
        #expect(
            run.stdout.contains("hard rules: hold")
                && run.stdout.contains("buildings: \(buildings), each wholly in one micro-grid: yes"), "\(run.stdout)",
            sourceLocation: sourceLocation)
        let figures = try runHelper("grid_figures.py", [folder] + arguments)
        #expect(figures.status == 0, "\(figures.output)", sourceLocation: sourceLocation)
        let values = try #require(
            try JSONSerialization.jsonObject(with: Data(figures.output.utf8)) as? [String: Any],
            sourceLocation: sourceLocation)
        return (values, figures.output)
    }

    @Test(.enabled(if: Tool.python, "needs python3 with shapely, pyproj, scipy and numpy (setup.sh installs them)"))
    func gridsFollowRealRoadsAndStayInBand() throws {
        let folder = try scratch("helsinki-roads")
        let roads = CLI.data("helsinki/roads.geojson")
        let arguments = [
            "partition", "--repair", "--units", CLI.data("helsinki/unit.geojson"), "--buildings",
            CLI.data("helsinki/buildings.geojson"),
            "--barriers", roads,
        ]
        let (f, text) = try checkedFigures(
            try CLI.run(arguments + ["--out", folder.path + "/a"]), buildings: 486, folder: folder.path + "/a",
            ["--barriers", roads])
        // The issue's targets: ≥ 80 % of the boundary between grids within 5 m of a road,
        // ≥ 95 % of grids in band, mean Polsby–Popper ≥ 0.35.
        #expect((f["on_barriers"] as! Double) >= 0.80, "\(text)")
        #expect((f["in_band"] as! Double) >= 0.95, "\(text)")
        #expect((f["pp_mean"] as! Double) >= 0.35, "\(text)")
        // Byte-identical reruns.
        #expect(try CLI.run(arguments + ["--out", folder.path + "/b"]).status == 0)
        for file in ["grids.geojson", "microgrids.geojson"] {
            #expect(
                FileManager.default.contentsEqual(
                    atPath: folder.path + "/a/" + file, andPath: folder.path + "/b/" + file), "\(file) differs")
        }
        // The check sits in the independent verifier too.
        let verified = try runHelper(
            "verify_partition.py", [CLI.data("helsinki/unit.geojson"), "--out", folder.path + "/a"])
        #expect(verified.status == 0, "\(verified.output)")
    }

    /// A second real extract, not looked at while the engine was written: Balzers
    /// (Liechtenstein, OSM 2013), 1,394 buildings, 354 highway lines, and the municipality's
    /// real outline with two exclaves in the mountains.
    @Test(.enabled(if: Tool.python, "needs python3 with shapely, pyproj, scipy and numpy (setup.sh installs them)"))
    func gridsFollowTheRoadsOfASecondRealExtract() throws {
        let folder = try scratch("balzers-roads")
        let roads = CLI.data("liechtenstein/roads.geojson")
        let run = try CLI.run([
            "partition", "--units", CLI.data("liechtenstein/unit.geojson"), "--buildings",
            CLI.data("liechtenstein/buildings.geojson"), "--barriers", roads, "--out", folder.path,
        ])
        let (f, text) = try checkedFigures(run, buildings: 1394, folder: folder.path, ["--barriers", roads])
        #expect((f["on_barriers"] as! Double) >= 0.80, "\(text)")
        #expect((f["in_band"] as! Double) >= 0.95, "\(text)")
        #expect((f["micro_in_band"] as! Double) >= 0.95, "\(text)")
        // The issue asks for a mean of 0.35: 0.351 since the blocks' order was fixed (7 December
        // 2026; 0.348 before), held down by the grid that holds the exclaves (0.15–0.19), whose
        // shape the outline fixes.
        #expect((f["pp_mean"] as! Double) >= 0.35, "\(text)")
        let verified = try runHelper(
            "verify_partition.py", [CLI.data("liechtenstein/unit.geojson"), "--out", folder.path])
        #expect(verified.status == 0, "\(verified.output)")
    }

    /// Without roads, micro-grids of 20–100 households on the same real buildings: the issue
    /// asks for a mean Polsby–Popper of at least 0.55 (HOT's task splitter: 0.567 on Helsinki,
    /// 0.520 on Balzers, 0.507 on the four municipalities, with 30–54 % of its tasks off their
    /// mean by over 50 %), measured in the UTM zone; boundaries between micro-grids are
    /// straightened between buildings and polished by boundary moves (0.591, 0.580, 0.555 on
    /// 7 December 2026).
    @Test(.enabled(if: Tool.python, "needs python3 with shapely, pyproj, scipy and numpy (setup.sh installs them)"))
    func microGridsAreCompactWithoutRoads() throws {
        for (data, buildings) in [("helsinki", 486), ("liechtenstein", 1394), ("liechtenstein_south", 2238)] {
            let folder = try scratch("compact-\(data)")
            let run = try CLI.run([
                "partition", "--repair", "--units", CLI.data("\(data)/unit.geojson"), "--buildings",
                CLI.data("\(data)/buildings.geojson"), "--out", folder.path,
            ])
            let (f, text) = try checkedFigures(run, buildings: buildings, folder: folder.path)
            #expect((f["micro_pp_mean"] as! Double) >= 0.55, "\(data): \(text)")
            #expect((f["micro_within_half"] as! Double) >= 0.9, "\(data): \(text)")
            #expect((f["micro_in_band"] as! Double) >= 0.95, "\(data): \(text)")
            let verified = try runHelper(
                "verify_partition.py", [CLI.data("\(data)/unit.geojson"), "--out", folder.path])
            #expect(verified.status == 0, "\(data): \(verified.output)")
        }
    }
}
