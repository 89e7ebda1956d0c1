/// What a territorial unit is. Villages and communities are the base units that grids
/// divide; towns and counties are containers (parents); the rest get dedicated grids.
public enum UnitKind: String, Sendable, CaseIterable, Codable {
    case county
    case town
    case village
    case community
    case compound
    case industrialPark = "industrial_park"
    case park
    case school
    case hospital
    case maritime

    /// Parses the canonical ids and common Chinese names (村, 社区, 小区, 工业园 …).
    public init?(parsing text: String) {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        if let k = UnitKind(rawValue: t) {
            self = k
            return
        }
        switch t {
        case "industrial-park", "industrialpark", "工业园", "工业园区", "园区": self = .industrialPark
        case "县", "区", "县级市", "district": self = .county
        case "镇", "乡", "街道", "street", "township": self = .town
        case "村", "村委会", "行政村": self = .village
        case "社区", "居委会", "社区居委会": self = .community
        case "小区", "住宅小区", "residential_compound": self = .compound
        case "公园": self = .park
        case "学校": self = .school
        case "医院": self = .hospital
        case "海域", "海上", "sea": self = .maritime
        default: return nil
        }
    }

    /// Counties and towns only contain other units.
    public var isContainer: Bool { self == .county || self == .town }

    /// Units whose grids are dedicated (专属网格) rather than comprehensive.
    public var isDedicated: Bool {
        switch self {
        case .industrialPark, .park, .school, .hospital: true
        default: false
        }
    }

    /// Whether households and population are expected (residential units).
    public var isResidential: Bool {
        switch self {
        case .village, .community, .compound: true
        default: false
        }
    }

    /// Urban unless the kind is rural by nature; a unit's `urban` field overrides this.
    public var defaultUrban: Bool {
        switch self {
        case .village, .maritime, .county, .town: false
        default: true
        }
    }
}
