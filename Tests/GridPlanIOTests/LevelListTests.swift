import Foundation
import GridPlanGeometryValues
import GridPlanModel
import GridPlanTestSupport
import Testing

@testable import GridPlanIO

/// The levels a unit's figures add up into (recall_levels.csv, testing_levels.csv): each place
/// once, whether or not the plan holds the units above the villages.
@Suite struct LevelListTests {
    func unit(_ code: String, _ kind: UnitKind, parent: String?) -> TerritorialUnit {
        TerritorialUnit(code: code, name: code, kind: kind, parent: parent, households: 10, geometry: square(0, 0, 1))
    }

    @Test func aTownMissingFromThePlanIsCountedOnce() {
        // Villages only: their parent town is named but not in the plan (the held-out case that
        // listed 1,000 vessels for a town of 500).
        let units = UnitDirectory(units: [
            unit("440781110201", .village, parent: "440781110"), unit("440781110202", .village, parent: "440781110"),
        ])
        let levels = units.levels(town: "440781110", unit: "440781110201")
        #expect(levels.map(\.code) == ["all", "440781110", "440781110201"])
        #expect(levels.map(\.level) == ["city", "town", "village"])
        #expect(units.county(ofTown: "440781110") == "")
    }

    @Test func theWholeHierarchyWhenThePlanHasIt() {
        let units = UnitDirectory(units: [
            unit("440781", .county, parent: nil), unit("440781110", .town, parent: "440781"),
            unit("440781110201", .village, parent: "440781110"),
        ])
        #expect(
            units.levels(town: "440781110", unit: "440781110201").map(\.code) == [
                "all", "440781", "440781110", "440781110201",
            ])
        // A site has no village; a unit that is its own town is not listed twice.
        #expect(units.levels(town: "440781110", unit: nil).map(\.level) == ["city", "county", "town"])
        #expect(units.levels(town: "440781110", unit: "440781110").map(\.code) == ["all", "440781", "440781110"])
        // No town known at all.
        #expect(units.levels(town: "", unit: "X").map(\.level) == ["city", "village"])
    }
}

@Suite struct TimeTextTests {
    @Test func offsetsMustBeReal() throws {
        for bad in [
            "2018-09-16T17:00+99:99", "2018-09-16T17:00+25:00", "2018-09-16T17:00-30:00", "2018-09-16T17:00+14:01",
            "2018-09-16T17:00+08:60", "2018-09-16T17:00:75",
        ] {
            #expect(throws: InputError.self, "\(bad)") { try TimeText.parse(bad) }
        }
        let utc = try TimeText.parse("2018-09-16T09:00Z")
        #expect(try TimeText.parse("2018-09-16T17:00") == utc)
        #expect(try TimeText.parse("2018-09-16T23:00+14:00") == utc)
        #expect(try TimeText.parse("2018-09-15T21:00-12:00") == utc)
    }
}

@Suite struct TrackFileTests {
    @Test func aHeaderOnlyTrackIsNamedAsEmpty() throws {
        let path = try ScratchFolders.make("gridplan-track").appendingPathComponent("track.csv").path
        try Data("SID,ISO_TIME,LAT,LON,WMO_WIND\n".utf8).write(to: URL(fileURLWithPath: path))
        do {
            _ = try RecallInputs.track(path, storm: nil)
            Issue.record("a header-only track was accepted")
        } catch let error as InputError {
            #expect(error.rule == "track.empty" && error.message.contains("no fixes"), "\(error)")
        }
    }
}
