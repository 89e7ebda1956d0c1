import Foundation
import GRDB
import GridPlanModel

/// What became of a report sent to `gridplan serve` with an idempotency key.
public enum ReportOutcome: Sendable, Equatable {
    /// Recorded now, as event `id`.
    case recorded(id: Int64)
    /// The same key was recorded before for the same vessel, event and port: a phone's retry.
    case duplicate(id: Int64)
    /// The key was recorded before for a different report.
    case conflict(id: Int64)
}

/// One refused or notable request, kept in the plan's audit_log.
public struct AuditEntry: Sendable, Equatable {
    public var time: Date
    public var tokenID: String?
    public var method: String
    public var path: String
    public var status: Int
    public var message: String

    public init(time: Date, tokenID: String?, method: String, path: String, status: Int, message: String) {
        self.time = time
        self.tokenID = tokenID
        self.method = method
        self.path = path
        self.status = status
        self.message = message
    }
}

extension PlanStore {
    /// ISO 8601 with milliseconds, UTC: a value type, made once (a formatter per call cost more
    /// than the rest of a vessel list's encoding).
    static let isoStyle = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    /// A time as the server's tables and answers give it: ISO 8601, UTC, milliseconds.
    public static func isoString(_ date: Date) -> String { date.formatted(isoStyle) }

    /// An ISO 8601 time, with or without fractional seconds.
    public static func isoDate(_ text: String?) -> Date? {
        guard let text else { return nil }
        return (try? isoStyle.parse(text)) ?? (try? Date.ISO8601FormatStyle().parse(text))
    }

    /// Stores newly issued tokens (their SHA-256, never the tokens) in one transaction.
    public func issueTokens(_ tokens: [(token: AccessToken, sha256: String)]) throws {
        try writing { db in
            for (t, hash) in tokens {
                try db.execute(
                    sql: """
                        INSERT INTO access_tokens (token_id, token_sha256, person_id, name, role, scope, issued_at,
                          expires_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)
                        """,
                    arguments: [
                        t.tokenID, hash, t.personID, t.name, t.role.rawValue, t.scope, Self.isoString(t.issuedAt),
                        Self.isoString(t.expiresAt),
                    ])
            }
        }
    }

    /// Revokes every unrevoked token whose token id or person id is `who`; returns how many.
    public func revokeTokens(_ who: String, at time: Date) throws -> Int {
        try writing { db in
            try db.execute(
                sql:
                    "UPDATE access_tokens SET revoked_at = ? WHERE revoked_at IS NULL "
                    + "AND (token_id = ? OR person_id = ?)",
                arguments: [Self.isoString(time), who, who])
            return db.changesCount
        }
    }

    /// Every token the plan knows, in the order issued.
    public func accessTokens() throws -> [AccessToken] {
        try reading { db in
            try Row.fetchAll(db, sql: "SELECT * FROM access_tokens ORDER BY id").map { try Self.token($0, path: path) }
        }
    }

    /// The token whose SHA-256 is `sha256`, if any.
    public func accessToken(sha256: String) throws -> AccessToken? {
        try reading { db in
            try Row.fetchOne(db, sql: "SELECT * FROM access_tokens WHERE token_sha256 = ?", arguments: [sha256])
                .map { try Self.token($0, path: path) }
        }
    }

    static func token(_ row: Row, path: String) throws -> AccessToken {
        guard let role = AccessRole(rawValue: row["role"]), let issued = isoDate(row["issued_at"]),
            let expires = isoDate(row["expires_at"])
        else {
            throw InputError(
                file: path, rule: "plan.corrupt",
                "access token \(row["token_id"] as String? ?? "?") has an unknown role or time; revoke it and issue "
                    + "tokens again")
        }
        return AccessToken(
            tokenID: row["token_id"], personID: row["person_id"], name: row["name"], role: role, scope: row["scope"],
            issuedAt: issued, expiresAt: expires, revokedAt: isoDate(row["revoked_at"]))
    }

