import Foundation
import GRDB
import GridPlanEngines
import GridPlanGeometry
import GridPlanGeometryValues
import GridPlanModel

/// A record of one command run on the plan (its history).
public struct PlanRun: Sendable, Equatable {
    public var command: String
    public var arguments: [String]
    public var inputs: [String]
    public var summary: String
    public var startedAt: Date
    /// The `OutputBatch` token of the files this run wrote with the plan change (see `OutputBatch`).
    public var outputsToken: String?

    public init(
        command: String, arguments: [String], inputs: [String], summary: String, startedAt: Date = Date(),
        outputsToken: String? = nil
    ) {
        self.outputsToken = outputsToken
        self.command = command
        self.arguments = arguments
        self.inputs = inputs
        self.summary = summary
        self.startedAt = startedAt
    }
}

/// A unit as stored, with its measured area.
public struct StoredUnit: Sendable, Equatable {
    public var unit: TerritorialUnit
    public var areaSquareMetres: Double
    public var sourceFile: String

    public init(unit: TerritorialUnit, areaSquareMetres: Double, sourceFile: String) {
        self.unit = unit
        self.areaSquareMetres = areaSquareMetres
        self.sourceFile = sourceFile
    }
}

/// A building as stored, with the unit it lies in.
public struct StoredBuilding: Sendable, Equatable {
    public var building: Building
    public var unitCode: String?
    public var footprintSquareMetres: Double?
    public var sourceFile: String

    public init(building: Building, unitCode: String?, footprintSquareMetres: Double?, sourceFile: String) {
        self.building = building
        self.unitCode = unitCode
        self.footprintSquareMetres = footprintSquareMetres
        self.sourceFile = sourceFile
    }
}

/// The plan file: one SQLite database per plan that is also an OGC GeoPackage. Every write
/// is one transaction (a failure leaves the file as it was); a new file is built under a
/// temporary name and renamed into place.
public struct PlanStore: Sendable {
    public let path: String
    let queue: DatabaseQueue

    /// A connection to a plan: concurrent writers (several `recall status` at once) wait for
    /// each other instead of failing, and the R-tree triggers' functions are defined.
    static var configuration: Configuration {
        var configuration = Configuration()
        configuration.busyMode = .timeout(30)
        configuration.prepareDatabase { db in GeoPackageRTree.addFunctions(db) }
        return configuration
    }

    /// Opens an existing plan, applying any newer migrations.
    public static func open(_ path: String) throws -> PlanStore {
        guard FileManager.default.fileExists(atPath: path) else {
            throw InputError(file: path, rule: "plan.missing", "no such plan file; create it with `gridplan import`")
        }
        do {
            let queue = try DatabaseQueue(path: path, configuration: Self.configuration)
            let applicationID = try queue.read { try Int.fetchOne($0, sql: "PRAGMA application_id") } ?? 0
            let hasTables =
                try queue.read { try Bool.fetchOne($0, sql: "SELECT count(*) > 0 FROM sqlite_master") } ?? false
            guard hasTables else {
                throw InputError(
                    file: path, rule: "plan.not-a-plan",
                    "is empty, not a plan; give the plan.gpkg (or folder) that `gridplan partition` or `gridplan "
                        + "import` wrote"
                )
            }
            guard applicationID == 1_196_444_487, try queue.read(hasPlanTables) else {
                throw InputError(
                    file: path, rule: "plan.not-a-plan",
                    "is an SQLite or GeoPackage file but not a GridPlan plan (no units or runs tables); give the "
                        + "plan.gpkg that `gridplan partition` or `gridplan import` wrote"
                )
            }
            // A plan records the migrations applied to it; without that record they would run again.
            guard try queue.read({ try $0.tableExists("grdb_migrations") }) else {
                throw InputError(
                    file: path, rule: "plan.corrupt",
                    "the plan has lost its table grdb_migrations (the record of its schema version); it was changed "
                        + "outside GridPlan. "
                        + "Restore a copy, or rebuild it with `gridplan partition`")
            }
            // A plan a newer GridPlan has written holds migrations this release does not know.
            let unknown = try queue.read { db in
                try PlanSchema.migrator.appliedIdentifiers(db).subtracting(PlanSchema.migrator.migrations).sorted()
            }
            guard unknown.isEmpty else {
                throw InputError(
                    file: path, rule: "plan.newer",
                    "was written by a newer GridPlan (its schema has \(unknown.joined(separator: ", ")), which this "
                        + "release does not know); "
                        + "open it with that release or a later one, or rebuild it with this one (`gridplan partition`)"
                )
            }
            do {
                try PlanSchema.migrator.migrate(queue)
            } catch let error as DatabaseError
                where error.resultCode != .SQLITE_FULL && error.resultCode != .SQLITE_BUSY
            {
                throw InputError(
                    file: path, rule: "plan.corrupt",
                    "the plan cannot be brought up to this release's schema (\(StorageFailure.describe(error))); it "
                        + "was changed outside GridPlan. "
                        + "Restore a copy, or rebuild it with `gridplan partition`")
            }
            try queue.read { try PlanIntegrity.check($0, path: path) }
            let store = PlanStore(path: path, queue: queue)
            // Lists of a command killed while moving them into place: finished when this plan
            // holds the command's run, removed when it does not.
            let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
            try OutputBatch.recover(folder: folder, plan: path) { token in
                try store.hasRun(outputsToken: token)
            }
            // And what dead processes left half-written beside the plan (a journal's own temporary file).
            OutputBatch.sweep(folder: folder)
            return store
        } catch let error as InputError {
            throw error
        } catch {
            throw InputError(
                file: path, rule: "plan.unreadable", "cannot open the plan: \(StorageFailure.describe(error))")
        }
    }

