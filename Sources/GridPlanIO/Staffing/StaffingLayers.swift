import Foundation
import GRDB
import GridPlanEngines
import GridPlanGeometry
import GridPlanGeometryValues
import GridPlanModel

/// A staffing result as layers: `staff` (people at home), `assignments` (a row per post, at
/// the person's home) and `vacancies` (attributes only). The same columns in the plan file,
/// GeoJSON, GeoPackage and CSV exports.
public enum StaffingLayers {
    static let staffColumns: [(name: String, type: ExportLayer.ColumnType)] = [
        ("person_id", .text), ("name", .text), ("role", .text), ("phone", .text), ("skills", .text),
        ("max_grids", .integer),
        ("available", .integer), ("posts", .integer), ("grid_codes", .text),
    ]
    static let assignmentColumns: [(name: String, type: ExportLayer.ColumnType)] = [
        ("person_id", .text), ("name", .text), ("person_role", .text), ("slot_role", .text), ("slot_role_zh", .text),
        ("grid_code", .text),
        ("microgrid_code", .text), ("unit_code", .text), ("distance_m", .integer), ("phone", .text), ("kept", .text),
    ]

    public static func staff(_ r: StaffingResult) -> ExportLayer {
        var posts: [Int: [String]] = [:]
        for a in r.assignments { posts[a.personIndex, default: []].append(a.gridCode) }
        return ExportLayer(
            name: "staff", description: "People of the last staffing run, at home, with their posts",
            geometryType: "POINT", columns: staffColumns,
            features: r.people.indices.map { i in
                let p = r.people[i]
                return GeoJSONFeature(
                    properties: [
                        ("person_id", .string(p.id)), ("name", .string(p.name)), ("role", .string(p.role.rawValue)),
                        ("phone", .string(p.phone)),
                        ("skills", .string(p.skills.sorted().joined(separator: ";"))),
                        ("max_grids", .number(Double(p.maxGrids))),
                        ("available", .number(p.available ? 1 : 0)), ("posts", .number(Double(posts[i]?.count ?? 0))),
                        ("grid_codes", .string((posts[i] ?? []).sorted().joined(separator: ";"))),
                    ], geometry: .point(p.home))
            })
    }

    public static func assignments(_ r: StaffingResult) -> ExportLayer {
        let rows = StaffingWriter.assignmentsRows(r)
        return ExportLayer(
            name: "assignments",
            description: "Posts of the last staffing run: one row per person and post, at the person's home",
            geometryType: "POINT", columns: assignmentColumns,
            features: zip(r.assignments, rows.rows).map { a, row in
                GeoJSONFeature(
                    properties: zip(assignmentColumns, row).map { column, text in
                        (column.name, column.type == .integer ? PropertyValue.number(Double(text) ?? 0) : .string(text))
                    }, geometry: .point(r.people[a.personIndex].home))
            })
    }
}

extension PlanStore {
    /// Replaces the stored staffing (people, posts, vacancies) in one transaction and records the run.
    public func replaceStaffing(_ r: StaffingResult, run: PlanRun) throws {
        let context = try GEOSContext()
        let vacancies = StaffingWriter.vacancyRows(r)
        try writing { db in
            // No R-tree here: indexing 200,000 points took 5 s of a 20 s run; `export` indexes them.
            for table in ["staff", "assignments", "vacancies"] { try db.execute(sql: "DELETE FROM \(table)") }
            for layer in [StaffingLayers.staff(r), StaffingLayers.assignments(r)] {
                try GeoPackageWriter.insertFeatures(layer, db: db, context: context)
                try Self.updateExtent(
                    db, table: layer.name, boxes: layer.features.compactMap { $0.geometry?.boundingBox })
            }
            let insert = try db.makeStatement(
                sql:
                    "INSERT INTO vacancies (grid_code, unit_code, role, role_zh, vacancies, nearest_available) "
                    + "VALUES (?, ?, ?, ?, ?, ?)"
            )
            for row in vacancies.rows {
                try insert.execute(arguments: [row[0], row[1], row[2], row[3], Int(row[4]) ?? 0, row[5]])
            }
            try Self.record(run, db)
        }
    }

    /// The stored `staff` and `assignments` layers (empty when no staffing was run).
    public func staffingLayers() throws -> [ExportLayer] {
        try [
            ("staff", StaffingLayers.staffColumns, PlanSchema.staffingLayers[0].description),
            ("assignments", StaffingLayers.assignmentColumns, PlanSchema.staffingLayers[1].description),
        ].map { name, columns, description in
            try storedLayer(name, description: description, geometryType: "POINT", columns: columns)
        }
    }

    /// Posts filled and vacant per role and the vacancies, or nil when no staffing was run.
    public func staffingDigest() throws -> StaffingDigest? {
        try reading { db in
            let filledRows = try Row.fetchAll(
                db, sql: "SELECT slot_role, count(*) AS n FROM assignments GROUP BY slot_role")
            let vacancyRows = try Row.fetchAll(
                db, sql: "SELECT grid_code, role, vacancies, nearest_available FROM vacancies ORDER BY id")
            guard !filledRows.isEmpty || !vacancyRows.isEmpty else { return nil }
            var filled: [StaffRole: Int] = [:], vacant: [StaffRole: Int] = [:]
            for row in filledRows { if let role = StaffRole(parsing: row["slot_role"]) { filled[role] = row["n"] } }
            var list: [(grid: String, role: StaffRole, count: Int, nearest: String)] = []
            for row in vacancyRows {
                guard let role = StaffRole(parsing: row["role"]) else { continue }
                vacant[role, default: 0] += row["vacancies"] as Int
                list.append((row["grid_code"], role, row["vacancies"], row["nearest_available"]))
            }
            return StaffingDigest(
                folder: "the plan file (last gridplan staff run)", filled: filled, vacant: vacant, vacancies: list)
        }
    }
}

extension PlanStore {
    /// The people of the last staffing run and the grids each serves (empty when none was run).
    public func staffPool() throws -> (people: [StaffMember], postsOf: [String: [String]]) {
        let context = try GEOSContext()
        return try reading { db in
            var posts: [String: [String]] = [:]
            let people = try Row.fetchAll(db, sql: "SELECT * FROM staff ORDER BY fid").compactMap {
                row -> StaffMember? in
                let blob: Data = row["geom"]
                guard case .point(let home) = try GeoPackageGeometry.decode(blob, context: context).geometry,
                    let role = StaffRole(parsing: row["role"] as String)
                else { return nil }
                let id: String = row["person_id"]
                let grids = (row["grid_codes"] as String).split(separator: ";").map(String.init)
                if !grids.isEmpty { posts[id] = grids }
                return StaffMember(
                    id: id, name: row["name"], role: role, phone: row["phone"], home: home,
                    skills: Set((row["skills"] as String).split(separator: ";").map(String.init)),
                    maxGrids: row["max_grids"],
                    available: (row["available"] as Int) != 0)
            }
            return (people, posts)
        }
    }
}
