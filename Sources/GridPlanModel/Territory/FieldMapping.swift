import Foundation

/// Which property names hold each field. Defaults are GridPlan's own names; users override
/// them with `--field households=HH_COUNT`.
public struct FieldMapping: Sendable, Equatable {
    public enum Field: String, Sendable, CaseIterable {
        case code, name, kind, parent, households, population, urban, id, levels, height
        /// Home-port unit of a maritime zone (its fishing village).
        case homePort = "home_port"
    }

    private var names: [Field: String]

    public init() {
        names = Dictionary(uniqueKeysWithValues: Field.allCases.map { ($0, $0.rawValue) })
    }

    /// Applies overrides of the form "field=PROPERTY".
    public init(overrides: [String]) throws {
        self.init()
        for text in overrides {
            let parts = text.split(separator: "=", maxSplits: 1).map { String($0).trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[1].isEmpty else {
                throw InputError(rule: "arguments.field", "--field expects FIELD=PROPERTY, got \"\(text)\"")
            }
            guard let field = Field(rawValue: parts[0]) else {
                let known = Field.allCases.map(\.rawValue).joined(separator: ", ")
                throw InputError(rule: "arguments.field", "--field: unknown field \"\(parts[0])\" (known: \(known))")
            }
            names[field] = parts[1]
        }
    }

    public subscript(field: Field) -> String { names[field]! }

    /// A feature's `field` as text (a number written as an identifier), trimmed; nil when absent or blank.
    public func text(_ field: Field, of feature: SourceFeature) -> String? {
        let t = feature.properties[self[field]]?.identifierText?.trimmingCharacters(in: .whitespaces)
        return t?.isEmpty == false ? t : nil
    }
}
