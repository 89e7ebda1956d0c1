import Foundation
import GridPlanTestSupport
import Testing

/// Runs the built `gridplan` binary, as users do.
enum CLI {
    static let binary: String = {
        // The test runner sits in the same build folder as the products.
        let folder =
            Bundle.main.executableURL?.deletingLastPathComponent()
            ?? URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [folder, folder.deletingLastPathComponent()] {
            let path = candidate.appendingPathComponent("gridplan").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return repository.appendingPathComponent(".build/debug/gridplan").path
    }()

    static let repository: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url
    }()

    static func data(_ relative: String) -> String { repository.appendingPathComponent("data/\(relative)").path }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func run(_ arguments: [String]) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes concurrently so a large report cannot block the child.
        nonisolated(unsafe) var errData = Data()
        let reader = Thread { errData = err.fileHandleForReading.readDataToEndOfFile() }
        reader.start()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !reader.isFinished { usleep(1000) }
        return Result(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }
}

func scratch(_ name: String) throws -> URL {
    try ScratchFolders.make("gridplan-cli-\(name)")
}

func write(_ text: String, _ folder: URL, _ name: String) throws -> String {
    let path = folder.appendingPathComponent(name).path
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    return path
}

/// A crash would print a stack dump or "Fatal error"; a clean failure never does.
func expectNoCrash(_ r: CLI.Result, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(r.status != 132 && r.status != 133 && r.status != 134 && r.status != 139, sourceLocation: sourceLocation)
    #expect(!r.stderr.contains("Fatal error") && !r.stderr.contains("Stack dump"), sourceLocation: sourceLocation)
}

