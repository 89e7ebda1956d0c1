import GridPlanGeometryValues

/// People of one micro-grid who come to a sampling point together, at a point inside it.
public struct TestingDemand: Sendable, Equatable {
    public var microGridCode: String
    public var gridCode: String
    /// The village or community, and the town (街道/镇) whose sites serve it.
    public var unitCode: String
    public var townCode: String
    public var population: Int
    public var households: Int
    public var point: Position

    public init(
        microGridCode: String, gridCode: String, unitCode: String, townCode: String, population: Int, households: Int,
        point: Position
    ) {
        self.microGridCode = microGridCode
        self.gridCode = gridCode
        self.unitCode = unitCode
        self.townCode = townCode
        self.population = population
        self.households = households
        self.point = point
    }
}

/// A place where a sampling point can open: given in a sites file, or a micro-grid's point.
public struct SamplingSite: Sendable, Equatable {
    public var id: String
    public var name: String
    public var point: Position
    public var townCode: String
    public var tables: Int
    /// Hours of sampling, when shorter than the rules' sampling hours.
    public var hours: Double?
    /// True when it came from a sites file; automatic sites are micro-grid points.
    public var given: Bool
    /// Position in the sites file, for messages.
    public var sourceIndex: Int

    public init(
        id: String, name: String, point: Position, townCode: String, tables: Int, hours: Double? = nil, given: Bool,
        sourceIndex: Int = 0
    ) {
        self.id = id
        self.name = name
        self.point = point
        self.townCode = townCode
        self.tables = tables
        self.hours = hours
        self.given = given
        self.sourceIndex = sourceIndex
    }
}

/// A household whose members cannot walk to a site (flag given in a list); sampled at home.
public struct HomeVisit: Sendable, Equatable {
    public var id: String
    public var name: String
    public var phone: String
    public var address: String
    public var people: Int
    public var point: Position
    /// 1-based line in its file (the header is line 1).
    public var line: Int

    public init(
        id: String, name: String = "", phone: String = "", address: String = "", people: Int = 1, point: Position,
        line: Int = 0
    ) {
        self.id = id
        self.name = name
        self.phone = phone
        self.address = address
        self.people = people
        self.point = point
        self.line = line
    }
}

/// What someone does at a site in a testing round.
public enum TestingDuty: String, Sendable, CaseIterable, Comparable {
    case sampler  // 采样员
    case registrar  // 登记员
    case marshal  // 秩序维护
    case escort  // 入户采样引导 (door-to-door with a sampler)

    public var chineseName: String {
        switch self {
        case .sampler: "采样员"
        case .registrar: "登记员"
        case .marshal: "秩序维护"
        case .escort: "入户引导"
        }
    }

    public static func < (a: TestingDuty, b: TestingDuty) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}
