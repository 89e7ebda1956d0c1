import Foundation
import GridPlanGeometryValues
import GridPlanIO
import GridPlanModel
import Testing

@testable import GridPlanEngines

/// Crafted units near Jiangmen. One degree of latitude is ~110.7 km there, so a square of
/// 0.01° is ~1.03 km × 1.11 km; areas below are checked against that scale.
func unitSquare(
    _ code: String, parent: String?, x: Double, y: Double, size: Double = 0.01, kind: UnitKind = .village,
    households: Int? = 300, index: Int
) -> TerritorialUnit {
    let g: Geometry = .polygon([
        [
            Position(x: x, y: y), Position(x: x + size, y: y), Position(x: x + size, y: y + size),
            Position(x: x, y: y + size), Position(x: x, y: y),
        ]
    ])
    return TerritorialUnit(
        code: code, name: code, kind: kind, parent: parent, households: households,
        population: households.map { $0 * 3 },
        geometry: g, sourceIndex: index)
}

func check(_ units: [TerritorialUnit], buildings: [Building] = [], tolerance: Double = 1) throws -> CheckReport {
    try CheckEngine.run(
        units: units.map { ("u.geojson", $0) }, buildings: buildings.isEmpty ? [] : [("b.geojson", buildings)],
        files: ["u.geojson", "b.geojson"], options: CheckOptions(areaTolerance: tolerance))
}

@Suite struct CheckEngineTests {
    let x0 = 113.0, y0 = 22.5

    /// A town of 2 × 2 villages that tile it exactly.
    func cleanTown() -> [TerritorialUnit] {
        [unitSquare("T", parent: nil, x: x0, y: y0, size: 0.02, kind: .town, households: nil, index: 0)]
            + [(0, 0), (1, 0), (0, 1), (1, 1)].enumerated().map { i, c in
                unitSquare("V\(i)", parent: "T", x: x0 + 0.01 * Double(c.0), y: y0 + 0.01 * Double(c.1), index: i + 1)
            }
    }

    /// With --repair the check skips the footprints the repair found valid: its report is the
    /// one it makes testing every footprint (valid, repaired and bow-tie buildings).
    @Test func footprintsTheRepairFoundValidAreNotTestedTwice() throws {
        func square(_ x: Double, _ y: Double) -> Geometry {
            .polygon([
                [
                    Position(x: x, y: y), Position(x: x + 0.0002, y: y), Position(x: x + 0.0002, y: y + 0.0002),
                    Position(x: x, y: y + 0.0002), Position(x: x, y: y),
                ]
            ])
        }
        let bowTie: Geometry = .polygon([
            [
                Position(x: x0 + 0.004, y: y0 + 0.004), Position(x: x0 + 0.0042, y: y0 + 0.0042),
                Position(x: x0 + 0.0042, y: y0 + 0.004), Position(x: x0 + 0.004, y: y0 + 0.0042),
                Position(x: x0 + 0.004, y: y0 + 0.004),
            ]
        ])
        let buildings = (0..<40).map { i in
            Building(
                id: "b\(i)",
                geometry: i % 7 == 3 ? bowTie : square(x0 + 0.0003 * Double(i % 20), y0 + 0.001 * Double(i / 20)),
                sourceIndex: i)
        }
        var sets: [(file: String, buildings: [Building])] = [("b.geojson", buildings)]
        var valid: [Set<Int>] = []
        let notes = try GeometryRepair.repair(buildings: &sets, foundValid: &valid)
        #expect(valid == [Set((0..<40).filter { $0 % 7 != 3 })])
        let units = cleanTown().map { ("u.geojson", $0) }
        func run(_ sets: [(file: String, buildings: [Building])], _ hint: [Set<Int>]?) throws -> CheckReport {
            try CheckEngine.run(
                units: units, buildings: sets, priorDiagnostics: notes, files: ["u.geojson", "b.geojson"],
                validFootprints: hint)
        }
        // The footprints as they came: the six bow-ties are not in the hint, so still reported.
        let original: [(file: String, buildings: [Building])] = [("b.geojson", buildings)]
        let (tested, skipped) = (try run(original, nil), try run(original, valid))
        #expect(tested.diagnostics.filter { $0.rule == "geometry.invalid" }.count == 6)
        #expect(tested.diagnostics == skipped.diagnostics && tested.exitCode == skipped.exitCode)
        // Repaired: the same report either way.
        #expect(try run(sets, nil).diagnostics == run(sets, valid).diagnostics)
    }

