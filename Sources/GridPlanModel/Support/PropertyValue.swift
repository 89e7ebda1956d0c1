/// A property value of any JSON type, as read from GeoJSON or written back. Objects keep
/// member order so output property order is stable.
public indirect enum PropertyValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([PropertyValue])
    case object([(String, PropertyValue)])

    public static func == (a: PropertyValue, b: PropertyValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.number(let x), .number(let y)): return x == y
        case (.string(let x), .string(let y)): return x == y
        case (.array(let x), .array(let y)): return x == y
        case (.object(let x), .object(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    /// A short rendering for messages: strings quoted, numbers without trailing ".0".
    public var display: String {
        switch self {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .number(let d): return PropertyValue.format(d)
        case .string(let s): return "\"\(s)\""
        case .array(let a): return "[\(a.map(\.display).joined(separator: ", "))]"
        case .object: return "{…}"
        }
    }

    /// The text of a string, or a number written as an identifier (440703 → "440703").
    public var identifierText: String? {
        switch self {
        case .string(let s): return s
        case .number(let d) where d.rounded() == d && abs(d) < 1e15: return String(Int64(d))
        default: return nil
        }
    }

    public static func format(_ d: Double) -> String {
        if d.rounded() == d && abs(d) < 1e15 { return String(Int64(d)) }
        return "\(d)"
    }
}

/// Feature properties in file order.
public typealias Properties = [(String, PropertyValue)]

extension Array where Element == (String, PropertyValue) {
    /// The first value under `key`; setting replaces it, or appends the key when absent.
    public subscript(key: String) -> PropertyValue? {
        get { first { $0.0 == key }?.1 }
        set {
            if let i = firstIndex(where: { $0.0 == key }) {
                if let newValue { self[i].1 = newValue } else { remove(at: i) }
            } else if let newValue {
                append((key, newValue))
            }
        }
    }
}
