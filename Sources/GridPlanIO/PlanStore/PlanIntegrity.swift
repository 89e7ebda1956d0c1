import GRDB
import GridPlanModel

/// Checks, when a plan is opened, that every value of GridPlan's own tables has the type its
/// column declares and that the code sequences are in range. A plan edited by hand or by
/// another tool (text in an INTEGER column, say) is refused with the table, row, column and
/// value named, instead of failing later in the middle of a command.
enum PlanIntegrity {
    /// Tables GridPlan writes and reads back.
    static let tables = [
        "units", "buildings", "grids", "microgrids", "runs", "code_sequences", "staff", "assignments", "vacancies", "sites",
        "vessels", "ports", "routes", "recall_events",
    ]
    static let geometryTypes: Set<String> = [
        "GEOMETRY", "POINT", "LINESTRING", "POLYGON", "MULTIPOINT", "MULTILINESTRING", "MULTIPOLYGON", "GEOMETRYCOLLECTION",
    ]
    /// Highest code sequence GridPlan ever issues in a unit (six digits).
    static let maxSequence = 999_999

    static func check(_ db: Database, path: String) throws {
        for table in tables where try db.tableExists(table) {
            var conditions: [String] = []
            var columns: [(name: String, expected: String)] = []
            for column in try db.columns(in: table) {
                let declared = column.type.uppercased()
                let allowed: [String]
                let expected: String
                // GeoPackage geometry columns first: "POINT" would otherwise read as an integer type.
                if geometryTypes.contains(declared) || declared == "BLOB" {
                    (allowed, expected) = (["blob"], "a geometry")
                } else if declared.contains("INT") || declared == "BOOLEAN" {
                    (allowed, expected) = (["integer"], "a whole number")
                } else if declared.contains("REAL") || declared.contains("DOUB") || declared.contains("FLOA") {
                    (allowed, expected) = (["integer", "real"], "a number")
                } else if declared.contains("TEXT") || declared.contains("CHAR") || declared.contains("DATE") {
                    (allowed, expected) = (["text"], "text")
                } else if declared.isEmpty {
                    continue
                } else {
                    (allowed, expected) = (["blob"], "a geometry")
                }
                let list = (allowed + ["null"]).map { "'\($0)'" }.joined(separator: ",")
                conditions.append("typeof(\(column.name.quotedDatabaseIdentifier)) NOT IN (\(list))")
                columns.append((column.name, expected))
            }
            guard !conditions.isEmpty else { continue }
            let sql = "SELECT rowid AS gridplan_row, * FROM \(table.quotedDatabaseIdentifier) WHERE \(conditions.joined(separator: " OR ")) LIMIT 1"
            guard let row = try Row.fetchOne(db, sql: sql) else { continue }
            for (name, expected) in columns {
                let value = row[name] as DatabaseValue
                let fine: Bool
                switch (value.storage, expected) {
                case (.null, _), (.int64, "a whole number"), (.int64, "a number"), (.double, "a number"), (.string, "text"), (.blob, "a geometry"):
                    fine = true
                default:
                    fine = false
                }
                guard !fine else { continue }
                throw InputError(
                    file: path, rule: "plan.corrupt",
                    "table \(table), row \(row["gridplan_row"] as DatabaseValue): column \(name) holds \(value.description), not \(expected); "
                        + "the plan was changed outside GridPlan. Restore a copy, or rebuild it with `gridplan partition`")
            }
        }
        if try db.tableExists("code_sequences"),
            let row = try Row.fetchOne(
                db, sql: "SELECT unit_code, last_sequence FROM code_sequences WHERE last_sequence < 0 OR last_sequence > ? LIMIT 1",
                arguments: [maxSequence])
        {
            throw InputError(
                file: path, rule: "plan.corrupt",
                "table code_sequences: unit \(row["unit_code"] as DatabaseValue) has last_sequence \(row["last_sequence"] as DatabaseValue), "
                    + "outside 0…\(maxSequence), which GridPlan never issues; the plan was changed outside GridPlan. "
                    + "Restore a copy, or set it to the highest sequence of that unit's grids")
        }
    }
}
