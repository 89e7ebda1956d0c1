import GridPlanModel

/// Rule `code.duplicate`: every unit code appears once across all files.
enum DuplicateCodeCheck {
    static func run(_ units: [(file: String, unit: TerritorialUnit)]) -> [Diagnostic] {
        var first: [String: (file: String, unit: TerritorialUnit)] = [:]
        var diagnostics: [Diagnostic] = []
        for entry in units {
            if let earlier = first[entry.unit.code] {
                let where_ = earlier.file == entry.file ? "" : " in \(earlier.file)"
                diagnostics.append(
                    Diagnostic(
                        .error, rule: "code.duplicate", file: entry.file, feature: entry.unit.reference,
                        related: [earlier.unit.reference],
                        message: "code \(entry.unit.code) is already used by \(earlier.unit.reference)\(where_)"))
            } else {
                first[entry.unit.code] = entry
            }
        }
        return diagnostics
    }
}
