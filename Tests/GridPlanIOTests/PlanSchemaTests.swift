import Foundation
import GRDB
import GridPlanModel
import GridPlanTestSupport
import Testing

@testable import GridPlanIO

/// The plan file is a stable format: a new plan's schema is pinned, a plan of an earlier release
/// is brought to exactly that schema, and a plan of a newer release is refused.
@Suite struct PlanSchemaTests {
    /// Every schema object (tables, indexes, triggers, virtual tables) and the GeoPackage
    /// registrations, one per line, in a stable order.
    static func schema(_ path: String) throws -> String {
        try DatabaseQueue(path: path).read { db in
            var lines: [String] = []
            for row in try Row.fetchAll(
                db, sql: "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY type, name")
            {
                let sql = (row["sql"] as String).split(whereSeparator: \.isWhitespace).joined(separator: " ")
                lines.append("\(row["type"] as String) \(row["name"] as String): \(sql)")
            }
            for row in try Row.fetchAll(
                db,
                sql:
                    "SELECT table_name, data_type, identifier, description, srs_id FROM gpkg_contents ORDER BY "
                    + "table_name"
            ) {
                lines.append(
                    "gpkg_contents: \(row["table_name"] as String) \(row["data_type"] as String) "
                        + "\(row["identifier"] as String? ?? "") "
                        + "\(row["srs_id"] as Int? ?? -9) \(row["description"] as String? ?? "")")
            }
            for row in try Row.fetchAll(db, sql: "SELECT * FROM gpkg_geometry_columns ORDER BY table_name") {
                lines.append(
                    "gpkg_geometry_columns: \(row["table_name"] as String) \(row["column_name"] as String) "
                        + "\(row["geometry_type_name"] as String) \(row["srs_id"] as Int)"
                )
            }
            for row in try Row.fetchAll(
                db,
                sql:
                    "SELECT table_name, column_name, extension_name FROM gpkg_extensions ORDER BY table_name, "
                    + "extension_name"
            ) {
                lines.append(
                    "gpkg_extensions: \(row["table_name"] as String? ?? "") \(row["column_name"] as String? ?? "") "
                        + "\(row["extension_name"] as String)"
                )
            }
            lines.append(
                "application_id \(try Int.fetchOne(db, sql: "PRAGMA application_id")!), user_version "
                    + "\(try Int.fetchOne(db, sql: "PRAGMA user_version")!)"
            )
            return lines.joined(separator: "\n") + "\n"
        }
    }

    static func newPlan() throws -> String {
        let path = try temporaryFolder("schema").appendingPathComponent("plan.gpkg").path
        try PlanStore.create(path) { _ in }
        return path
    }

    @Test func aNewPlanHasThePinnedSchema() throws {
        let snapshot = TestFixtures.url("plans/schema.txt")
        let actual = try Self.schema(try Self.newPlan())
        if ProcessInfo.processInfo.environment["GRIDPLAN_UPDATE_SCHEMA"] == "1" {
            try actual.write(to: snapshot, atomically: true, encoding: .utf8)
        }
        let pinned = try String(contentsOf: snapshot, encoding: .utf8)
        #expect(
            actual == pinned,
            "the plan schema changed; a change to the plan format needs a new migration (then GRIDPLAN_UPDATE_SCHEMA=1)"
        )
    }

    @Test func aPlanOfTheLastReleaseIsBroughtToTheSameSchemaAndKeepsItsGrids() throws {
        let path = try temporaryFolder("old-plan").appendingPathComponent("plan.gpkg").path
        try FileManager.default.copyItem(atPath: TestFixtures.url("plans/release-51f52e6.gpkg").path, toPath: path)
        let store = try PlanStore.open(path)
        #expect(try Self.schema(path) == Self.schema(try Self.newPlan()))
        let migrations = try DatabaseQueue(path: path).read {
            try String.fetchAll($0, sql: "SELECT identifier FROM grdb_migrations")
        }
        #expect(migrations == PlanSchema.migrator.migrations)
        // What that release stored, as it read it back: notes were joined by "; " and split on it.
        let grids = try store.grids()
        #expect(grids.map(\.code) == ["440784101001001", "440784101001002", "440784101002001", "440784101002002"])
        #expect(grids[0].violations == ["grids.count"] && grids[2].violations.isEmpty && grids[2].notes.isEmpty)
        #expect(
            grids[0].notes == [
                "5 grids were requested", "the unit could only be cut into 2 (at most one grid per building)",
            ])
        #expect(try store.units().map(\.unit.code) == ["440784101001", "440784101002"])
        #expect(try store.microGrids().count >= 4)
        #expect(try store.runs().map(\.command) == ["import", "partition"])
    }

    @Test func aNoteWithTheOldSeparatorSurvivesARoundTrip() throws {
        let path = try Self.newPlan()
        let notes = [
            "5 grids were requested; the unit could only be cut into 2", "a \"quoted\", back\\slash and 换行\nnote", "",
        ]
        let grid = Grid(
            code: "440784101001001", unitCode: "440784101001", kind: .comprehensive, households: 300, population: 900,
            geometry: square(113, 22, 0.01), areaSquareMetres: 1e6, compactness: 0.78, band: .ok,
            violations: ["grids.count", "grid.disconnected"], notes: notes, buildings: nil)
        let store = try PlanStore.open(path)
        try store.replacePartition(
            grids: [grid], microGrids: [],
            run: PlanRun(command: "partition", arguments: [], inputs: [], summary: "1 grid"))
        let back = try PlanStore.open(path).grids()
        #expect(back.map(\.notes) == [notes])
        #expect(back.map(\.violations) == [["grids.count", "grid.disconnected"]])
    }

    @Test func aPlanOfANewerReleaseIsRefusedByName() throws {
        let path = try Self.newPlan()
        try DatabaseQueue(path: path).write {
            try $0.execute(sql: "INSERT INTO grdb_migrations VALUES ('99-from-the-future')")
        }
        #expect {
            _ = try PlanStore.open(path)
        } throws: { error in
            guard let error = error as? InputError else { return false }
            return error.rule == "plan.newer" && error.message.contains("99-from-the-future")
                && error.message.contains("newer GridPlan")
        }
    }

    @Test func aCorruptGridRowIsAnErrorNamingTheGrid() throws {
        let path = try Self.newPlan()
        let grid = Grid(
            code: "440784101001001", unitCode: "440784101001", kind: .comprehensive, households: 300, population: 900,
            geometry: square(113, 22, 0.01), areaSquareMetres: 1e6, compactness: 0.78, band: .ok,
            violations: [], notes: [], buildings: nil)
        try PlanStore.open(path).replacePartition(
            grids: [grid], microGrids: [], run: PlanRun(command: "partition", arguments: [], inputs: [], summary: ""))
        for change in ["UPDATE grids SET band = 'huge'", "UPDATE grids SET band = 'within', notes = 'not json'"] {
            try DatabaseQueue(path: path, configuration: PlanStore.configuration).write { try $0.execute(sql: change) }
            #expect {
                _ = try PlanStore.open(path).grids()
            } throws: { error in
                guard let error = error as? InputError else { return false }
                return error.rule == "plan.corrupt" && error.message.contains("grid 440784101001001")
            }
        }
    }
}