    /// Where each vessel of the stored recall belongs, by vessel id.
    public func vesselPlaces() throws -> [String: VesselPlace] {
        try reading { db in
            var places: [String: VesselPlace] = [:]
            let clock = Self.chinaClock()
            for row in try Row.fetchAll(db, sql: "SELECT \(Self.placeColumns) FROM vessels") {
                places[row["vessel_id"]] = Self.place(row, clock: clock)
            }
            return places
        }
    }

    /// Where one vessel belongs (nil: no such vessel in the recall).
    public func vesselPlace(_ id: String) throws -> VesselPlace? {
        try reading { db in
            try Row.fetchOne(db, sql: "SELECT \(Self.placeColumns) FROM vessels WHERE vessel_id = ?", arguments: [id])
                .map { Self.place($0, clock: Self.chinaClock()) }
        }
    }

    static let placeColumns =
        "vessel_id, responsible_id, county_code, town_code, unit_code, grid_code, latest_departure"

    /// The lists' clock format ("2018-09-15 10:29", China Standard Time).
    static func chinaClock() -> DateFormatter {
        let clock = DateFormatter()
        clock.locale = Locale(identifier: "en_US_POSIX")
        clock.timeZone = TimeZone(secondsFromGMT: 8 * 3_600)
        clock.dateFormat = "yyyy-MM-dd HH:mm"
        return clock
    }

    static func place(_ row: Row, clock: DateFormatter) -> VesselPlace {
        VesselPlace(
            responsibleID: row["responsible_id"] ?? "", countyCode: row["county_code"] ?? "",
            townCode: row["town_code"] ?? "", unitCode: row["unit_code"] ?? "", gridCode: row["grid_code"] ?? "",
            latestDeparture: (row["latest_departure"] as String?).flatMap { clock.date(from: $0) })
    }

    /// Records one field report sent with an idempotency key, in one transaction: a key seen
    /// before is not recorded again. Unknown vessels or ports are refused and nothing is written.
    public func recordReport(
        _ event: RecallEvent, key: String, by tokenID: String, at time: Date
    ) throws
        -> ReportOutcome
    {
        try writing { db in
            if let row = try Row.fetchOne(
                db, sql: "SELECT id, vessel_id, event, port_id FROM recall_events WHERE idempotency_key = ?",
                arguments: [key])
            {
                let same =
                    row["vessel_id"] == event.vesselID && row["event"] == event.kind.rawValue
                    && (row["port_id"] as String?) == event.portID
                return same ? .duplicate(id: row["id"]) : .conflict(id: row["id"])
            }
            guard
                try Bool.fetchOne(db, sql: "SELECT 1 FROM vessels WHERE vessel_id = ?", arguments: [event.vesselID])
                    != nil
            else {
                throw InputError(
                    file: path, rule: "recall.vessel-unknown", "no vessel \(event.vesselID) in the plan's recall")
            }
            if let port = event.portID,
                try Bool.fetchOne(db, sql: "SELECT 1 FROM ports WHERE port_id = ?", arguments: [port]) == nil
            {
                throw InputError(file: path, rule: "recall.port-unknown", "no port \(port) in the plan's recall")
            }
            try db.execute(
                sql: """
                    INSERT INTO recall_events (vessel_id, event, port_id, time, note, recorded_at, reported_by,
                      idempotency_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    event.vesselID, event.kind.rawValue, event.portID, ISO8601DateFormatter().string(from: event.time),
                    event.note, ISO8601DateFormatter().string(from: time), tokenID, key,
                ])
            return .recorded(id: db.lastInsertedRowID)
        }
    }

    /// Appends audit lines.
    public func audit(_ entries: [AuditEntry]) throws {
        guard !entries.isEmpty else { return }
        try writing { db in
            for e in entries {
                try db.execute(
                    sql:
                        "INSERT INTO audit_log (time, token_id, method, path, status, message) "
                        + "VALUES (?, ?, ?, ?, ?, ?)",
                    arguments: [Self.isoString(e.time), e.tokenID, e.method, e.path, e.status, e.message])
            }
        }
    }
}
