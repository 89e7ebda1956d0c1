/// Joins a table of household and population figures (civil affairs, public security) onto unit
/// features, by unit code or by name within the parent. Nothing is guessed: a row that matches
/// no unit, or more than one, a unit matched twice, and every residential unit left without a
/// row are each reported, with the table's row or the unit's feature.
public struct UnitTableJoin: Sendable {
    public enum Key: String, Sendable {
        case code, name
    }

    public var table: String
    public var key: Key
    public var mapping: FieldMapping
    public var defaultKind: UnitKind?

    public init(table: String, key: Key, mapping: FieldMapping, defaultKind: UnitKind? = nil) {
        self.table = table
        self.key = key
        self.mapping = mapping
        self.defaultKind = defaultKind
    }

    /// Header names accepted per field besides the `--field` name (case-insensitive, exact).
    static let headers: [FieldMapping.Field: [String]] = [
        .code: ["代码", "编码", "区划代码", "行政区划代码", "统计用区划代码", "村代码", "社区代码"],
        .name: ["名称", "村名", "村名称", "村(居)名称", "村居名称", "社区名称", "村(社区)"],
        .parent: ["上级", "上级代码", "所属镇街", "镇街", "镇(街道)", "乡镇", "街道"],
        .households: ["户数", "总户数", "常住户数"],
        .population: ["人口", "人数", "总人口", "常住人口"],
    ]

    /// One unit feature as the join sees it.
    struct Unit {
        var file: Int
        var feature: Int
        var code: String
        var name: String?
        var parent: String?
        var residential: Bool
    }

    /// Sets households and population on `files`' features from `records` (header first).
    public func apply(
        _ records: [(line: Int, fields: [String])], to files: inout [(file: String, features: [SourceFeature])]
    ) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        /// Header problems make the table unusable (fatal); a bad row is an error.
        func fail(_ rule: String, line: Int? = nil, _ message: String) {
            let severity: Diagnostic.Severity = ["empty", "header"].contains(rule) ? .fatal : .error
            diagnostics.append(Diagnostic(severity, rule: "table.\(rule)", file: table, line: line, message: message))
        }
        guard let header = records.first else {
            fail("empty", "the table has no header row")
            return diagnostics
        }
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        func column(_ field: FieldMapping.Field) -> Int? {
            let accepted = ([mapping[field]] + (UnitTableJoin.headers[field] ?? [])).map { $0.lowercased() }
            return names.firstIndex(where: accepted.contains)
        }
        let keyField: FieldMapping.Field = key == .code ? .code : .name
        let found = header.fields.joined(separator: ", ")
        guard let keyColumn = column(keyField) else {
            fail(
                "header", line: header.line,
                "no \(keyField.rawValue) column to join by (columns: \(found)); name it with --field "
                    + "\(keyField.rawValue)=COLUMN")
            return diagnostics
        }
        let households = column(.households), population = column(.population)
        guard households != nil || population != nil else {
            fail(
                "header", line: header.line,
                "no households or population column (columns: \(found)); name one with --field households=COLUMN")
            return diagnostics
        }
        let parentColumn = key == .name ? column(.parent) : nil

        // The units, found by code or by name.
        var units: [Unit] = []
        for (f, file) in files.enumerated() {
            for (i, feature) in file.features.enumerated() {
                guard let code = mapping.text(.code, of: feature) ?? feature.id?.identifierText else { continue }
                let kind = mapping.text(.kind, of: feature).flatMap(UnitKind.init(parsing:)) ?? defaultKind ?? .village
                units.append(
                    Unit(
                        file: f, feature: i, code: code, name: mapping.text(.name, of: feature),
                        parent: mapping.text(.parent, of: feature),
                        residential: kind.isResidential))
            }
        }
        var byCode: [String: Int] = [:]
        for (u, unit) in units.enumerated() where byCode[unit.code] == nil { byCode[unit.code] = u }
        var byName: [String: [Int]] = [:]
        for (u, unit) in units.enumerated() { if let n = unit.name { byName[n, default: []].append(u) } }

        var matchedBy: [Int: Int] = [:]  // unit -> table line
        for row in records.dropFirst() {
            func cell(_ i: Int?) -> String {
                guard let i, i < row.fields.count else { return "" }
                return row.fields[i].trimmingCharacters(in: .whitespaces)
            }
            let keyValue = cell(keyColumn)
            guard !keyValue.isEmpty else {
                fail("key-missing", line: row.line, "the row has no \(keyField.rawValue)")
                continue
            }
            var candidates: [Int]
            switch key {
            case .code: candidates = byCode[keyValue].map { [$0] } ?? []
            case .name:
                candidates = byName[keyValue] ?? []
                let parent = cell(parentColumn)
                if !parent.isEmpty {
                    candidates = candidates.filter { u in
                        guard let p = units[u].parent else { return false }
                        return p == parent || byCode[p].flatMap { units[$0].name } == parent
                    }
                }
            }
            guard candidates.count == 1, let u = candidates.first else {
                if candidates.isEmpty {
                    fail("row-unmatched", line: row.line, "\(keyField.rawValue) \"\(keyValue)\" matches no unit")
                } else {
                    let codes = candidates.map { units[$0].code }.joined(separator: ", ")
                    fail(
                        "row-ambiguous", line: row.line,
                        "name \"\(keyValue)\" matches \(candidates.count) units (\(codes)); add a parent column "
                            + "(上级 or --field parent=COLUMN) or join by code")
                }
                continue
            }
            if let first = matchedBy[u] {
                fail("row-duplicate", line: row.line, "unit \(units[u].code) is already given on line \(first)")
                continue
            }
            matchedBy[u] = row.line
            var ok = true
            var figures: [(FieldMapping.Field, Double)] = []
            for (field, index) in [(FieldMapping.Field.households, households), (.population, population)] {
                let value = cell(index)
                guard index != nil, !value.isEmpty else { continue }
                guard let number = Double(value), number.isFinite, number >= 0, number.rounded() == number else {
                    fail("value", line: row.line, "\(field.rawValue) \"\(value)\" is not a whole number ≥ 0")
                    ok = false
                    continue
                }
                figures.append((field, number))
            }
            guard ok else { continue }
            let unit = units[u]
            for (field, number) in figures {
                files[unit.file].features[unit.feature].properties[mapping[field]] = .number(number)
            }
        }
        for (u, unit) in units.enumerated() where unit.residential && matchedBy[u] == nil {
            let feature = files[unit.file].features[unit.feature]
            let own = [FieldMapping.Field.households, .population].contains {
                feature.properties[mapping[$0]].map { $0 != .null } ?? false
            }
            diagnostics.append(
                Diagnostic(
                    own ? .warning : .error, rule: "table.unit-missing", file: files[unit.file].file,
                    feature: FeatureReference(index: feature.index, id: unit.code),
                    message: "no row of \(table) gives this unit's households (\(unit.name ?? unit.code))"
                        + (own ? "; its own figures are kept" : "")))
        }
        return diagnostics
    }
}
