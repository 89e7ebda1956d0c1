import Foundation
import GRDB
import GridPlanModel

/// A micro-grid of the stored testing round with the counts reported so far.
public struct MicrogridProgress: Sendable, Equatable {
    public var code: String
    public var gridCode: String
    public var unitName: String
    /// People the round expects to sample here (its slots' people).
    public var people: Int
    public var siteID: String
    public var siteName: String
    /// First and last slot, China Standard Time ("2026-12-03 00:00"), as the lists print them.
    public var slotStart: String
    public var slotEnd: String
    public var sampled = 0
    public var absent = 0
    public var retest = 0
    /// Whether any count came in for it.
    public var reported = false
    /// The latest report, "2026-12-03 01:10 CST", or "".
    public var lastReport = ""

    /// People neither sampled nor known to be away.
    public var remaining: Int { max(0, people - sampled - absent) }

    /// Whether its first slot has started by `clock` (China Standard Time, as the slots are
    /// written) without a single count: its grid is called.
    public func isSilent(at clock: String) -> Bool { slotStart <= clock && !reported }
}

/// One stored count report of the testing round, as the fold needs it.
public struct StoredTestingCount: TimeOrderedEvent, Equatable {
    public var id: Int64
    public var microgridCode: String
    public var sampled: Int?
    public var absent: Int?
    public var retest: Int?
    public var time: String
}

/// The micro-grids of the stored testing round with the latest counts (see ``TimeOrderedFold``).
public struct TestingTally: Sendable {
    private var fold: TimeOrderedFold<StoredTestingCount, MicrogridProgress>
    /// The run that planned this round (a new `gridplan testing` makes a new tally).
    public let testingRun: Int64

    /// Every micro-grid of the round, by code.
    public var states: [MicrogridProgress] { fold.states }
    /// The newest report read (0: none).
    public var lastEventID: Int64 { fold.lastEventID }

    init(planned: [MicrogridProgress], testingRun: Int64) {
        self.testingRun = testingRun
        let index = Dictionary(uniqueKeysWithValues: planned.enumerated().map { ($1.code, $0) })
        fold = TimeOrderedFold(planned: planned) { states, batch in
            var last: [Int: StoredTestingCount] = [:]
            for c in batch {
                guard let i = index[c.microgridCode] else { continue }
                if let n = c.sampled { states[i].sampled = n }
                if let n = c.absent { states[i].absent = n }
                if let n = c.retest { states[i].retest = n }
                states[i].reported = true
                last[i] = c
            }
            for (i, c) in last {
                states[i].lastReport = PlanStore.isoDate(c.time).map { ListStamp.clock($0) + " CST" } ?? c.time
            }
            return Set(last.keys)
        }
    }

    /// Folds in reports recorded after ``lastEventID`` (see ``TimeOrderedFold/add(_:through:)``).
    @discardableResult
    public mutating func add(_ new: [StoredTestingCount], through: Int64) -> Set<Int>? {
        fold.add(new, through: through)
    }
}

extension PlanStore {
    /// The roles whose people report a micro-grid's counts: the grid's own workers.
    static let testingReporterRoles: [StaffRole] = [.leader, .fullTime, .partTime, .partyMember]

    /// The stored testing round and all its reports, folded.
    public func testingTally() throws -> TestingTally {
        var tally = try reading { db in
            let run = try Self.latestRun(db, command: "testing")
            let sql = """
                SELECT s.microgrid_code AS code, m.grid_code AS grid_code, coalesce(u.name, '') AS unit_name,
                  sum(s.people) AS people, min(s.site_id) AS site_id, coalesce(min(t.name), '') AS site_name,
                  min(s.slot_start) AS slot_start, max(s.slot_end) AS slot_end
                FROM testing_slots s JOIN microgrids m ON m.code = s.microgrid_code
                LEFT JOIN grids g ON g.code = m.grid_code LEFT JOIN units u ON u.code = g.unit_code
                LEFT JOIN sites t ON t.site_id = s.site_id
                GROUP BY s.microgrid_code ORDER BY s.microgrid_code
                """
            let planned = try Row.fetchAll(db, sql: sql).map { row in
                MicrogridProgress(
                    code: row["code"], gridCode: row["grid_code"], unitName: row["unit_name"], people: row["people"],
                    siteID: row["site_id"], siteName: row["site_name"], slotStart: row["slot_start"],
                    slotEnd: row["slot_end"])
            }
            return TestingTally(planned: planned, testingRun: run)
        }
        let (reports, through) = try testingReports(after: 0)
        tally.add(reports, through: through)
        return tally
    }

    /// The testing round's count reports recorded after report `id`, and the newest id read.
    public func testingReports(after id: Int64) throws -> (reports: [StoredTestingCount], through: Int64) {
        try reading { db in
            let reports = try Row.fetchAll(
                db,
                sql: "SELECT id, microgrid_code, sampled, absent, retest, time FROM testing_reports WHERE id > ? "
                    + "ORDER BY id",
                arguments: [id]
            ).map { row in
                StoredTestingCount(
                    id: row["id"], microgridCode: row["microgrid_code"], sampled: row["sampled"],
                    absent: row["absent"], retest: row["retest"], time: row["time"])
            }
            return (reports, reports.last?.id ?? id)
        }
    }

