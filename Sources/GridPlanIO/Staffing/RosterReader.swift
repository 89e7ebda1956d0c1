import Foundation
import GridPlanGeometryValues
import GridPlanModel

/// Reads a roster CSV into people, and an earlier assignments CSV into current posts. Every
/// bad row is diagnosed with its line number; the caller decides whether to stop or skip.
public struct RosterReader: Sendable {
    /// The most grids one person may be given (`max_grids`): more than any real post (a grid
    /// leader of a big village looks after a handful), and it keeps the flow's capacities small.
    public static let maxGridsPerPerson = 100

    public enum Column: String, CaseIterable, Sendable {
        case id, name, role, phone, lon, lat, skills, maxGrids = "max_grids", available
    }

    /// Header names per column; `--column lon=经度` overrides. Common Chinese headers are known.
    public var names: [Column: [String]] = [
        .id: ["id", "编号", "工号"], .name: ["name", "姓名"], .role: ["role", "角色", "身份"], .phone: ["phone", "电话", "手机"],
        .lon: ["lon", "lng", "longitude", "经度"], .lat: ["lat", "latitude", "纬度"], .skills: ["skills", "技能"],
        .maxGrids: ["max_grids", "最多网格数"], .available: ["available", "是否可用", "在岗"],
    ]

    public init(overrides: [String] = []) throws {
        for text in overrides {
            let parts = text.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, let column = Column(rawValue: parts[0]), !parts[1].isEmpty else {
                let known = Column.allCases.map(\.rawValue).joined(separator: ", ")
                throw InputError(
                    rule: "arguments.column", "--column expects NAME=HEADER with NAME one of \(known), got \"\(text)\"")
            }
            names[column] = [parts[1]]
        }
    }

    /// Reads a roster from CSV or a spreadsheet (`.xlsx`, `.xls`, `.ods`).
    public func read(_ path: String) throws -> (people: [StaffMember], diagnostics: [Diagnostic]) {
        try people(TableReader.records(path), file: path)
    }

    public func parse(_ data: Data, file: String) throws -> (people: [StaffMember], diagnostics: [Diagnostic]) {
        try people(CSVReader.records(data, file: file), file: file)
    }

    func people(
        _ records: [(line: Int, fields: [String])], file: String
    ) throws -> (people: [StaffMember], diagnostics: [Diagnostic]) {
        guard let header = records.first else {
            throw InputError(file: file, rule: "file.empty", "the roster has no header row")
        }
        var position: [Column: Int] = [:]
        let normalised = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        for column in Column.allCases {
            if let i = normalised.firstIndex(where: { names[column]!.map { $0.lowercased() }.contains($0) }) {
                position[column] = i
            }
        }
        // A column named twice would be read from its first place only, silently.
        for column in Column.allCases {
            let places = normalised.indices.filter { names[column]!.map { $0.lowercased() }.contains(normalised[$0]) }
            if places.count > 1 {
                throw InputError(
                    file: file, line: header.line, rule: "roster.header",
                    "the header names \(column.rawValue) in columns "
                        + "\(places.map { String($0 + 1) }.joined(separator: " and ")); keep one of them"
                )
            }
        }
        let missing = [Column.id, .role, .lon, .lat].filter { position[$0] == nil }
        guard missing.isEmpty else {
            throw InputError(
                file: file, line: header.line, rule: "roster.header",
                "no column for \(missing.map(\.rawValue).joined(separator: ", ")) (header: "
                    + "\(header.fields.joined(separator: ","))); name them with --column"
            )
        }
        var people: [StaffMember] = [], diagnostics: [Diagnostic] = []
        var seen: [String: Int] = [:]
        for record in records.dropFirst() {
            func value(_ c: Column) -> String {
                guard let i = position[c], i < record.fields.count else { return "" }
                return record.fields[i].trimmingCharacters(in: .whitespaces)
            }
            func bad(_ rule: String, _ message: String) {
                diagnostics.append(Diagnostic(.error, rule: rule, file: file, line: record.line, message: message))
            }
            if record.fields.map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) == normalised {
                bad("roster.header-repeated", "repeats the header row (were two files joined?); delete this line")
                continue
            }
            let id = value(.id)
            guard !id.isEmpty else { bad("roster.id-missing", "no id"); continue }
            if let first = seen[id] {
                bad("roster.id-duplicate", "id \(id) is already used on line \(first)"); continue
            }
            guard let role = StaffRole(parsing: value(.role)) else {
                let known = StaffRole.allCases.map { "\($0.rawValue) (\($0.chineseName))" }.joined(separator: ", ")
                bad("roster.role-unknown", "\(id): role \"\(value(.role))\" is not one of \(known)")
                continue
            }
            guard let lon = Double(value(.lon)), let lat = Double(value(.lat)) else {
                bad(
                    "roster.coordinates-missing",
                    "\(id): lon \"\(value(.lon))\" / lat \"\(value(.lat))\" are not numbers")
                continue
            }
            guard (-180...180).contains(lon), (-90...90).contains(lat) else {
                bad("roster.coordinates-range", "\(id): (\(lon), \(lat)) is not a WGS84 lon/lat (swapped columns?)")
                continue
            }
            var maxGrids = 1
            if !value(.maxGrids).isEmpty {
                guard let m = Int(value(.maxGrids)), (1...Self.maxGridsPerPerson).contains(m) else {
                    bad(
                        "roster.max-grids",
                        "\(id): max_grids \"\(value(.maxGrids))\" is not a whole number from 1 to "
                            + "\(Self.maxGridsPerPerson)"
                    )
                    continue
                }
                maxGrids = m
            }
            var available = true
            switch value(.available).lowercased() {
            case "", "true", "yes", "y", "1", "是", "在岗": available = true
            case "false", "no", "n", "0", "否", "不在岗": available = false
            default:
                bad("roster.available", "\(id): available \"\(value(.available))\" is not yes/no")
                continue
            }
            seen[id] = record.line
            let skills = Set(value(.skills).split(whereSeparator: { ";|；、 ".contains($0) }).map { $0.lowercased() })
            people.append(
                StaffMember(
                    id: id, name: value(.name), role: role, phone: value(.phone), home: Position(x: lon, y: lat),
                    skills: skills,
                    maxGrids: maxGrids, available: available, line: record.line))
        }
        return (people, diagnostics)
    }

    /// An earlier assignments file (ours: `person_id, …, grid_code, slot_role`, or `id, grid_code, role`).
    public static func currentAssignments(_ path: String) throws -> [CurrentAssignment] {
        let records = try TableReader.records(path)
        guard let header = records.first else {
            throw InputError(file: path, rule: "file.empty", "the assignments file is empty")
        }
        let h = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard let person = h.firstIndex(of: "person_id") ?? h.firstIndex(of: "id"),
            let grid = h.firstIndex(of: "grid_code"),
            let role = h.firstIndex(of: "slot_role") ?? h.firstIndex(of: "role")
        else {
            throw InputError(
                file: path, line: 1, rule: "assignments.header", "expected columns person_id, grid_code and slot_role")
        }
        return try records.dropFirst().map { r in
            let f = r.fields
            guard max(person, grid, role) < f.count, let parsed = StaffRole(parsing: f[role]) else {
                throw InputError(
                    file: path, line: r.line, rule: "assignments.row",
                    "a row needs person_id, grid_code and a known role")
            }
            return CurrentAssignment(personID: f[person], gridCode: f[grid], role: parsed, line: r.line)
        }
    }
}
