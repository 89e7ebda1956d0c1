import Foundation
import Testing

/// Runs a Python helper from Tests/helpers and returns its exit status and stdout.
func runHelper(_ name: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", CLI.repository.appendingPathComponent("Tests/helpers/\(name)").path] + arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

@Suite struct PartitionCommandTests {
    let units = ["jiangmen/counties.geojson", "jiangmen/towns.geojson", "jiangmen/villages.geojson"].map(CLI.data)

    @Test func wholeJiangmenDemoKeepsTheHardRules() throws {
        let out = try scratch("partition").path
        let r = try CLI.run(units.flatMap { ["--units", $0] }.prefixed("partition") + ["--out", out])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("partitioned 1333 units into"))
        #expect(r.stdout.contains("hard rules: hold"))
        // The engine's own proof…
        let report = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/report.json"))) as? [String: Any])
        let hard = try #require(report["hard_rules"] as? [String: Any])
        #expect(hard["hold"] as? Bool == true)
        let summary = try #require(report["summary"] as? [String: Any])
        #expect((summary["share_within_band"] as? Double ?? 0) > 0.95)
        // …and an independent one: shapely on the files as written, against the input units.
        let check = try runHelper("verify_partition.py", [CLI.data("jiangmen/villages.geojson"), "--out", out])
        #expect(check.status == 0, "\(check.output)")
        // The plan holds the same grids.
        let ogrinfo = try runProgramOutput("/usr/bin/ogrinfo", ["-so", "-ro", out + "/plan.gpkg", "grids"])
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
            #expect(try Data(contentsOf: URL(fileURLWithPath: a + "/" + file)) == Data(contentsOf: URL(fileURLWithPath: b + "/" + file)), "\(file) differs")
        }
    }

    @Test func brokenUnitsAreNotPartitioned() throws {
        let out = try scratch("partition-bad").path + "/out"
        let r = try CLI.run(["partition", "--units", CLI.data("examples/broken_units.geojson"), "--out", out])
        #expect(r.status == 1)
        #expect(r.stdout.contains("unit.overlap"))
        #expect(!FileManager.default.fileExists(atPath: out))
        let unknown = try CLI.run(["partition", "--units", CLI.data("jiangmen/villages.geojson"), "--grids", "999=3", "--out", out])
        #expect(unknown.status == 2 && unknown.stderr.contains("no unit has code 999"))
    }
}

func runProgramOutput(_ path: String, _ arguments: [String]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
}

extension Array where Element == String {
    func prefixed(_ command: String) -> [String] { [command] + self }
}

@Suite struct BuildingPartitionCommandTests {
    @Test func shanghaiBundBuildingsAreNeverSplit() throws {
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
