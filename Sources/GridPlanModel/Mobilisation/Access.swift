import Foundation

/// What a token of `gridplan serve` lets its holder do.
public enum AccessRole: String, Sendable, CaseIterable, Codable {
    /// A grid worker: reads and reports on the vessels they answer for (定人联船), nothing else.
    case worker
    /// Town or county staff: read the vessels and counts of their area (a unit code), no reports.
    case area
    /// The command centre: reads and reports on everything.
    case admin
}

/// A token as the plan keeps it: never the token itself, only its SHA-256 (`gridplan serve
/// tokens` hands the token out once).
public struct AccessToken: Sendable, Equatable {
    /// A short public name of the token, for listings, audit lines and revocation.
    public var tokenID: String
    /// The staff member's id (worker tokens), else nil.
    public var personID: String?
    public var name: String
    public var role: AccessRole
    /// The unit code an area token reads (a county, town, village or grid code); "" otherwise.
    public var scope: String
    public var issuedAt: Date
    public var expiresAt: Date
    public var revokedAt: Date?

    public init(
        tokenID: String, personID: String?, name: String, role: AccessRole, scope: String, issuedAt: Date,
        expiresAt: Date, revokedAt: Date? = nil
    ) {
        self.tokenID = tokenID
        self.personID = personID
        self.name = name
        self.role = role
        self.scope = scope
        self.issuedAt = issuedAt
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
    }

    /// Whether the token opens anything at `time`.
    public func isValid(at time: Date) -> Bool { revokedAt == nil && time < expiresAt }
}

/// Where a vessel belongs, for deciding who may see and report on it.
public struct VesselPlace: Sendable, Equatable {
    public var responsibleID: String
    public var countyCode: String
    public var townCode: String
    public var unitCode: String
    public var gridCode: String
    /// The latest time it may leave for port (nil: no deadline, in port, or none reachable).
    public var latestDeparture: Date?

    public init(
        responsibleID: String, countyCode: String, townCode: String, unitCode: String, gridCode: String,
        latestDeparture: Date?
    ) {
        self.responsibleID = responsibleID
        self.countyCode = countyCode
        self.townCode = townCode
        self.unitCode = unitCode
        self.gridCode = gridCode
        self.latestDeparture = latestDeparture
    }

    /// Whether `token` may read this vessel.
    public func isVisible(to token: AccessToken) -> Bool {
        switch token.role {
        case .admin: true
        case .worker: token.personID == responsibleID
        case .area: [countyCode, townCode, unitCode, gridCode].contains(token.scope)
        }
    }

    /// Whether `token` may record an event for this vessel.
    public func acceptsReports(from token: AccessToken) -> Bool {
        switch token.role {
        case .admin: true
        case .worker: token.personID == responsibleID
        case .area: false
        }
    }
}

/// Where a micro-grid of the testing round belongs and who reports its counts: the grid's
/// leader, full- and part-time workers and party member of the last staffing run.
public struct MicrogridPlace: Sendable, Equatable {
    public var gridCode: String
    public var unitCode: String
    public var townCode: String
    public var countyCode: String
    public var reporters: Set<String>

    public init(gridCode: String, unitCode: String, townCode: String, countyCode: String, reporters: Set<String>) {
        self.gridCode = gridCode
        self.unitCode = unitCode
        self.townCode = townCode
        self.countyCode = countyCode
        self.reporters = reporters
    }

    /// Whether `token` may read this micro-grid's counts.
    public func isVisible(to token: AccessToken) -> Bool {
        switch token.role {
        case .admin: true
        case .worker: token.personID.map(reporters.contains) ?? false
        case .area: [countyCode, townCode, unitCode, gridCode].contains(token.scope)
        }
    }

    /// Whether `token` may report this micro-grid's counts.
    public func acceptsReports(from token: AccessToken) -> Bool {
        token.role != .area && isVisible(to: token)
    }
}

/// Counts of one micro-grid in a testing round, sent from the field as running totals: each
/// figure given replaces the one before (by the time it was counted), so a report sent twice
/// or late never adds up twice. A figure not given stays as it was.
public struct TestingCount: Sendable, Equatable {
    public var microgridCode: String
    /// People sampled so far.
    public var sampled: Int?
    /// People known to be away (外出) and not to be sampled here.
    public var absent: Int?
    /// People to sample again (复检).
    public var retest: Int?
    public var time: Date
    public var note: String

    public init(microgridCode: String, sampled: Int?, absent: Int?, retest: Int?, time: Date, note: String = "") {
        self.microgridCode = microgridCode
        self.sampled = sampled
        self.absent = absent
        self.retest = retest
        self.time = time
        self.note = note
    }

    /// Largest count accepted for one micro-grid.
    public static let maximum = 1_000_000

    /// Why these counts cannot be recorded, or nil.
    public var problem: String? {
        if sampled == nil && absent == nil && retest == nil { return "give at least one of sampled, absent, retest" }
        for (name, value) in [("sampled", sampled), ("absent", absent), ("retest", retest)] {
            if let value, value < 0 || value > Self.maximum {
                return "\(name) \(value) is not a count from 0 to \(Self.maximum)"
            }
        }
        return nil
    }
}
