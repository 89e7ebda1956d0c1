import Foundation
import GRDB
import GridPlanGeometry
import GridPlanGeometryValues
import GridPlanModel

/// One stored status event of the recall, as the fold needs it.
public struct StoredRecallEvent: TimeOrderedEvent, Equatable {
    public var id: Int64
    public var vesselID: String
    public var kind: RecallEventKind
    public var portID: String?
    public var time: String
}

/// The vessels of the stored recall with their state after the events (see ``TimeOrderedFold``).
public struct RecallTally: Sendable {
    private var fold: TimeOrderedFold<StoredRecallEvent, VesselState>
    /// The run that planned this recall (a new `gridplan recall` makes a new tally).
    public let recallRun: Int64

    /// Every vessel after the events so far, in the recall's urgency order.
    public var states: [VesselState] { fold.states }
    /// The newest event read (0: none).
    public var lastEventID: Int64 { fold.lastEventID }

    init(planned: [VesselState], plannedPort: [String: String], portAt: [String: Position], recallRun: Int64) {
        self.recallRun = recallRun
        let index = Dictionary(uniqueKeysWithValues: planned.enumerated().map { ($1.id, $0) })
        fold = TimeOrderedFold(planned: planned) { states, batch in
            var last: [Int: StoredRecallEvent] = [:]
            for e in batch {
                guard let i = index[e.vesselID] else { continue }
                switch e.kind {
                case .arrived, .hauledOut:
                    states[i].inPort = true
                    // At the port it reported, else the one it was sent to.
                    if let at = e.portID.flatMap({ portAt[$0] }) ?? plannedPort[e.vesselID].flatMap({ portAt[$0] }) {
                        states[i].position = at
                    }
                case .departed: states[i].inPort = false
                case .confirmed: states[i].confirmed = true
                case .crewAshore: states[i].crewAshore = true
                }
                last[i] = e
            }
            for (i, e) in last {
                let time = PlanStore.isoDate(e.time).map { ListStamp.clock($0) + " CST" } ?? e.time
                states[i].lastEvent = "\(e.kind.rawValue) \(time)"
            }
            return Set(last.keys)
        }
    }

    /// Folds in events recorded after ``lastEventID`` (see ``TimeOrderedFold/add(_:through:)``).
    @discardableResult
    public mutating func add(_ new: [StoredRecallEvent], through: Int64) -> Set<Int>? {
        fold.add(new, through: through)
    }
}

extension PlanStore {
    /// Every vessel of the stored recall after the events, in the recall's urgency order.
    public func recallState() throws -> [VesselState] { try recallTally().states }

    /// The stored recall and all its events, folded.
    public func recallTally() throws -> RecallTally {
        let context = try GEOSContext()
        var tally = try reading { db in
            func point(_ row: Row) throws -> Position? {
                let blob: Data = row["geom"]
                if case .point(let p) = try GeoPackageGeometry.decode(blob, context: context).geometry { return p }
                return nil
            }
            var portAt: [String: Position] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT port_id, geom FROM ports") {
                portAt[row["port_id"]] = try point(row)
            }
            var plannedPort: [String: String] = [:]
            let planned = try Row.fetchAll(db, sql: "SELECT * FROM vessels ORDER BY rank").map { row -> VesselState in
                let status = RecallStatus(rawValue: row["status"] as String) ?? .atRisk
                guard let position = try point(row) else {
                    throw InputError(
                        file: path, rule: "plan.corrupt",
                        "vessel \(row["vessel_id"] as String) is not stored as a point")
                }
                plannedPort[row["vessel_id"]] = row["port_id"]
                return VesselState(
                    id: row["vessel_id"], name: row["name"], planned: status, responsible: row["responsible_name"],
                    responsiblePhone: row["responsible_phone"],
                    portName: row["port_name"], crew: row["crew"], inPort: status == .inPort, confirmed: false,
                    crewAshore: false, lastEvent: "", townName: row["town_name"] ?? "",
                    unitName: row["unit_name"] ?? "",
                    position: position)
            }
            return RecallTally(
                planned: planned, plannedPort: plannedPort, portAt: portAt,
                recallRun: try Self.latestRun(db, command: "recall"))
        }
        let (events, through) = try recallEvents(after: 0)
        tally.add(events, through: through)
        return tally
    }

    /// The recall's status events recorded after event `id`, and the newest id read.
    public func recallEvents(after id: Int64) throws -> (events: [StoredRecallEvent], through: Int64) {
        try reading { db in
            var through = id
            let events = try Row.fetchAll(
                db, sql: "SELECT id, vessel_id, event, port_id, time FROM recall_events WHERE id > ? ORDER BY id",
                arguments: [id]
            ).compactMap { row -> StoredRecallEvent? in
                through = max(through, row["id"])
                guard let kind = RecallEventKind(rawValue: row["event"] as String) else { return nil }
                return StoredRecallEvent(
                    id: row["id"], vesselID: row["vessel_id"], kind: kind, portID: row["port_id"], time: row["time"])
            }
            return (events, through)
        }
    }

    /// What a live reader compares to know whether its tally is current: the run that planned the
    /// stored recall (0: none) and the newest event (0: none).
    public func recallVersion() throws -> (run: Int64, lastEvent: Int64) {
        try reading { db in
            (
                try Self.latestRun(db, command: "recall"),
                try Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) FROM recall_events") ?? 0
            )
        }
    }
}