@Suite struct CheckCommandTests {
    @Test func sampleDataIsClean() throws {
        let r = try CLI.run([
            "check", CLI.data("jiangmen/counties.geojson"), CLI.data("jiangmen/towns.geojson"),
            CLI.data("jiangmen/villages.geojson"),
        ])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("checked 3 files: 1420 units, 0 buildings"))
        #expect(r.stdout.contains("no problems found"))
    }

    @Test func unusableInputsExitTwoWithoutCrashing() throws {
        let folder = try scratch("unusable")
        var garbage = Data()
        var state: UInt64 = 42
        for _ in 0..<4096 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            garbage.append(UInt8(truncatingIfNeeded: state >> 33))
        }
        let garbagePath = folder.appendingPathComponent("garbage.geojson").path
        try garbage.write(to: URL(fileURLWithPath: garbagePath))
        // The real villages file cut in the middle of a feature.
        let villages = try Data(contentsOf: URL(fileURLWithPath: CLI.data("jiangmen/villages.geojson")))
        let truncatedPath = folder.appendingPathComponent("truncated.geojson").path
        try villages.prefix(villages.count / 2).write(to: URL(fileURLWithPath: truncatedPath))
        let cases: [(String, String)] = [
            (truncatedPath, "truncated"),
            (garbagePath, "not GeoJSON"),
            (try write("", folder, "empty.geojson"), "file.empty"),
            (folder.path, "is a directory"),
            (folder.appendingPathComponent("absent.geojson").path, "no such file"),
            (
                try write(
                    "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{},\"geometry\":{\"type\":\"Point\",\"coordinates\":[397000,2498000]}}]}",
                    folder, "projected.geojson"), "crs.not-lonlat"
            ),
        ]
        for (path, expected) in cases {
            let r = try CLI.run(["check", path])
            #expect(r.status == 2, "\(path): \(r.status) \(r.stdout) \(r.stderr)")
            #expect(r.stdout.contains(path), "\(path): message must name the file")
            #expect(r.stdout.contains(expected), "\(path): \(r.stdout)")
            expectNoCrash(r)
        }
        // The truncated file's message gives line and column.
        let r = try CLI.run(["check", truncatedPath])
        #expect(r.stdout.range(of: #"\(line \d+, column \d+\)"#, options: .regularExpression) != nil, "\(r.stdout)")
    }

    @Test func brokenUnitsExitOneWithPreciseMessages() throws {
        let folder = try scratch("broken")
        func square(_ x: Double, _ y: Double, _ s: Double) -> String {
            "[[[\(x),\(y)],[\(x + s),\(y)],[\(x + s),\(y + s)],[\(x),\(y + s)],[\(x),\(y)]]]"
        }
        let units = """
            {"type":"FeatureCollection","features":[
            {"type":"Feature","properties":{"code":"T1","kind":"town"},"geometry":{"type":"Polygon","coordinates":\(square(113, 22, 0.02))}},
            {"type":"Feature","properties":{"code":"V1","kind":"village","parent":"T1","households":-3,"population":10},"geometry":{"type":"Polygon","coordinates":\(square(113, 22, 0.01))}},
            {"type":"Feature","properties":{"code":"V2","kind":"village","parent":"T1","households":"lots","population":10},"geometry":{"type":"Polygon","coordinates":\(square(113.005, 22, 0.01))}},
            {"type":"Feature","properties":{"code":"V2","kind":"village","parent":"T1","households":5,"population":10},"geometry":{"type":"Polygon","coordinates":[[[113,22.01],[113.01,22.02],[113.01,22.01],[113,22.02],[113,22.01]]]}}
            ]}
            """
        let path = try write(units, folder, "units.geojson")
        let r = try CLI.run(["check", path])
        #expect(r.status == 1, "\(r.stdout)\(r.stderr)")
        for expected in [
            "feature #1 (V1): error [households.negative] households is -3",
            "feature #2 (V2): error [households.non-numeric] households is \"lots\", not a number",
            "feature #3 (V2): error [code.duplicate] code V2 is already used by feature #2 (V2)",
            "feature #3 (V2): error [geometry.invalid] invalid geometry: Self-intersection",
            "feature #1 (V1): error [unit.overlap] overlaps feature #2 (V2)",
            "feature #0 (T1): error [unit.gap]",
        ] {
            #expect(r.stdout.contains(expected), "missing: \(expected)\n\(r.stdout)")
        }
        #expect(
            r.stdout.split(separator: "\n").allSatisfy {
                // Findings, the summary, and how the file was read (indented under its name).
                $0.isEmpty || $0.hasPrefix(path) || $0.hasPrefix("checked") || $0.contains("error")
                    || $0.hasPrefix("  ")
            })
        let json = try CLI.run(["check", "--json", path])
        #expect(json.status == 1)
        let parsed = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect(parsed?["exit_code"] as? Int == 1)
        #expect(
            (parsed?["diagnostics"] as? [[String: Any]])?.contains {
                $0["rule"] as? String == "unit.overlap" && ($0["area_m2"] as? Double ?? 0) > 0
            } == true)
    }

    @Test func badArgumentsExitTwo() throws {
        let villages = CLI.data("jiangmen/villages.geojson")
        for args in [
            ["check"], ["check", "--crs", "EPSG:999999", villages], ["check", "--field", "homes=x", villages],
            ["check", "--kind", "castle", villages],
        ] {
            let r = try CLI.run(args)
            #expect(r.status == 2, "\(args): \(r.status) \(r.stderr)")
            expectNoCrash(r)
        }
        #expect(try CLI.run(["check", "--crs", "EPSG:999999", villages]).stderr.contains("crs not found"))
    }

    @Test func gcj02InputIsConverted() throws {
        let datav = RealData.url("boundaries/jiangmen_counties_datav_GCJ02_raw.json").path
        let r = try CLI.run(["check", "--crs", "gcj02", "--field", "code=adcode", "--kind", "county", "--json", datav])
        // DataV's file has no household counts, which counties (containers) do not need.
        #expect(r.status == 0, "\(r.stdout)")
    }
}

@Suite struct ImportCommandTests {
    @Test(.enabled(if: Tool.gdal, "needs GDAL (ogrinfo, ogr2ogr from Debian gdal-bin; setup.sh installs it)"))
    func importsTheSampleDataIntoAGeoPackage() throws {
        let folder = try scratch("import")
        let plan = folder.appendingPathComponent("jiangmen.gpkg").path
        let r = try CLI.run([
            "import", CLI.data("jiangmen/counties.geojson"), CLI.data("jiangmen/towns.geojson"),
            CLI.data("jiangmen/villages.geojson"), "--plan", plan,
        ])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("imported 1420 units and 0 buildings"))
        let ogrinfo = "/usr/bin/ogrinfo"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ogrinfo)
        process.arguments = ["-so", "-ro", plan, "units"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let info = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(info.contains("Feature Count: 1420"))
        #expect(info.contains("ID[\"EPSG\",4326]"))
    }

    @Test func brokenInputWritesNothing() throws {
        let folder = try scratch("import-bad")
        let plan = folder.appendingPathComponent("plan.gpkg").path
        let bad = try write(
            """
            {"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"V","households":-1,"population":3},"geometry":{"type":"Polygon","coordinates":[[[113,22],[113.01,22],[113.01,22.01],[113,22]]]}}]}
            """, folder, "bad.geojson")
        let r = try CLI.run(["import", bad, "--plan", plan])
        #expect(r.status == 1)
        #expect(r.stdout.contains("households.negative"))
        #expect(r.stderr.contains("nothing written"))
        #expect(!FileManager.default.fileExists(atPath: plan))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["bad.geojson"])
    }

    @Test func repairIsOnlyDoneWhenAsked() throws {
        let folder = try scratch("repair")
        let plan = folder.appendingPathComponent("plan.gpkg").path
        let bowTie = try write(
            """
            {"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"V","kind":"village","households":10,"population":30},"geometry":{"type":"Polygon","coordinates":[[[113,22],[113.01,22.01],[113.01,22],[113,22.01],[113,22]]]}}]}
            """, folder, "bowtie.geojson")
        let refused = try CLI.run(["import", bowTie, "--plan", plan])
        #expect(refused.status == 1 && refused.stdout.contains("geometry.invalid"))
        let repaired = try CLI.run(["import", bowTie, "--plan", plan, "--repair"])
        #expect(repaired.status == 0, "\(repaired.stdout)\(repaired.stderr)")
        #expect(repaired.stdout.contains("geometry.repaired") && repaired.stdout.contains("1 geometries repaired"))
    }
}

