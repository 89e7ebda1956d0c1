import Foundation
import GRDB
import GridPlanEngines
import GridPlanGeometry
import GridPlanGeometryValues
import GridPlanModel

/// The last testing round as a `sites` point layer (the columns of testing_sites.csv) and a
/// `testing_slots` attribute table (micro-grid → site and slot), in the plan file and exports.
public enum TestingLayers {
    static let numeric: Set<String> = [
        "tables_open", "tables_available", "people", "capacity", "microgrids", "people_per_hour", "samplers_needed",
        "samplers_placed",
        "registrars", "marshals", "door_to_door_teams", "helpers_placed", "tubes", "mean_walk_m", "max_walk_m",
    ]
    static let siteColumns: [(name: String, type: ExportLayer.ColumnType)] =
        (TestingWriter.siteHeader + ["generated_at", "plan"])
        .filter { $0 != "lon" && $0 != "lat" }.map { ($0, numeric.contains($0) ? .integer : .text) }
    static let description = "Sampling sites of the last testing round, with load, tables, people and queue times"

    public static func sites(_ r: TestingResult, units: UnitDirectory, stamp: ListStamp) -> ExportLayer {
        ExportLayer(
            name: "sites", description: description, geometryType: "POINT", columns: siteColumns,
            features: TestingWriter.siteFeatures(r, units: units, stamp: stamp))
    }
}

extension PlanStore {
    /// Replaces the stored testing round (sites and slots) and clears its reported counts, in
    /// one transaction, and records the run.
    public func replaceTesting(_ r: TestingResult, units: UnitDirectory, stamp: ListStamp, run: PlanRun) throws {
        let context = try GEOSContext()
        let layer = TestingLayers.sites(r, units: units, stamp: stamp)
        let slots = TestingWriter.slotRows(r, units: units, stamp: stamp)
        let column = Dictionary(uniqueKeysWithValues: slots.header.enumerated().map { ($1, $0) })
        try writing { db in
            try GeoPackageRTree.rebuilding(["sites"], db: db) {
                try db.execute(sql: "DELETE FROM sites")
                try db.execute(sql: "DELETE FROM testing_slots")
                // Counts reported for the round this one replaces.
                try db.execute(sql: "DELETE FROM testing_reports")
                try GeoPackageWriter.insertFeatures(layer, db: db, context: context)
                try Self.updateExtent(db, table: "sites", boxes: layer.features.compactMap { $0.geometry?.boundingBox })
                let insert = try db.makeStatement(
                    sql:
                        "INSERT INTO testing_slots (microgrid_code, part, people, site_id, walk_m, slot_start, "
                        + "slot_end) VALUES (?, ?, ?, ?, ?, ?, ?)"
                )
                for row in slots.rows {
                    try insert.execute(arguments: [
                        row[column["microgrid_code"]!], row[column["part"]!], Int(row[column["people"]!]) ?? 0,
                        row[column["site_id"]!],
                        Int(row[column["walk_m"]!]), row[column["slot_start"]!], row[column["slot_end"]!],
                    ])
                }
                try Self.record(run, db)
            }
        }
    }

    /// The stored `sites` layer (no features when no testing round was planned).
    public func testingLayers() throws -> [ExportLayer] {
        [
            try storedLayer(
                "sites", description: TestingLayers.description, geometryType: "POINT",
                columns: TestingLayers.siteColumns)
        ]
    }
}
