import Foundation
import GridPlanTestSupport
import Testing

/// Cross-checks against shapely/pyproj (installed by setup.sh), which share no code with us.
@Suite struct IndependentCheckTests {
    @Test(.enabled(if: Tool.python, "needs python3 with shapely, pyproj, scipy and numpy (setup.sh installs them)"))
    func gapRuleAgreesWithShapelyOnRealCountyOutlines() throws {
        let counties = RealData.url("boundaries/study_counties_amap_wgs84.geojson").path
        let ours = try CLI.run([
            "check", "--json", "--field", "code=adcode", "--field", "households=FAMILY_HOUSEHOLDS_EST",
            "--field", "population=POPU", "--kind", "county", counties,
        ])
        let report = try #require(try JSONSerialization.jsonObject(with: Data(ours.stdout.utf8)) as? [String: Any])
        let gaps = (report["diagnostics"] as? [[String: Any]] ?? []).filter { $0["rule"] as? String == "unit.gap" }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", CLI.repository.appendingPathComponent("Tests/helpers/enclosed_holes.py").path, counties,
        ]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try #require(
            process.terminationStatus == 0, "the shapely helper failed (is shapely installed? setup.sh installs it)")
        let holes = try #require(try JSONSerialization.jsonObject(with: output) as? [[String: Double]])

        // shapely finds one enclosed hole (~40,155 m² near Gaoming); we must report the same.
        #expect(holes.count == 1)
        #expect(gaps.count == holes.count)
        for (gap, hole) in zip(gaps, holes) {
            let area = try #require(gap["area_m2"] as? Double)
            #expect(
                abs(area - hole["area_m2"]!) / hole["area_m2"]! < 0.002, "ours \(area) vs shapely \(hole["area_m2"]!)")
            let location = try #require(gap["location"] as? [Double])
            #expect(abs(location[0] - hole["x"]!) < 0.01 && abs(location[1] - hole["y"]!) < 0.01)
        }
    }
}
