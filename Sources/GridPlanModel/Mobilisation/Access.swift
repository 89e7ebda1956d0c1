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
