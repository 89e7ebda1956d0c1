import Foundation
import GridPlanGeometry
import GridPlanModel
import Testing

@testable import GridPlanIO

/// A 2 × 1 km rectangle at 113°E 22.5°N split into two grids (one in band, one below), with a
/// village whose name needs escaping. Made up for this test.
private func smallPlan() -> PlanReportInput {
    func rect(_ x0: Double, _ x1: Double) -> Geometry {
        let a = Position(x: 113 + x0 / 102_850, y: 22.5), b = Position(x: 113 + x1 / 102_850, y: 22.5 + 1000 / 110_574)
        return .polygon([[a, Position(x: b.x, y: a.y), b, Position(x: a.x, y: b.y), a]])
    }
    let village = TerritorialUnit(code: "440000000001", name: "新村<东>&西", kind: .village, parent: "440000000", households: 700, geometry: rect(0, 2000))
    let town = TerritorialUnit(code: "440000000", name: "某镇", kind: .town, geometry: rect(0, 2000))
    let grids = [
        Grid(code: "440000000001001", unitCode: village.code, kind: .comprehensive, households: 400, population: 1100, geometry: rect(0, 1000),
            areaSquareMetres: 1e6, compactness: 0.785, band: .ok),
        Grid(code: "440000000001002", unitCode: village.code, kind: .comprehensive, households: 300, population: 800, geometry: rect(1000, 2000),
            areaSquareMetres: 1e6, compactness: 0.785, band: .below, violations: ["households.band"], notes: ["300 < 300"]),
    ]
    return PlanReportInput(
        planPath: "plan", generatedAt: Date(timeIntervalSince1970: 1_800_000_000), runs: [("partition", "2 grids")],
        units: [StoredUnit(unit: village, areaSquareMetres: 2e6, sourceFile: "v.geojson"), StoredUnit(unit: town, areaSquareMetres: 2e6, sourceFile: "t.geojson")],
        grids: grids, microGrids: [])
}

@Suite struct PlanReportTests {
    @Test func drawsEveryGridAndEscapesNames() throws {
        let html = try PlanReport.render(smallPlan())
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.components(separatedBy: "<path class=\"band-").count - 1 == 2)
        #expect(html.contains("class=\"band-below kind-comprehensive\""))
        #expect(html.contains("新村&lt;东&gt;&amp;西") && !html.contains("新村<东>"))
        #expect(html.contains("1 of 2 (50.0 %)"))  // comprehensive grids in band
        #expect(html.contains("households.band"))  // the violations list
        // The plan is 2 km wide and the map 1000 units: 2 m per unit (the scale bar's basis).
        let value = html.components(separatedBy: "data-metres-per-unit=\"")[1].prefix { $0 != "\"" }
        #expect(abs(Double(value)! - 2) < 0.01)
    }

    @Test func loadsNothingFromTheNetwork() throws {
        let html = try PlanReport.render(smallPlan())
        for pattern in ["src=", "href=", "@import", "url(", "https://"] { #expect(!html.contains(pattern), "\(pattern)") }
        // The only URL is the SVG namespace, which browsers do not fetch.
        #expect(html.components(separatedBy: "http://").count - 1 == 1 && html.contains("xmlns=\"http://www.w3.org/2000/svg\""))
    }
}
