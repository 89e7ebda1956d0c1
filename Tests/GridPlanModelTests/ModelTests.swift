import GridPlanGeometryValues
import Testing

@testable import GridPlanModel

@Suite struct ModelTests {
    @Test func unitKindsParseIdsAndChineseNames() {
        #expect(UnitKind(parsing: "industrial_park") == .industrialPark)
        #expect(UnitKind(parsing: "社区") == .community)
        #expect(UnitKind(parsing: "街道") == .town)
        #expect(UnitKind(parsing: "Village ") == .village)
        #expect(UnitKind(parsing: "castle") == nil)
    }

    @Test func urbanDefaultsFollowKindUnlessGiven() {
        let g = Geometry.point(Position(x: 0, y: 0))
        #expect(TerritorialUnit(code: "a", name: "", kind: .community, geometry: g).urban)
        #expect(!TerritorialUnit(code: "a", name: "", kind: .village, geometry: g).urban)
        #expect(TerritorialUnit(code: "a", name: "", kind: .village, urban: true, geometry: g).urban)
    }

    @Test func buildingLevelsFromHeight() {
        let g = Geometry.point(Position(x: 0, y: 0))
        #expect(Building(id: "b", geometry: g, levels: 6).effectiveLevels == 6)
        #expect(Building(id: "b", geometry: g, height: 31).effectiveLevels == 10)
        #expect(Building(id: "b", geometry: g).effectiveLevels == 1)
    }

    @Test func messagesNameFileFeatureAndRule() {
        let e = InputError(
            file: "units.geojson", feature: FeatureReference(index: 12, id: "440703001001"), rule: "x.y", "bad")
        #expect(e.description == "units.geojson: feature #12 (440703001001): bad [x.y]")
        let d = Diagnostic(
            .error, rule: "unit.gap", file: "f", feature: FeatureReference(index: 1), message: "m",
            location: Position(x: 113.1, y: 22.123456789))
        #expect(d.description == "f: feature #1: error [unit.gap] m at (113.1, 22.123457)")
    }
}
