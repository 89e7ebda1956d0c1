import Foundation
import GridPlanGeometryValues
import GridPlanModel
import GridPlanTestSupport
import Testing

@testable import GridPlanIO

/// A 2 × 1 km rectangle at 113°E 22.5°N split into two grids (one in band, one below), with a
/// village whose name needs escaping. Made up for this test.
private func smallPlan() -> PlanReportInput {
    func rect(_ x0: Double, _ x1: Double) -> Geometry {
        let a = Position(x: 113 + x0 / 102_850, y: 22.5), b = Position(x: 113 + x1 / 102_850, y: 22.5 + 1000 / 110_574)
        return .polygon([[a, Position(x: b.x, y: a.y), b, Position(x: a.x, y: b.y), a]])
    }
    let village = TerritorialUnit(
        code: "440000000001", name: "新村<东>&西", kind: .village, parent: "440000000", households: 700,
        geometry: rect(0, 2000))
    let town = TerritorialUnit(code: "440000000", name: "某镇", kind: .town, geometry: rect(0, 2000))
    let grids = [
        Grid(
            code: "440000000001001", unitCode: village.code, kind: .comprehensive, households: 400, population: 1100,
            geometry: rect(0, 1000),
            areaSquareMetres: 1e6, compactness: 0.785, band: .ok),
        Grid(
            code: "440000000001002", unitCode: village.code, kind: .comprehensive, households: 300, population: 800,
            geometry: rect(1000, 2000),
            areaSquareMetres: 1e6, compactness: 0.785, band: .below, violations: ["households.band"],
            notes: ["300 < 300"]),
    ]
    return PlanReportInput(
        planPath: "plan", generatedAt: Date(timeIntervalSince1970: 1_800_000_000), runs: [("partition", "2 grids")],
        units: [
            StoredUnit(unit: village, areaSquareMetres: 2e6, sourceFile: "v.geojson"),
            StoredUnit(unit: town, areaSquareMetres: 2e6, sourceFile: "t.geojson"),
        ],
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
        for pattern in ["src=", "href=", "@import", "url(", "https://"] {
            #expect(!html.contains(pattern), "\(pattern)")
        }
        // The only URL is the SVG namespace, which browsers do not fetch.
        #expect(
            html.components(separatedBy: "http://").count - 1 == 1
                && html.contains("xmlns=\"http://www.w3.org/2000/svg\""))
    }
}

/// The report's style sheet and script are resource files (Reports/Assets); these lint them.
@Suite struct ReportAssetsTests {
    @Test func bothAssetsLoadAndAreInlinedIntoTheReport() throws {
        let css = try ReportAssets.css(), js = try ReportAssets.javaScript()
        #expect(css.contains("#map{") && js.contains("getElementById('map')"))
        let html = try PlanReport.render(smallPlan())
        #expect(html.contains("<style>\(css)</style>"))
        #expect(html.contains("<script>\(js)</script>"))
    }

    @Test func neitherAssetCanEndItsElementOrReachTheNetwork() throws {
        for (name, text) in [("report.css", try ReportAssets.css()), ("report.js", try ReportAssets.javaScript())] {
            // Inlined in <style>/<script>: "</" would close the element early.
            #expect(!text.contains("</"), "\(name) contains </")
            for needle in ["http:", "https:", "url(", "@import", "fetch(", "XMLHttpRequest", "import("] {
                #expect(!text.contains(needle), "\(name) contains \(needle): the report must open offline")
            }
            for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                #expect(line.count <= 120, "\(name):\(n + 1) is \(line.count) characters")
            }
        }
    }

    /// Each rule is `selectors{declarations}` with braces balanced, and each declaration is
    /// `property:value` with a known-looking property name.
    @Test func theStyleSheetIsWellFormed() throws {
        var css = try ReportAssets.css()
        while let open = css.range(of: "/*"), let close = css.range(of: "*/", range: open.upperBound..<css.endIndex) {
            css.removeSubrange(open.lowerBound..<close.upperBound)
        }
        var depth = 0
        for c in css {
            if c == "{" { depth += 1 }
            if c == "}" { depth -= 1 }
            #expect(depth >= 0 && depth <= 2)
        }
        #expect(depth == 0)
        let blocks = css.replacingOccurrences(of: "\n", with: "").split(separator: "}")
        var declarations = 0
        for block in blocks {
            guard let brace = block.lastIndex(of: "{") else { continue }
            let body = block[block.index(after: brace)...]
            #expect(!body.trimmingCharacters(in: .whitespaces).isEmpty, "empty rule: \(block)")
            for declaration in body.split(separator: ";") {
                let parts = declaration.split(separator: ":", maxSplits: 1)
                #expect(parts.count == 2, "not property:value: \(declaration)")
                let property = parts[0].trimmingCharacters(in: .whitespaces)
                #expect(property.allSatisfy { $0.isLowercase || $0 == "-" }, "property \(property)")
                declarations += 1
            }
        }
        #expect(declarations > 50)
    }

    @Test(.enabled(if: Tool.node, "needs node to syntax-check the script (Debian nodejs)"))
    func theScriptParses() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent(
            "gridplan-report-\(UUID().uuidString).js")
        try ReportAssets.javaScript().write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let r = try runProgram("/usr/bin/node", ["--check", file.path])
        #expect(r.status == 0, "\(r.output)")
    }
}
