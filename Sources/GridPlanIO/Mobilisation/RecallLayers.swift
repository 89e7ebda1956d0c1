import Foundation
import GRDB
import GridPlanEngines
import GridPlanGeometry
import GridPlanGeometryValues
import GridPlanModel

/// The last recall in the plan file and in exports: `vessels` (points, the columns of
/// recall_vessels.csv), `ports` (points) and `routes` (lines), plus the `recall_events`
/// table that `gridplan recall status` appends to.
public enum RecallLayers {
    static let integers: Set<String> = [
        "rank", "crew", "berths", "already_in", "assigned", "free_berths", "small_boats_landing",
    ]
    static let reals: Set<String> = ["power_hp", "speed_kn", "sea_km", "approach_km"]

    static func columns(_ header: [String]) -> [(name: String, type: ExportLayer.ColumnType)] {
        (header + ["generated_at", "plan"]).filter { $0 != "lon" && $0 != "lat" }
            .map { ($0, integers.contains($0) ? .integer : reals.contains($0) ? .real : .text) }
    }
    static let vesselColumns = columns(RecallWriter.vesselHeader)
    static let portColumns = columns(RecallWriter.portHeader)
    static let routeColumns: [(name: String, type: ExportLayer.ColumnType)] = [
        ("vessel_id", .text), ("status", .text), ("port_id", .text), ("sea_km", .real), ("approach_km", .real),
    ]
    static let definitions:
        [(
            name: String, description: String, geometryType: String,
            columns: [(name: String, type: ExportLayer.ColumnType)]
        )] = [
            (
                "vessels",
                "Fishing vessels of the last recall: status, responsible person, shelter port, latest departure",
                "POINT", vesselColumns
            ),
            ("ports", "Shelter ports of the last recall with berths taken and free", "POINT", portColumns),
            ("routes", "Routes by sea of the last recall, vessel to shelter port", "LINESTRING", routeColumns),
        ]

    public static func layers(_ r: RecallReport, units: UnitDirectory, stamp: ListStamp) -> [ExportLayer] {
        let features = [
            RecallWriter.vesselFeatures(r, units: units, stamp: stamp), RecallWriter.portFeatures(r, stamp: stamp),
            RecallWriter.routeFeatures(r),
        ]
        return zip(definitions, features).map { d, f in
            ExportLayer(
                name: d.name, description: d.description, geometryType: d.geometryType, columns: d.columns, features: f)
        }
    }
}

/// A vessel's state after the recorded events.
public struct VesselState: Sendable, Equatable {
    public var id: String
    public var name: String
    public var planned: RecallStatus
    public var responsible: String
    public var responsiblePhone: String
    public var portName: String
    public var crew: Int
    public var inPort: Bool
    public var confirmed: Bool
    public var crewAshore: Bool
    public var lastEvent: String
    public var townName: String = ""
    public var unitName: String = ""
    /// Where the vessel is last known to be: its reported position at sea, or its port once in.
    public var position: Position
}

extension PlanStore {
    /// Replaces the stored recall (vessels, ports, routes) and clears its status events, in
    /// one transaction, and records the run.
    public func replaceRecall(_ r: RecallReport, units: UnitDirectory, stamp: ListStamp, run: PlanRun) throws {
        let context = try GEOSContext()
        let layers = RecallLayers.layers(r, units: units, stamp: stamp)
        try writing { db in
            try GeoPackageRTree.rebuilding(layers.map(\.name), db: db) {
                for layer in layers {
                    try db.execute(sql: "DELETE FROM \(layer.name)")
                    try GeoPackageWriter.insertFeatures(layer, db: db, context: context)
                    try Self.updateExtent(
                        db, table: layer.name, boxes: layer.features.compactMap { $0.geometry?.boundingBox })
                }
                try db.execute(sql: "DELETE FROM recall_events")
                try Self.record(run, db)
            }
        }
    }

    /// The stored recall layers (no features when no recall was planned).
    public func recallLayers() throws -> [ExportLayer] {
        try RecallLayers.definitions.map { d in
            try storedLayer(d.name, description: d.description, geometryType: d.geometryType, columns: d.columns)
        }
    }

    /// Appends status events in one transaction. Unknown vessels or ports are refused and
    /// nothing is written. Safe to run from several processes at once: SQLite serialises the
    /// writers (the plan is opened with a busy timeout).
    public func recordRecallEvents(_ events: [RecallEvent]) throws {
        let formatter = ISO8601DateFormatter()
        try writing { db in
            let vessels = Set(try String.fetchAll(db, sql: "SELECT vessel_id FROM vessels"))
            guard !vessels.isEmpty else {
                throw InputError(file: path, rule: "recall.none", "the plan has no recall; run `gridplan recall` first")
            }
            let ports = Set(try String.fetchAll(db, sql: "SELECT port_id FROM ports"))
            for e in events {
                guard vessels.contains(e.vesselID) else {
                    throw InputError(
                        file: path, rule: "recall.vessel-unknown", "no vessel \(e.vesselID) in the plan's recall")
                }
                if let p = e.portID, !ports.contains(p) {
                    throw InputError(file: path, rule: "recall.port-unknown", "no port \(p) in the plan's recall")
                }
                try db.execute(
                    sql:
                        "INSERT INTO recall_events (vessel_id, event, port_id, time, note, recorded_at) VALUES (?, "
                        + "?, ?, ?, ?, ?)",
                    arguments: [
                        e.vesselID, e.kind.rawValue, e.portID, formatter.string(from: e.time), e.note,
                        formatter.string(from: Date()),
                    ])
            }
        }
    }

    /// Per grid, the people of the last staffing run who can answer for its vessels: the
    /// full-time worker(s) first, then the leader, then part-time workers; by person id within a role.
    public func gridContacts() throws -> [String: [RecallContact]] {
        let preference: [StaffRole] = [.fullTime, .leader, .partTime]
        return try reading { db in
            var contacts: [String: [RecallContact]] = [:]
            for row in try Row.fetchAll(
                db,
                sql:
                    "SELECT person_id, name, phone, slot_role, grid_code FROM assignments ORDER BY grid_code, person_id"
            ) {
                guard let role = StaffRole(rawValue: row["slot_role"] as String), preference.contains(role) else {
                    continue
                }
                let contact = RecallContact(
                    personID: row["person_id"], name: row["name"], phone: row["phone"], role: role,
                    gridCode: row["grid_code"])
                contacts[contact.gridCode, default: []].append(contact)
            }
            return contacts.mapValues { list in
                list.sorted {
                    (preference.firstIndex(of: $0.role)!, $0.personID) < (
                        preference.firstIndex(of: $1.role)!, $1.personID
                    )
                }
            }
        }
    }
}