    /// A write transaction; SQLite failures name the plan file.
    func writing<T>(_ body: (Database) throws -> T) throws -> T {
        try StorageFailure.naming(path, rule: "plan.unwritable") { try queue.write(body) }
    }

    /// A read; SQLite failures name the plan file.
    func reading<T>(_ body: (Database) throws -> T) throws -> T {
        try StorageFailure.naming(path, rule: "plan.unreadable") { try queue.read(body) }
    }

    /// Builds a new plan at `path` with `body`, then moves it into place; on failure nothing
    /// at `path` changes.
    public static func create(_ path: String, _ body: (PlanStore) throws -> Void) throws {
        try AtomicFile.build(path, rule: "plan.unwritable") { temporary in try build(at: temporary, body) }
    }

    /// Builds a new plan at exactly `path` (a stage of an `OutputBatch`) with `body`.
    public static func build(at path: String, _ body: (PlanStore) throws -> Void) throws {
        let store = try beginBuilding(at: path)
        try store.filling(body)
        try store.finishBuilding()
    }

    /// Runs `body` on a plan that ``beginBuilding(at:)`` made; if it fails, the plan is
    /// abandoned (closed unsaved) and the error rethrown.
    public func filling(_ body: (PlanStore) throws -> Void) throws {
        do {
            try body(self)
        } catch {
            abandonBuilding()
            throw error
        }
    }

