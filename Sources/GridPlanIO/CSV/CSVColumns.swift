/// Finds a CSV file's columns by any of their accepted header names (English or Chinese,
/// case-insensitive), and reads a row's fields by key, trimmed; missing fields read as "".
public struct CSVColumns: Sendable {
    private let index: [String: Int]

    public init(header: [String], names: [String: [String]]) {
        let h = header.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        var index: [String: Int] = [:]
        for (key, options) in names { if let i = h.firstIndex(where: options.contains) { index[key] = i } }
        self.index = index
    }

    public func has(_ key: String) -> Bool { index[key] != nil }

    /// The keys among `required` with no column.
    public func missing(_ required: [String]) -> [String] { required.filter { index[$0] == nil } }

    public func value(_ key: String, in fields: [String]) -> String {
        guard let i = index[key], i < fields.count else { return "" }
        return fields[i].trimmingCharacters(in: .whitespaces)
    }
}