    @Test func cleanTilingHasNoFindings() throws {
        let report = try check(cleanTown())
        #expect(report.diagnostics.isEmpty, "\(report.diagnostics)")
        #expect(report.exitCode == 0)
    }

    @Test func overlapBetweenSiblingsIsMeasured() throws {
        var units = cleanTown()
        // Shift V1 west by a tenth of its width: it overlaps V0 by 0.001° × 0.01°.
        units[2] = unitSquare("V1", parent: "T", x: x0 + 0.009, y: y0, index: 2)
        let report = try check(units)
        let overlap = try #require(report.diagnostics.first { $0.rule == "unit.overlap" })
        #expect(overlap.feature?.id == "V0" && overlap.related.first?.id == "V1")
        // ≈ 0.001° lon × 0.01° lat at 22.5°N ≈ 102.9 m × 1,107 m ≈ 113,900 m².
        let area = try #require(overlap.areaSquareMetres)
        #expect(abs(area - 113_900) < 1_500)
        // Shifted west, V1 still lies inside the town but leaves a strip uncovered.
        #expect(!report.diagnostics.contains { $0.rule == "unit.outside-parent" })
        #expect(report.diagnostics.contains { $0.rule == "unit.gap" && $0.feature?.id == "T" })
        #expect(report.exitCode == 1)
    }

    @Test func gapInsideParentAndOutsideParent() throws {
        var units = cleanTown()
        units.remove(at: 4)  // V3 missing: a quarter of the town uncovered
        let report = try check(units)
        let gap = try #require(report.diagnostics.first { $0.rule == "unit.gap" })
        #expect(gap.feature?.id == "T")
        #expect(abs(gap.areaSquareMetres! - 1_139_000) < 15_000)
        let loc = try #require(gap.location)
        #expect(loc.x > x0 + 0.01 && loc.y > y0 + 0.01)
    }

    @Test func unitReachingOutsideItsParent() throws {
        var units = cleanTown()
        units[2] = unitSquare("V1", parent: "T", x: x0 + 0.011, y: y0, index: 2)  // 0.001° beyond the east edge
        let report = try check(units)
        let outside = try #require(report.diagnostics.first { $0.rule == "unit.outside-parent" })
        #expect(outside.feature?.id == "V1" && outside.related.first?.id == "T")
        #expect(abs(outside.areaSquareMetres! - 113_900) < 1_500)
        #expect(outside.message.contains("(10%)"))
    }

    @Test func enclosedGapWithoutParentOutline() throws {
        // Eight villages ring an empty ninth cell; their parent has no outline in the data.
        var units: [TerritorialUnit] = []
        for i in 0..<3 {
            for j in 0..<3 where !(i == 1 && j == 1) {
                units.append(
                    unitSquare(
                        "V\(i)\(j)", parent: "T", x: x0 + 0.01 * Double(i), y: y0 + 0.01 * Double(j), index: units.count
                    ))
            }
        }
        let report = try check(units)
        #expect(report.diagnostics.map(\.rule) == ["unit.gap"])
        // Filling the hole with an enclave of another town is not a gap.
        units.append(unitSquare("E", parent: "OTHER", x: x0 + 0.01, y: y0 + 0.01, index: units.count))
        #expect(try check(units).diagnostics.isEmpty)
    }

    @Test func overlapsBelowToleranceAreIgnored() throws {
        var units = cleanTown()
        units[2] = unitSquare("V1", parent: "T", x: x0 + 0.0099999, y: y0, index: 2)  // ~1 cm sliver
        let report = try check(units, tolerance: 50)
        #expect(!report.diagnostics.contains { $0.rule == "unit.overlap" })
    }

    @Test func invalidGeometryAndDuplicateCodes() throws {
        var units = cleanTown()
        units[1].geometry = .polygon([
            [
                Position(x: x0, y: y0), Position(x: x0 + 0.01, y: y0 + 0.01), Position(x: x0 + 0.01, y: y0),
                Position(x: x0, y: y0 + 0.01), Position(x: x0, y: y0),
            ]
        ])
        units[3].code = "V1"
        let report = try check(units)
        let invalid = try #require(report.diagnostics.first { $0.rule == "geometry.invalid" })
        #expect(invalid.message.contains("Self-intersection"))
        #expect(invalid.location == Position(x: x0 + 0.005, y: y0 + 0.005))
        let duplicate = try #require(report.diagnostics.first { $0.rule == "code.duplicate" })
        #expect(duplicate.feature?.index == 3 && duplicate.related.first?.index == 2)
    }