    /// A new plan at exactly `path` (a stage of an `OutputBatch`), with every migration applied,
    /// to be filled and then closed with ``finishBuilding()`` (or ``abandonBuilding()``): for a
    /// command that fills it in steps, around other work.
    public static func beginBuilding(at path: String) throws -> PlanStore {
        // A new plan is built at a stage path and renamed into place only once complete (see
        // OutputBatch), so it needs neither a rollback journal on disk nor a sync at every one of
        // its transactions (each migration is one): it is synced once, when it is done.
        var configuration = Self.configuration
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA journal_mode = MEMORY; PRAGMA synchronous = OFF")
        }
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        try PlanSchema.migrator.migrate(queue)
        return PlanStore(path: path, queue: queue)
    }

    /// Closes a plan that ``beginBuilding(at:)`` made without saving it (its stage is then removed).
    public func abandonBuilding() {
        try? queue.close()
    }

    /// Closes a plan that ``beginBuilding(at:)`` made and syncs it to disk.
    public func finishBuilding() throws {
        try queue.close()
        do {
            let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
            defer { try? handle.close() }
            try handle.synchronize()
        } catch {
            throw InputError(
                file: path, rule: "plan.unwritable", "could not be saved to disk (\(error.localizedDescription))")
        }
    }

    /// Whether `path` is a GridPlan plan (a GeoPackage with the plan's tables), not merely any file.
    public static func isPlan(_ path: String) -> Bool {
        // Only a regular file can be a plan (opening a FIFO to look would block).
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return false }
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        // The SQLite header and the GeoPackage application id ('GPKG' at offset 68).
        guard let header = try? handle.read(upToCount: 72), header.count == 72,
            header.prefix(15) == Data("SQLite format 3".utf8), header[68..<72] == Data("GPKG".utf8)
        else { return false }
        var configuration = Configuration()
        configuration.readonly = true
        guard let queue = try? DatabaseQueue(path: path, configuration: configuration) else { return false }
        return (try? queue.read(hasPlanTables)) == true
    }

    /// GridPlan's own tables, which a GeoPackage made by another tool (or by `export`) lacks.
    private static func hasPlanTables(_ db: Database) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT count(*) = 2 FROM sqlite_master WHERE name IN ('runs', 'units')") ?? false
    }

    /// How many grids the plan holds (without reading them).
    public func gridCount() throws -> Int {
        try reading { try Int.fetchOne($0, sql: "SELECT count(*) FROM grids") } ?? 0
    }

    /// Replaces the territory (units and buildings) in one transaction and records the run.
    public func replaceTerritory(units: [StoredUnit], buildings: [StoredBuilding], run: PlanRun) throws {
        let context = try GEOSContext()
        // Encode outside the transaction: a bad geometry fails before anything is written.
        let unitBlobs = try units.map { stored -> Data in
            let multi: Geometry = .multiPolygon(stored.unit.geometry.polygons)
            return try GeoPackageGeometry.encode(multi, context: context)
        }
        let buildingBlobs = try buildings.map { try GeoPackageGeometry.encode($0.building.geometry, context: context) }
        try writing { db in
            try GeoPackageRTree.rebuilding(["units", "buildings"], db: db) {
                try db.execute(sql: "DELETE FROM units")
                try db.execute(sql: "DELETE FROM buildings")
                let insertUnit = try db.makeStatement(
                    sql: """
                        INSERT INTO units (geom, code, name, kind, parent, households, population, urban, area_m2,
                            source_file, source_index)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """)
                for (stored, blob) in zip(units, unitBlobs) {
                    let u = stored.unit
                    try insertUnit.execute(arguments: [
                        blob, u.code, u.name, u.kind.rawValue, u.parent, u.households, u.population, u.urban,
                        stored.areaSquareMetres, stored.sourceFile, u.sourceIndex,
                    ])
                }
                let insertBuilding = try db.makeStatement(
                    sql: """
                        INSERT INTO buildings (geom, building_id, unit_code, households, population, levels, height,
                            footprint_m2, source_file, source_index)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """)
                for (stored, blob) in zip(buildings, buildingBlobs) {
                    let b = stored.building
                    try insertBuilding.execute(arguments: [
                        blob, b.id, stored.unitCode, b.households, b.population, b.levels, b.height,
                        stored.footprintSquareMetres, stored.sourceFile, b.sourceIndex,
                    ])
                }
                try Self.updateExtent(db, table: "units", boxes: units.compactMap(\.unit.geometry.boundingBox))
                try Self.updateExtent(
                    db, table: "buildings", boxes: buildings.compactMap(\.building.geometry.boundingBox))
                try Self.record(run, db)
            }
        }
    }

    /// Replaces grids and micro-grids in one transaction and records the run.
    public func replacePartition(
        grids: [Grid], microGrids: [MicroGrid], sequences: [String: Int] = [:], run: PlanRun
    ) throws {
        let context = try GEOSContext()
        let gridBlobs = try grids.map {
            try GeoPackageGeometry.encode(.multiPolygon($0.geometry.polygons), context: context)
        }
        let microBlobs = try microGrids.map {
            try GeoPackageGeometry.encode(.multiPolygon($0.geometry.polygons), context: context)
        }
        try writing { db in
            try GeoPackageRTree.rebuilding(["grids", "microgrids"], db: db) {
                try db.execute(sql: "DELETE FROM grids")
                try db.execute(sql: "DELETE FROM microgrids")
                let insertGrid = try db.makeStatement(
                    sql: """
                        INSERT INTO grids (geom, code, unit_code, kind, households, population, area_m2, compactness,
                            band, violations, notes, buildings)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """)
                for (g, blob) in zip(grids, gridBlobs) {
                    try insertGrid.execute(arguments: [
                        blob, g.code, g.unitCode, g.kind.rawValue, g.households, g.population, g.areaSquareMetres,
                        g.compactness,
                        g.band.rawValue, Self.jsonList(g.violations), Self.jsonList(g.notes), g.buildings,
                    ])
                }
                let insertMicro = try db.makeStatement(
                    sql: """
                        INSERT INTO microgrids (geom, code, grid_code, households, population, area_m2, band, buildings)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        """)
                for (m, blob) in zip(microGrids, microBlobs) {
                    try insertMicro.execute(arguments: [
                        blob, m.code, m.gridCode, m.households, m.population, m.areaSquareMetres, m.band.rawValue,
                        m.buildings,
                    ])
                }
                for unit in sequences.keys.sorted() {
                    try db.execute(
                        sql:
                            "INSERT INTO code_sequences VALUES (?, ?) ON CONFLICT(unit_code) DO UPDATE SET "
                            + "last_sequence = max(last_sequence, excluded.last_sequence)",
                        arguments: [unit, sequences[unit]!])
                }
                try Self.updateExtent(db, table: "grids", boxes: grids.compactMap(\.geometry.boundingBox))
                try Self.updateExtent(db, table: "microgrids", boxes: microGrids.compactMap(\.geometry.boundingBox))
                try Self.record(run, db)
            }
        }
    }

    /// The plan's grids with their geometry, for keeping codes stable in a re-division.
    public func previousGrids() throws -> [PreviousGrid] {
        let context = try GEOSContext()
        return try reading { db in
            try Row.fetchAll(db, sql: "SELECT code, unit_code, geom FROM grids ORDER BY code").map { row in
                let blob: Data = row["geom"]
                return PreviousGrid(
                    code: row["code"], unitCode: row["unit_code"],
                    geometry: try GeoPackageGeometry.decode(blob, context: context).geometry)
            }
        }
    }

    /// The plan's grids, in code order.
    public func grids() throws -> [Grid] {
        let context = try GEOSContext()
        return try reading { db in
            try Row.fetchAll(db, sql: "SELECT * FROM grids ORDER BY code").map { row in
                let blob: Data = row["geom"]
                let code: String = row["code"]
                func corrupt(_ what: String) -> InputError { Self.corrupt(path, "grid \(code)", what) }
                let kindText: String = row["kind"], bandText: String = row["band"]
                guard let kind = GridKind(rawValue: kindText) else { throw corrupt("unknown kind \"\(kindText)\"") }
                guard let band = Band(rawValue: bandText) else { throw corrupt("unknown band \"\(bandText)\"") }
                guard let violations = Self.list(row["violations"]) else {
                    throw corrupt("violations that are not a JSON list of strings")
                }
                guard let notes = Self.list(row["notes"]) else {
                    throw corrupt("notes that are not a JSON list of strings")
                }
                return Grid(
                    code: code, unitCode: row["unit_code"], kind: kind,
                    households: row["households"], population: row["population"],
                    geometry: try GeoPackageGeometry.decode(blob, context: context).geometry,
                    areaSquareMetres: row["area_m2"],
                    compactness: row["compactness"], band: band, violations: violations, notes: notes,
                    buildings: row["buildings"])
            }
        }
    }

    /// A row of the plan that GridPlan could not have written.
    static func corrupt(_ path: String, _ row: String, _ what: String) -> InputError {
        InputError(
            file: path, rule: "plan.corrupt",
            "\(row) has \(what); it was changed outside GridPlan. Rebuild it with `gridplan partition`")
    }

    /// A list of strings as stored in the plan: a JSON array.
    static func jsonList(_ items: [String]) -> String {
        var text = JSONText()
        text.value(.array(items.map { .string($0) }))
        return String(decoding: text.bytes, as: UTF8.self)
    }

    /// A stored JSON array of strings, or nil when the text is not one.
    static func list(_ text: String?) -> [String]? {
        guard let text else { return nil }
        return try? JSONDecoder().decode([String].self, from: Data(text.utf8))
    }

    /// The plan's micro-grids, in code order.
    public func microGrids() throws -> [MicroGrid] {
        let context = try GEOSContext()
        return try reading { db in
            try Row.fetchAll(db, sql: "SELECT * FROM microgrids ORDER BY code").map { row in
                let blob: Data = row["geom"]
                let bandText: String = row["band"]
                guard let band = Band(rawValue: bandText) else {
                    throw Self.corrupt(path, "micro-grid \(row["code"] as String)", "unknown band \"\(bandText)\"")
                }
                return MicroGrid(
                    code: row["code"], gridCode: row["grid_code"], households: row["households"],
                    population: row["population"],
                    geometry: try GeoPackageGeometry.decode(blob, context: context).geometry,
                    areaSquareMetres: row["area_m2"],
                    band: band, buildings: row["buildings"])
            }
        }
    }

    /// The highest grid sequence issued per unit.
    public func codeSequences() throws -> [String: Int] {
        try reading { db in
            Dictionary(
                uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT unit_code, last_sequence FROM code_sequences")
                    .map {
                        ($0["unit_code"] as String, $0["last_sequence"] as Int)
                    })
        }
    }

    /// A stored feature table (staffing, testing or recall layer) as an export layer, its
    /// columns read by type.
    func storedLayer(
        _ name: String, description: String, geometryType: String,
        columns: [(name: String, type: ExportLayer.ColumnType)]
    ) throws -> ExportLayer {
        let context = try GEOSContext()
        return try reading { db in
            let features = try Row.fetchAll(db, sql: "SELECT * FROM \(GeoPackageRTree.quoted(name)) ORDER BY fid").map {
                row in
                let blob: Data = row["geom"]
                let properties: Properties = columns.map { column in
                    switch column.type {
                    case .integer: (column.name, PropertyValue.number(Double(row[column.name] as Int? ?? 0)))
                    case .real: (column.name, PropertyValue.number(row[column.name] as Double? ?? 0))
                    case .text: (column.name, PropertyValue.string(row[column.name] as String? ?? ""))
                    }
                }
                return GeoJSONFeature(
                    properties: properties, geometry: try GeoPackageGeometry.decode(blob, context: context).geometry)
            }
            return ExportLayer(
                name: name, description: description, geometryType: geometryType, columns: columns, features: features)
        }
    }

    static func updateExtent(_ db: Database, table: String, boxes: [BoundingBox]) throws {
        let box = BoundingBox.union(boxes)
        try db.execute(
            sql: """
                UPDATE gpkg_contents SET min_x = ?, min_y = ?, max_x = ?, max_y = ?,
                  last_change = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE table_name = ?
                """, arguments: [box?.minX, box?.minY, box?.maxX, box?.maxY, table])
    }

    static func record(_ run: PlanRun, _ db: Database) throws {
        let formatter = ISO8601DateFormatter()
        try db.execute(
            sql:
                "INSERT INTO runs (command, arguments, inputs, gridplan_version, started_at, summary, outputs_token) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?)",
            arguments: [
                run.command, run.arguments.joined(separator: " "), run.inputs.joined(separator: "\n"),
                GridPlanVersion.current,
                formatter.string(from: run.startedAt), run.summary, run.outputsToken,
            ])
    }

    /// Whether a run stored the token of an output batch (its plan change was committed).
    public func hasRun(outputsToken token: String) throws -> Bool {
        try reading {
            try Bool.fetchOne($0, sql: "SELECT count(*) > 0 FROM runs WHERE outputs_token = ?", arguments: [token])
        } ?? false
    }

    public func units() throws -> [StoredUnit] {
        let context = try GEOSContext()
        return try reading { db in
            try Row.fetchAll(db, sql: "SELECT * FROM units ORDER BY fid").map { row in
                let blob: Data = row["geom"]
                let geometry = try GeoPackageGeometry.decode(blob, context: context).geometry
                let kindText: String = row["kind"]
                guard let kind = UnitKind(rawValue: kindText) else {
                    throw InputError(
                        file: path, rule: "plan.corrupt", "unit \(row["code"] as String) has unknown kind \(kindText)")
                }
                let unit = TerritorialUnit(
                    code: row["code"], name: row["name"], kind: kind, parent: row["parent"],
                    households: row["households"],
                    population: row["population"], urban: row["urban"], geometry: geometry,
                    sourceIndex: row["source_index"])
                return StoredUnit(unit: unit, areaSquareMetres: row["area_m2"], sourceFile: row["source_file"])
            }
        }
    }

    public func buildings() throws -> [StoredBuilding] {
        let context = try GEOSContext()
        return try reading { db in
            try Row.fetchAll(db, sql: "SELECT * FROM buildings ORDER BY fid").map { row in
                let blob: Data = row["geom"]
                let geometry = try GeoPackageGeometry.decode(blob, context: context).geometry
                let building = Building(
                    id: row["building_id"], geometry: geometry, households: row["households"],
                    population: row["population"],
                    levels: row["levels"], height: row["height"], sourceIndex: row["source_index"])
                return StoredBuilding(
                    building: building, unitCode: row["unit_code"], footprintSquareMetres: row["footprint_m2"],
                    sourceFile: row["source_file"])
            }
        }
    }

    /// The run history, oldest first.
    public func runs() throws -> [(command: String, summary: String)] {
        try reading { db in
            try Row.fetchAll(db, sql: "SELECT command, summary FROM runs ORDER BY id").map {
                ($0["command"], $0["summary"])
            }
        }
    }
}

/// The version written into every plan's run history.
public enum GridPlanVersion {
    public static let current = "0.1.0"
}