    /// What a live reader compares to know whether its testing tally is current: the run that
    /// planned the stored round (0: none) and the newest report (0: none).
    public func testingVersion() throws -> (run: Int64, lastReport: Int64) {
        try reading { db in
            (
                try Self.latestRun(db, command: "testing"),
                try Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) FROM testing_reports") ?? 0
            )
        }
    }

    static func latestRun(_ db: Database, command: String) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) FROM runs WHERE command = ?", arguments: [command])
            ?? 0
    }

    /// Every unit's name by code (for counts per level), without reading geometries.
    public func unitNames() throws -> [String: String] {
        try reading { db in
            var names: [String: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT code, name FROM units") { names[row["code"]] = row["name"] }
            return names
        }
    }

    /// Where each micro-grid of the stored testing round belongs and who reports it, by code.
    public func microgridPlaces() throws -> [String: MicrogridPlace] {
        try microgridPlaces(where: "", arguments: [])
    }

    /// Where one micro-grid belongs (nil: not in the stored testing round).
    public func microgridPlace(_ code: String) throws -> MicrogridPlace? {
        try microgridPlaces(where: "WHERE m.code = ?", arguments: [code])[code]
    }

    private func microgridPlaces(
        where filter: String, arguments: StatementArguments
    ) throws
        -> [String: MicrogridPlace]
    {
        try reading { db in
            let roles = Self.testingReporterRoles.map { "'\($0.rawValue)'" }.joined(separator: ", ")
            let sql = """
                SELECT m.code AS code, m.grid_code AS grid_code, coalesce(g.unit_code, '') AS unit_code,
                  coalesce(u.parent, '') AS town_code, coalesce(t.parent, '') AS county_code,
                  (SELECT group_concat(a.person_id, char(31)) FROM assignments a
                   WHERE a.grid_code = m.grid_code AND a.slot_role IN (\(roles))) AS reporters
                FROM microgrids m LEFT JOIN grids g ON g.code = m.grid_code LEFT JOIN units u ON u.code = g.unit_code
                LEFT JOIN units t ON t.code = u.parent
                \(filter.isEmpty ? "WHERE" : filter + " AND") m.code IN (SELECT microgrid_code FROM testing_slots)
                """
            var places: [String: MicrogridPlace] = [:]
            for row in try Row.fetchAll(db, sql: sql, arguments: arguments) {
                let reporters = (row["reporters"] as String?).map { $0.split(separator: "\u{1F}").map(String.init) }
                places[row["code"]] = MicrogridPlace(
                    gridCode: row["grid_code"], unitCode: row["unit_code"], townCode: row["town_code"],
                    countyCode: row["county_code"], reporters: Set(reporters ?? []))
            }
            return places
        }
    }

    /// Records one count report sent with an idempotency key, in one transaction (see
    /// ``recordReport(_:key:by:at:)``).
    public func recordTestingReport(
        _ count: TestingCount, key: String, by tokenID: String, at time: Date
    ) throws
        -> ReportOutcome
    {
        try writing { db in
            if let row = try Row.fetchOne(
                db,
                sql: "SELECT id, microgrid_code, sampled, absent, retest FROM testing_reports WHERE "
                    + "idempotency_key = ?",
                arguments: [key])
            {
                let same =
                    row["microgrid_code"] == count.microgridCode && (row["sampled"] as Int?) == count.sampled
                    && (row["absent"] as Int?) == count.absent && (row["retest"] as Int?) == count.retest
                return same ? .duplicate(id: row["id"]) : .conflict(id: row["id"])
            }
            try insertTestingCount(count, db: db, recordedAt: time, by: tokenID, key: key)
            return .recorded(id: db.lastInsertedRowID)
        }
    }

    /// Records counts typed by `gridplan testing status`, in one transaction; an unknown
    /// micro-grid or a bad count is refused and nothing is written.
    public func recordTestingCounts(_ counts: [TestingCount]) throws {
        try writing { db in
            for c in counts { try insertTestingCount(c, db: db, recordedAt: Date(), by: nil, key: nil) }
        }
    }

    private func insertTestingCount(
        _ c: TestingCount, db: Database, recordedAt: Date, by tokenID: String?, key: String?
    ) throws {
        if let problem = c.problem {
            throw InputError(file: path, rule: "testing.count", "micro-grid \(c.microgridCode): \(problem)")
        }
        guard
            try Bool.fetchOne(
                db, sql: "SELECT 1 FROM testing_slots WHERE microgrid_code = ?", arguments: [c.microgridCode]) != nil
        else {
            throw InputError(
                file: path, rule: "testing.microgrid-unknown",
                "no micro-grid \(c.microgridCode) in the plan's testing round (run `gridplan testing` first, or check "
                    + "the code)")
        }
        let iso = ISO8601DateFormatter()
        try db.execute(
            sql: """
                INSERT INTO testing_reports (microgrid_code, sampled, absent, retest, time, note, recorded_at,
                  reported_by, idempotency_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                c.microgridCode, c.sampled, c.absent, c.retest, iso.string(from: c.time), c.note,
                iso.string(from: recordedAt), tokenID, key,
            ])
    }
}