    @Test func buildingsOutsideOrStraddling() throws {
        let inside = Building(id: "in", geometry: .point(Position(x: x0 + 0.005, y: y0 + 0.005)), sourceIndex: 0)
        let outside = Building(id: "out", geometry: .point(Position(x: x0 + 0.5, y: y0)), sourceIndex: 1)
        let straddle = Building(
            id: "split",
            geometry: .polygon([
                [
                    Position(x: x0 + 0.009, y: y0 + 0.004), Position(x: x0 + 0.011, y: y0 + 0.004),
                    Position(x: x0 + 0.011, y: y0 + 0.006), Position(x: x0 + 0.009, y: y0 + 0.006),
                    Position(x: x0 + 0.009, y: y0 + 0.004),
                ]
            ]), sourceIndex: 2)
        let report = try check(cleanTown(), buildings: [inside, outside, straddle])
        #expect(report.diagnostics.map(\.rule) == ["building.outside-units", "building.split"])
        #expect(report.exitCode == 0)  // warnings only
    }
}

@Suite struct FeatureDecoderTests {
    func feature(_ props: Properties, index: Int = 0) -> SourceFeature {
        SourceFeature(
            index: index, properties: props, geometry: unitSquare("x", parent: nil, x: 113, y: 22, index: 0).geometry)
    }

    @Test func countsAreValidated() {
        let decoder = FeatureDecoder(file: "f")
        let cases: [(Properties, String)] = [
            (
                [
                    ("code", .string("a")), ("kind", .string("village")), ("households", .number(-5)),
                    ("population", .number(9)),
                ], "households.negative"
            ),
            (
                [
                    ("code", .string("b")), ("kind", .string("village")), ("households", .string("many")),
                    ("population", .number(9)),
                ], "households.non-numeric"
            ),
            (
                [
                    ("code", .string("c")), ("kind", .string("village")), ("households", .number(2.5)),
                    ("population", .number(9)),
                ], "households.not-integer"
            ),
            ([("code", .string("d")), ("kind", .string("village"))], "households.missing"),
            ([("code", .string("e")), ("kind", .string("castle")), ("households", .number(1))], "kind.unknown"),
            ([("kind", .string("village")), ("households", .number(1))], "code.missing"),
        ]
        for (props, rule) in cases {
            let result = decoder.units([feature(props)])
            #expect(
                result.diagnostics.contains { $0.rule == rule && $0.severity == .error },
                "\(rule): \(result.diagnostics)")
        }
    }

    @Test func numericStringsChineseKindsAndFieldMapping() throws {
        let mapping = try FieldMapping(overrides: ["households=HH_COUNT", "code=村代码"])
        let decoder = FeatureDecoder(file: "f", mapping: mapping)
        let result = decoder.units([
            feature([
                ("村代码", .number(440_784_101_001)), ("kind", .string("村")), ("HH_COUNT", .string("312")),
                ("population", .number(1000)),
            ])
        ])
        #expect(result.diagnostics.isEmpty)
        let unit = try #require(result.units.first)
        #expect(unit.code == "440784101001" && unit.kind == .village && unit.households == 312 && !unit.urban)
        #expect(throws: InputError.self) { try FieldMapping(overrides: ["homes=HH"]) }
        #expect(throws: InputError.self) { try FieldMapping(overrides: ["households"]) }
    }

    @Test func wrongGeometryTypes() {
        let decoder = FeatureDecoder(file: "f")
        var point = feature([("code", .string("p")), ("households", .number(1)), ("population", .number(2))])
        point.geometry = .point(Position(x: 113, y: 22))
        var missing = point
        missing.geometry = nil
        let result = decoder.units([point, missing])
        #expect(
            result.diagnostics.map(\.rule).filter { $0.hasPrefix("geometry") } == [
                "geometry.wrong-type", "geometry.missing",
            ])
        #expect(decoder.buildings([point]).buildings.count == 1)
    }
}
