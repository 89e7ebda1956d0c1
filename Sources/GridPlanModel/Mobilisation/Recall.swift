import Foundation
import GridPlanGeometryValues

/// A fishing vessel on the recall list (one row of the vessels CSV).
public struct Vessel: Sendable, Equatable {
    public var id: String
    public var name: String
    /// The unit (village/community) or grid it belongs to; its grid worker calls it (定人联船).
    public var homeUnit: String
    public var owner: String
    public var phone: String
    public var crew: Int
    /// Engine power in metric horsepower (马力); kW inputs are converted.
    public var powerHp: Double
    /// Last reported position, lon/lat, and when it was reported.
    public var position: Position
    public var fixTime: Date
    public var speedKnots: Double
    /// 1-based line in its file (the header is line 1).
    public var line: Int

    public init(
        id: String, name: String, homeUnit: String, owner: String = "", phone: String = "", crew: Int, powerHp: Double,
        position: Position,
        fixTime: Date, speedKnots: Double, line: Int = 0
    ) {
        self.id = id
        self.name = name
        self.homeUnit = homeUnit
        self.owner = owner
        self.phone = phone
        self.crew = crew
        self.powerHp = powerHp
        self.position = position
        self.fixTime = fixTime
        self.speedKnots = speedKnots
        self.line = line
    }

    /// Metric horsepower per kilowatt (1 马力 = 735.5 W).
    public static let hpPerKilowatt = 1 / 0.7355
}

/// A port where fishing vessels shelter from a typhoon, with its berths.
public struct ShelterPort: Sendable, Equatable {
    public var id: String
    public var name: String
    public var point: Position
    public var berths: Int
    /// Position in the ports file, for messages.
    public var sourceIndex: Int

    public init(id: String, name: String, point: Position, berths: Int, sourceIndex: Int = 0) {
        self.id = id
        self.name = name
        self.point = point
        self.berths = berths
        self.sourceIndex = sourceIndex
    }
}

/// One fix of a typhoon best track: centre and maximum sustained wind (knots), when known.
public struct TrackFix: Sendable, Equatable {
    public var time: Date
    public var centre: Position
    public var windKnots: Double?

    public init(time: Date, centre: Position, windKnots: Double?) {
        self.time = time
        self.centre = centre
        self.windKnots = windKnots
    }
}

/// A typhoon best track (IBTrACS form), fixes in time order.
public struct TyphoonTrack: Sendable, Equatable {
    public var id: String
    public var fixes: [TrackFix]

    public init(id: String, fixes: [TrackFix]) {
        self.id = id
        self.fixes = fixes
    }
}

/// What the recall says of a vessel.
public enum RecallStatus: String, Sendable, CaseIterable, Comparable {
    case cannotMakeIt = "cannot_make_it"  // escalate to maritime rescue
    case atRisk = "at_risk"
    case canMakeIt = "can_make_it"
    case inPort = "in_port"

    public var chineseName: String {
        switch self {
        case .cannotMakeIt: "无法按时回港（报海上搜救）"
        case .atRisk: "有风险"
        case .canMakeIt: "可按时回港"
        case .inPort: "已在港"
        }
    }

    /// Urgency order: the vessels to call first come first.
    public static func < (a: RecallStatus, b: RecallStatus) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// A report from the field after the recall order: recorded by `gridplan recall status`.
public enum RecallEventKind: String, Sendable, CaseIterable {
    case confirmed  // the skipper acknowledged the order
    case arrived  // in a shelter port
    case crewAshore = "crew_ashore"  // 人船双回: the crew is ashore too
    case hauledOut = "hauled_out"  // a small boat is above the high-tide line
    case departed  // back at sea (a correction, or left port)
}

public struct RecallEvent: Sendable, Equatable {
    public var vesselID: String
    public var kind: RecallEventKind
    public var portID: String?
    public var time: Date
    public var note: String

    public init(vesselID: String, kind: RecallEventKind, portID: String? = nil, time: Date, note: String = "") {
        self.vesselID = vesselID
        self.kind = kind
        self.portID = portID
        self.time = time
        self.note = note
    }
}