/// Held-out defects of real data: invalid OSM footprints and digitising gaps between real
/// county outlines are reported by file and feature with the way to go on, never as a raw
/// GEOS message.
@Suite struct RealDataDefectTests {
    let unit = CLI.data("helsinki/unit.geojson"), buildings = CLI.data("helsinki/buildings.geojson")

    @Test func invalidFootprintsAreNamedAndRepairedWhenAsked() throws {
        // 12 of the 486 real OSM footprints of Helsinki centre are invalid (9 self-intersecting,
        // 3 collapsed rings).
        let checked = try CLI.run(["check", unit, "--buildings", buildings])
        #expect(checked.status == 1, "\(checked.stdout)\(checked.stderr)")
        #expect(
            checked.stdout.contains("12 errors") && checked.stdout.contains("geometry.invalid ×12"), "\(checked.stdout)"
        )
        #expect(
            checked.stdout.contains(
                "buildings.geojson: feature #285 (123412759): error [geometry.invalid] invalid geometry: "
                    + "Self-intersection"
            ))
        #expect(checked.stdout.contains("--repair"))
        #expect(!(checked.stdout + checked.stderr).contains("TopologyException"))

        let out = try scratch("helsinki-invalid").path + "/out"
        let refused = try CLI.run(["partition", "--units", unit, "--buildings", buildings, "--out", out])
        #expect(
            refused.status == 1 && refused.stdout.contains("geometry.invalid ×12"), "\(refused.stdout)\(refused.stderr)"
        )
        #expect(!(refused.stdout + refused.stderr).contains("TopologyException"))
        #expect(!FileManager.default.fileExists(atPath: out), "a refused partition wrote \(out)")

        let repaired = try CLI.run(["partition", "--repair", "--units", unit, "--buildings", buildings, "--out", out])
        #expect(repaired.status == 0, "\(repaired.stdout)\(repaired.stderr)")
        #expect(
            repaired.stdout.contains("geometry.repaired ×12")
                && repaired.stdout.contains("buildings: 486, each wholly in one micro-grid: yes"),
            "\(repaired.stdout)")
        #expect(repaired.stdout.contains("footprint has no area") && repaired.stdout.contains("kept as a point"))
    }

    @Test func gapsBetweenRealOutlinesSayHowToGoOn() throws {
        let counties = RealData.url("boundaries/study_counties_amap_wgs84.geojson").path
        let fields = [
            "--field", "code=adcode", "--field", "households=FAMILY_HOUSEHOLDS_EST", "--field", "population=POPU",
            "--kind", "community",
        ]
        let out = try scratch("gap-advice").path + "/out"
        let refused = try CLI.run(["partition", "--units", counties, "--out", out] + fields)
        #expect(refused.status == 1)
        let gap = try #require(
            refused.stdout.split(separator: "\n").first { $0.contains("[unit.gap]") }, "\(refused.stdout)")
        #expect(
            gap.contains("--no-gaps") && gap.contains("--tolerance") && gap.contains("stays outside every grid"),
            "\(gap)")
        #expect(!FileManager.default.fileExists(atPath: out))
        // The tolerance the message names is enough to go on.
        let tolerance = try #require(gap.firstMatch(of: /--tolerance (\d+)/)).1
        let passed = try CLI.run(["check", counties, "--tolerance", String(tolerance)] + fields)
        #expect(passed.status == 0, "\(passed.stdout)")
    }
}
