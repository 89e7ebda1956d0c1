import Foundation
import GridPlanGeometryValues

/// What a person on the roster is, and what a slot in a grid asks for.
public enum StaffRole: String, Sendable, CaseIterable, Comparable {
    case leader = "leader"  // 网格长
    case fullTime = "full_time"  // 专职网格员
    case partTime = "part_time"  // 兼职网格员
    case partyMember = "party_member"  // 党员
    case volunteer = "volunteer"  // 志愿者
    case medical = "medical"  // 医护人员
    case police = "police"  // 民警 / 辅警

    public var chineseName: String {
        switch self {
        case .leader: "网格长"
        case .fullTime: "专职网格员"
        case .partTime: "兼职网格员"
        case .partyMember: "党员"
        case .volunteer: "志愿者"
        case .medical: "医护人员"
        case .police: "民警"
        }
    }

    /// Accepts the ids, their Chinese names and common variants.
    public init?(parsing text: String) {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased().replacingOccurrences(of: "-", with: "_")
            .replacingOccurrences(of: " ", with: "_")
        let aliases: [String: StaffRole] = [
            "网格长": .leader, "grid_leader": .leader, "专职网格员": .fullTime, "专职": .fullTime, "fulltime": .fullTime,
            "兼职网格员": .partTime, "兼职": .partTime, "parttime": .partTime, "党员": .partyMember, "party": .partyMember,
            "志愿者": .volunteer, "医护人员": .medical, "医护": .medical, "医生": .medical, "doctor": .medical, "nurse": .medical,
            "民警": .police, "辅警": .police, "警察": .police,
        ]
        if let role = StaffRole(rawValue: t) ?? aliases[t] { self = role } else { return nil }
    }

    public static func < (a: StaffRole, b: StaffRole) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// A person on the roster.
public struct StaffMember: Sendable, Equatable {
    public var id: String
    public var name: String
    public var role: StaffRole
    public var phone: String
    /// Home, lon/lat.
    public var home: Position
    public var skills: Set<String>
    /// Most slots this person may hold (in different grids).
    public var maxGrids: Int
    public var available: Bool
    /// 1-based line in the roster file (the header is line 1).
    public var line: Int

    public init(
        id: String, name: String = "", role: StaffRole, phone: String = "", home: Position, skills: Set<String> = [],
        maxGrids: Int = 1, available: Bool = true, line: Int = 0
    ) {
        self.id = id
        self.name = name
        self.role = role
        self.phone = phone
        self.home = home
        self.skills = skills
        self.maxGrids = maxGrids
        self.available = available
        self.line = line
    }
}

/// A grid as staffing sees it: where it is, what it holds, and its micro-grids.
public struct StaffedPlace: Sendable {
    public var gridCode: String
    public var unitCode: String
    public var kind: GridKind
    public var households: Int
    public var population: Int
    /// A point inside the grid (lon/lat): distances are measured from homes to it.
    public var point: Position
    public var microGrids: [(code: String, point: Position)]

    public init(
        gridCode: String, unitCode: String, kind: GridKind, households: Int, population: Int, point: Position,
        microGrids: [(code: String, point: Position)] = []
    ) {
        self.gridCode = gridCode
        self.unitCode = unitCode
        self.kind = kind
        self.households = households
        self.population = population
        self.point = point
        self.microGrids = microGrids
    }
}

/// A person's earlier assignment (`--current`).
public struct CurrentAssignment: Sendable, Equatable {
    public var personID: String
    public var gridCode: String
    public var role: StaffRole
    public var line: Int

    public init(personID: String, gridCode: String, role: StaffRole, line: Int = 0) {
        self.personID = personID
        self.gridCode = gridCode
        self.role = role
        self.line = line
    }
}
