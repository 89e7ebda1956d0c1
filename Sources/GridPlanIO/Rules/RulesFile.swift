import Foundation
import GridPlanModel

/// Reads and writes partition rules as a small TOML file: `[section]` headers and
/// `key = number` lines, `#` comments. A comment after a value becomes that value's
/// provenance, so a city can cite its own order next to its own number. Only this subset of
/// TOML is accepted, and anything else is refused with its line number.
public enum RulesFile {
    /// Every kind of rules a file holds (partition, staffing, testing and recall sections).
    public static func read(
        _ path: String
    ) throws
        -> (partition: PartitionRules, staffing: StaffingRules, testing: TestingRules, recall: RecallRules)
    {
        let data = try FileInput.read(path)
        guard let text = String(data: data, encoding: .utf8) else {
            throw InputError(file: path, rule: "rules.syntax", "the rules file is not UTF-8 text")
        }
        return try parseAll(text, file: path)
    }

    /// The partition rules of a rules file's text.
    public static func parse(_ text: String, file: String) throws -> PartitionRules {
        try parseAll(text, file: file).partition
    }

    /// Every kind of rules: one file may hold partition, staffing, testing and recall sections.
    public static func parseAll(
        _ text: String, file: String
    ) throws
        -> (partition: PartitionRules, staffing: StaffingRules, testing: TestingRules, recall: RecallRules)
    {
        var rules = PartitionRules()
        var staffing = StaffingRules()
        var testing = TestingRules()
        var recall = RecallRules()
        var section: String?
        var seen: Set<String> = []
        for (number, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = number + 1
            func fail(_ rule: String, _ message: String) -> InputError {
                InputError(file: file, line: line, rule: rule, message)
            }
            var content = Substring(rawLine)
            var comment: String?
            if let hash = content.firstIndex(of: "#") {
                comment = content[content.index(after: hash)...].trimmingCharacters(in: .whitespaces)
                content = content[..<hash]
            }
            let trimmed = content.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            if trimmed.hasPrefix("[") {
                guard trimmed.hasSuffix("]"), trimmed.count > 2 else {
                    throw fail("rules.syntax", "a section header is written [name]")
                }
                section = String(trimmed.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces)
                continue
            }
            let parts = trimmed.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw fail("rules.syntax", "expected key = number, got \"\(trimmed)\"")
            }
            let name = section.map { "\($0).\(parts[0])" } ?? parts[0]
            guard let value = Double(parts[1].replacingOccurrences(of: "_", with: "")) else {
                throw fail("rules.value", "\(name) must be a number, got \(parts[1])")
            }
            guard seen.insert(name).inserted else { throw fail("rules.duplicate", "\(name) is set twice") }
            let provenance = "rules file \(file), line \(line)" + ((comment?.isEmpty == false) ? ": \(comment!)" : "")
            do {
                if try !staffing.set(name, to: value, provenance: provenance),
                    try !testing.set(name, to: value, provenance: provenance),
                    try !recall.set(name, to: value, provenance: provenance)
                {
                    try rules.set(name, to: value, provenance: provenance)
                }
            } catch let error as InputError {
                throw fail(error.rule, error.message)
            }
        }
        do {
            try rules.validate()
            try testing.validate()
        } catch let error as InputError {
            throw InputError(file: file, rule: error.rule, error.message)
        }
        return (rules, staffing, testing, recall)
    }

    /// The rules as a file to start from: every norm with its value and provenance.
    public static func template(
        _ rules: PartitionRules = PartitionRules(), staffing: StaffingRules = StaffingRules(),
        testing: TestingRules = TestingRules(),
        recall: RecallRules = RecallRules()
    ) -> String {
        var out = """
            # GridPlan partition rules (TOML). Every key is optional; a missing key keeps its default.
            # A comment after a value is kept as its provenance in report.json.

            """
        var section = ""
        for norm in rules.described + staffing.described + testing.described + recall.described {
            // The last dot separates the key from its section: [staff.leader] per_grid = 1.
            let cut = norm.name.lastIndex(of: ".")!
            let parts = [String(norm.name[..<cut]), String(norm.name[norm.name.index(after: cut)...])]
            if parts[0] != section {
                section = parts[0]
                out += "\n[\(section)]\n"
            }
            out += "\(parts[1]) = \(norm.value)  # \(norm.provenance)\n"
        }
        return out
    }
}
