import GRDB
import GridPlanModel

/// Checks, when a plan is opened, that every value of GridPlan's own tables has the type its
/// column declares and that the code sequences are in range. A plan edited by hand or by
/// another tool (text in an INTEGER column, say) is refused with the table, row, column and
/// value named, instead of failing later in the middle of a command.
enum PlanIntegrity {
    /// Tables GridPlan writes and reads back.
    static let tables = [
        "units", "buildings", "grids", "microgrids", "runs", "code_sequences", "staff", "assignments", "vacancies",
        "sites",
        "vessels", "ports", "routes", "recall_events", "access_tokens", "audit_log",
    ]
    static let geometryTypes: Set<String> = [
        "GEOMETRY", "POINT", "LINESTRING", "POLYGON", "MULTIPOINT", "MULTILINESTRING", "MULTIPOLYGON",
        "GEOMETRYCOLLECTION",
    ]
    /// Highest code sequence GridPlan ever issues in a unit (six digits).
    static let maxSequence = 999_999

    static func check(_ db: Database, path: String) throws {
        // Every migration has run, so a table missing was removed by hand or by another tool.
        for table in tables where try !db.tableExists(table) {
            throw InputError(
                file: path, rule: "plan.corrupt",
                "the plan has no table \(table); it was changed outside GridPlan. Restore a copy, or rebuild it with "
                    + "`gridplan partition`"
            )
        }
        for table in tables {
            var columns: [(name: String, allowed: Set<String>, expected: String)] = []
            for column in try db.columns(in: table) {
                let declared = column.type.uppercased()
                // GeoPackage geometry columns first: "POINT" would otherwise read as an integer type.
                if geometryTypes.contains(declared) || declared == "BLOB" {
                    columns.append((column.name, ["blob"], "a geometry"))
                } else if declared.contains("INT") || declared == "BOOLEAN" {
                    columns.append((column.name, ["integer"], "a whole number"))
                } else if declared.contains("REAL") || declared.contains("DOUB") || declared.contains("FLOA") {
                    columns.append((column.name, ["integer", "real"], "a number"))
                } else if declared.contains("TEXT") || declared.contains("CHAR") || declared.contains("DATE") {
                    columns.append((column.name, ["text"], "text"))
                }
                // Other declared types are not GridPlan's; they are left unchecked.
            }
            guard !columns.isEmpty else { continue }
            let conditions = columns.map { column in
                "typeof(\(column.name.quotedDatabaseIdentifier)) NOT IN "
                    + "(\((column.allowed.sorted() + ["null"]).map { "'\($0)'" }.joined(separator: ",")))"
            }
            let sql =
                "SELECT rowid AS gridplan_row, * FROM \(table.quotedDatabaseIdentifier) WHERE "
                + "\(conditions.joined(separator: " OR ")) LIMIT 1"
            guard let row = try Row.fetchOne(db, sql: sql) else { continue }
            for column in columns {
                let value = row[column.name] as DatabaseValue
                guard let type = sqliteType(value), !column.allowed.contains(type) else { continue }
                throw InputError(
                    file: path, rule: "plan.corrupt",
                    "table \(table), row \(row["gridplan_row"] as DatabaseValue): column \(column.name) holds "
                        + "\(value.description), not \(column.expected); "
                        + "the plan was changed outside GridPlan. Restore a copy, or rebuild it with `gridplan "
                        + "partition`"
                )
            }
        }
        if try db.tableExists("code_sequences"),
            let row = try Row.fetchOne(
                db,
                sql:
                    "SELECT unit_code, last_sequence FROM code_sequences WHERE last_sequence < 0 OR last_sequence > "
                    + "? LIMIT 1",
                arguments: [maxSequence])
        {
            throw InputError(
                file: path, rule: "plan.corrupt",
                "table code_sequences: unit \(row["unit_code"] as DatabaseValue) has last_sequence "
                    + "\(row["last_sequence"] as DatabaseValue), "
                    + "outside 0…\(maxSequence), which GridPlan never issues; the plan was changed outside GridPlan. "
                    + "Restore a copy, or set it to the highest sequence of that unit's grids")
        }
    }

    /// SQLite's `typeof` name of a value; nil for NULL.
    private static func sqliteType(_ value: DatabaseValue) -> String? {
        switch value.storage {
        case .null: nil
        case .int64: "integer"
        case .double: "real"
        case .string: "text"
        case .blob: "blob"
        }
    }
}
