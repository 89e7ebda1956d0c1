import GRDB

/// The plan file's schema, applied by migrations in order. The file is an OGC GeoPackage
/// 1.3 (application_id "GPKG"), so QGIS and GDAL open it as a map; GridPlan's own tables
/// are GeoPackage feature tables registered in gpkg_contents.
enum PlanSchema {
    /// WGS 84 (EPSG:4326) in OGC WKT 1, as GeoPackage requires for srs_id 4326.
    static let wgs84WKT =
        #"GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],"#
        + #"AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],"#
        + #"UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],"#
        + #"AUTHORITY["EPSG","4326"]]"#

    /// Descriptions of the staffing layers, as the migration registered them (for exports).
    static let staffingLayers: [(table: String, geometryType: String, description: String)] = [
        ("staff", "POINT", "People of the last staffing run, at home, with their posts"),
        ("assignments", "POINT", "Posts of the last staffing run: one row per person and post, at the person's home"),
    ]

    /// Registers feature tables (geometry column `geom`, EPSG:4326) in gpkg_contents and
    /// gpkg_geometry_columns.
    private static func register(
        _ tables: [(table: String, geometryType: String, description: String)], _ db: Database
    ) throws {
        for layer in tables {
            try db.execute(
                sql:
                    "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id) VALUES (?, "
                    + "'features', ?, ?, 4326)",
                arguments: [layer.table, layer.table, layer.description])
            try db.execute(
                sql: "INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', ?, 4326, 0, 0)",
                arguments: [layer.table, layer.geometryType])
        }
    }

    /// The GeoPackage core: application id and version, the SRS table (with WGS84) and the
    /// contents and geometry-column tables.
    static func createCore(_ db: Database) throws {
        try db.execute(sql: "PRAGMA application_id = 1196444487")  // 0x47504B47 "GPKG"
        try db.execute(sql: "PRAGMA user_version = 10300")  // GeoPackage 1.3.0
        try db.execute(
            sql: """
                CREATE TABLE gpkg_spatial_ref_sys (
                  srs_name TEXT NOT NULL, srs_id INTEGER NOT NULL PRIMARY KEY, organization TEXT NOT NULL,
                  organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
                CREATE TABLE gpkg_contents (
                  table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
                  description TEXT DEFAULT '', last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
                  min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
                  CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
                CREATE TABLE gpkg_geometry_columns (
                  table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
                  srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
                  CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
                  CONSTRAINT uk_gc_table_name UNIQUE (table_name),
                  CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
                  CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
                """)
        try db.execute(
            sql: """
                INSERT INTO gpkg_spatial_ref_sys VALUES
                  ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system'),
                  ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system'),
                  ('WGS 84 geodetic', 4326, 'EPSG', 4326, ?, 'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid')
                """, arguments: [wgs84WKT])
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("1-geopackage-core") { db in
            try createCore(db)
        }
        migrator.registerMigration("2-territory") { db in
            try db.execute(
                sql: """
                    CREATE TABLE units (
                      fid INTEGER PRIMARY KEY AUTOINCREMENT, geom MULTIPOLYGON NOT NULL,
                      code TEXT NOT NULL UNIQUE, name TEXT NOT NULL, kind TEXT NOT NULL, parent TEXT,
                      households INTEGER, population INTEGER, urban BOOLEAN NOT NULL, area_m2 REAL NOT NULL,
                      source_file TEXT NOT NULL, source_index INTEGER NOT NULL);
                    CREATE INDEX units_parent ON units(parent);
                    CREATE TABLE buildings (
                      fid INTEGER PRIMARY KEY AUTOINCREMENT, geom GEOMETRY NOT NULL,
                      building_id TEXT NOT NULL, unit_code TEXT, households INTEGER, population INTEGER,
                      levels REAL, height REAL, footprint_m2 REAL, source_file TEXT NOT NULL, source_index INTEGER NOT NULL);
                    CREATE INDEX buildings_unit ON buildings(unit_code);
                    CREATE TABLE runs (
                      id INTEGER PRIMARY KEY AUTOINCREMENT, command TEXT NOT NULL, arguments TEXT NOT NULL,
                      inputs TEXT NOT NULL, gridplan_version TEXT NOT NULL, started_at TEXT NOT NULL, summary TEXT NOT NULL);
                    """)
            try db.execute(
                sql:
                    "INSERT INTO gpkg_contents (table_name, data_type, identifier, description) VALUES ('runs', "
                    + "'attributes', 'runs', 'History of the commands run on this plan')"
            )
            try register(
                [
                    (
                        "units", "MULTIPOLYGON",
                        "Territorial units: villages, communities, compounds, parks, towns, counties"
                    ),
                    ("buildings", "GEOMETRY", "Buildings (points or footprints) with households and population"),
                ], db)
        }
        migrator.registerMigration("3-partition") { db in
            try db.execute(
                sql: """
                    CREATE TABLE grids (
                      fid INTEGER PRIMARY KEY AUTOINCREMENT, geom MULTIPOLYGON NOT NULL,
                      code TEXT NOT NULL UNIQUE, unit_code TEXT NOT NULL, kind TEXT NOT NULL,
                      households INTEGER NOT NULL, population INTEGER NOT NULL, area_m2 REAL NOT NULL,
                      compactness REAL NOT NULL, band TEXT NOT NULL, violations TEXT NOT NULL, notes TEXT NOT NULL,
                      buildings INTEGER);
                    CREATE INDEX grids_unit ON grids(unit_code);
                    CREATE TABLE microgrids (
                      fid INTEGER PRIMARY KEY AUTOINCREMENT, geom MULTIPOLYGON NOT NULL,
                      code TEXT NOT NULL UNIQUE, grid_code TEXT NOT NULL, households INTEGER NOT NULL,
                      population INTEGER NOT NULL, area_m2 REAL NOT NULL, band TEXT NOT NULL, buildings INTEGER);
                    CREATE INDEX microgrids_grid ON microgrids(grid_code);
                    """)
            try register(
                [
                    ("grids", "MULTIPOLYGON", "Grids (网格): comprehensive, dedicated and maritime"),
                    ("microgrids", "MULTIPOLYGON", "Micro-grids (微网格)"),
                ], db)
        }
        migrator.registerMigration("4-code-sequence") { db in
            // The highest grid sequence ever issued per unit, carried from plan to plan, so a
            // retired code is never given to another grid.
            try db.execute(
                sql: "CREATE TABLE code_sequences (unit_code TEXT NOT NULL PRIMARY KEY, last_sequence INTEGER NOT NULL)"
            )
            try db.execute(
                sql:
                    "INSERT INTO gpkg_contents (table_name, data_type, identifier, description) VALUES "
                    + "('code_sequences', 'attributes', 'code_sequences', 'Highest grid sequence issued per unit')"
            )
        }
        migrator.registerMigration("5-staffing") { db in
            // The last `gridplan staff` result: the people (points at home), one row per post
            // (point at the person's home), and the vacancies.
            try db.execute(
                sql: """
                    CREATE TABLE staff (
                      fid INTEGER PRIMARY KEY AUTOINCREMENT, geom POINT NOT NULL, person_id TEXT NOT NULL UNIQUE, name TEXT NOT NULL,
                      role TEXT NOT NULL, phone TEXT NOT NULL, skills TEXT NOT NULL, max_grids INTEGER NOT NULL, available INTEGER NOT NULL,
                      posts INTEGER NOT NULL, grid_codes TEXT NOT NULL);
                    CREATE TABLE assignments (
                      fid INTEGER PRIMARY KEY AUTOINCREMENT, geom POINT NOT NULL, person_id TEXT NOT NULL, name TEXT NOT NULL,
                      person_role TEXT NOT NULL, slot_role TEXT NOT NULL, slot_role_zh TEXT NOT NULL, grid_code TEXT NOT NULL,
                      microgrid_code TEXT NOT NULL, unit_code TEXT NOT NULL, distance_m INTEGER NOT NULL, phone TEXT NOT NULL, kept TEXT NOT NULL);
                    CREATE INDEX assignments_grid ON assignments(grid_code);
                    CREATE TABLE vacancies (
                      id INTEGER PRIMARY KEY AUTOINCREMENT, grid_code TEXT NOT NULL, unit_code TEXT NOT NULL, role TEXT NOT NULL,
                      role_zh TEXT NOT NULL, vacancies INTEGER NOT NULL, nearest_available TEXT NOT NULL);
                    """)
            try register(
                [
                    ("staff", "POINT", "People of the last staffing run, at home, with their posts"),
                    (
                        "assignments", "POINT",
                        "Posts of the last staffing run: one row per person and post, at the person's home"
                    ),
                ], db)
            try db.execute(
                sql:
                    "INSERT INTO gpkg_contents (table_name, data_type, identifier, description) VALUES ('vacancies', "
                    + "'attributes', 'vacancies', 'Unfilled posts with the nearest people who could fill them')"
            )
        }
        migrator.registerMigration("6-rtree") { db in
            // Spatial indexes, so QGIS draws a city's micro-grids without scanning them all. The
            // staffing point layers are left out (see replaceStaffing); exports index them.
            for table in ["units", "buildings", "grids", "microgrids"] {
                try GeoPackageRTree.create(table: table, db: db)
            }
        }
        migrator.registerMigration("7-testing") { db in
            // The last `gridplan testing` round: its sites (points, indexed) and the slot of each micro-grid.
            try db.execute(
                sql: """
                    CREATE TABLE sites (fid INTEGER PRIMARY KEY AUTOINCREMENT, geom POINT NOT NULL, "site_id" TEXT, "name" TEXT,
                      "county_code" TEXT, "town_code" TEXT, "town_name" TEXT, "given" TEXT, "tables_open" INTEGER,
                      "tables_available" INTEGER, "people" INTEGER, "capacity" INTEGER, "microgrids" INTEGER,
                      "people_per_hour" INTEGER, "first_slot" TEXT, "queue_closes" TEXT, "samplers_needed" INTEGER,
                      "samplers_placed" INTEGER, "registrars" INTEGER, "marshals" INTEGER, "door_to_door_teams" INTEGER,
                      "helpers_placed" INTEGER, "tubes" INTEGER, "mean_walk_m" INTEGER, "max_walk_m" INTEGER,
                      "generated_at" TEXT, "plan" TEXT)
                    """)
            try db.execute(
                sql: """
                    CREATE TABLE testing_slots (
                      id INTEGER PRIMARY KEY AUTOINCREMENT, microgrid_code TEXT NOT NULL, part TEXT NOT NULL, people INTEGER NOT NULL,
                      site_id TEXT NOT NULL, walk_m INTEGER, slot_start TEXT NOT NULL, slot_end TEXT NOT NULL);
                    CREATE INDEX testing_slots_site ON testing_slots(site_id);
                    """)
            try register(
                [
                    (
                        "sites", "POINT",
                        "Sampling sites of the last testing round, with load, tables, people and queue times"
                    )
                ], db)
            try db.execute(
                sql:
                    "INSERT INTO gpkg_contents (table_name, data_type, identifier, description) VALUES "
                    + "('testing_slots', 'attributes', 'testing_slots', 'Micro-grid → sampling site and slot of "
                    + "the last testing round')"
            )
            try GeoPackageRTree.create(table: "sites", db: db)
        }
        migrator.registerMigration("8-recall") { db in
            // The last `gridplan recall`: vessels, shelter ports and routes (indexed), and the
            // status events recorded since (append-only; a new recall clears them).
            try db.execute(
                sql: """
                    CREATE TABLE vessels (fid INTEGER PRIMARY KEY AUTOINCREMENT, geom POINT NOT NULL, "rank" INTEGER, "vessel_id" TEXT,
                      "name" TEXT, "status" TEXT, "status_zh" TEXT, "owner" TEXT, "phone" TEXT, "crew" INTEGER, "power_hp" REAL,
                      "small_boat" TEXT, "county_code" TEXT, "town_code" TEXT, "town_name" TEXT, "unit_code" TEXT, "unit_name" TEXT,
                      "grid_code" TEXT, "responsible_id" TEXT, "responsible_name" TEXT, "responsible_role" TEXT,
                      "responsible_phone" TEXT, "fix_time" TEXT, "speed_kn" REAL, "port_id" TEXT, "port_name" TEXT, "sea_km" REAL,
                      "approach_km" REAL, "eta" TEXT, "latest_departure" TEXT, "in_port_by" TEXT, "gale_at_position" TEXT,
                      "notes" TEXT, "generated_at" TEXT, "plan" TEXT);
                    CREATE TABLE ports (fid INTEGER PRIMARY KEY AUTOINCREMENT, geom POINT NOT NULL, "port_id" TEXT, "name" TEXT,
                      "berths" INTEGER, "already_in" INTEGER, "assigned" INTEGER, "free_berths" INTEGER,
                      "small_boats_landing" INTEGER, "generated_at" TEXT, "plan" TEXT);
                    CREATE TABLE routes (fid INTEGER PRIMARY KEY AUTOINCREMENT, geom LINESTRING NOT NULL, "vessel_id" TEXT,
                      "status" TEXT, "port_id" TEXT, "sea_km" REAL, "approach_km" REAL);
                    """)
            try register(
                [
                    (
                        "vessels", "POINT",
                        "Fishing vessels of the last recall: status, responsible person, shelter port, latest departure"
                    ),
                    ("ports", "POINT", "Shelter ports of the last recall with berths taken and free"),
                    ("routes", "LINESTRING", "Routes by sea of the last recall, vessel to shelter port"),
                ], db)
            for table in ["vessels", "ports", "routes"] { try GeoPackageRTree.create(table: table, db: db) }
            try db.execute(
                sql: """
                    CREATE TABLE recall_events (
                      id INTEGER PRIMARY KEY AUTOINCREMENT, vessel_id TEXT NOT NULL, event TEXT NOT NULL, port_id TEXT,
                      time TEXT NOT NULL, note TEXT NOT NULL, recorded_at TEXT NOT NULL);
                    CREATE INDEX recall_events_vessel ON recall_events(vessel_id);
                    """)
            try db.execute(
                sql:
                    "INSERT INTO gpkg_contents (table_name, data_type, identifier, description) VALUES "
                    + "('recall_events', 'attributes', 'recall_events', 'Confirmations and arrivals recorded by "
                    + "gridplan recall status')"
            )
        }
        migrator.registerMigration("9-run-outputs-token") { db in
            // The token of the files a run wrote together with its plan change (OutputBatch):
            // an interrupted command's files are kept only if the plan holds its run.
            try db.execute(sql: "ALTER TABLE runs ADD COLUMN outputs_token TEXT")
        }
        migrator.registerMigration("10-grid-lists-as-json") { db in
            // A grid's violations (joined by ",") and notes (joined by "; ", which a note may
            // itself contain) become JSON arrays of strings, encoded by SQLite's json_array.
            let rows = try Row.fetchAll(db, sql: "SELECT fid, violations, notes FROM grids")
            for row in rows {
                let violations = (row["violations"] as String? ?? "").split(separator: ",").map(String.init)
                let notes = (row["notes"] as String? ?? "").components(separatedBy: "; ").filter { !$0.isEmpty }
                func array(_ items: [String]) throws -> String {
                    let marks = Array(repeating: "?", count: items.count).joined(separator: ", ")
                    return try String.fetchOne(
                        db, sql: "SELECT json_array(\(marks))", arguments: StatementArguments(items)) ?? "[]"
                }
                try db.execute(
                    sql: "UPDATE grids SET violations = ?, notes = ? WHERE fid = ?",
                    arguments: [try array(violations), try array(notes), row["fid"] as Int64])
            }
        }
        migrator.registerMigration("11-serve") { db in
            // `gridplan serve`: the tokens it accepts (SHA-256 only), who reported each recall
            // event and the key a phone sent with it (a retry is recorded once), and the audit
            // of every refused request.
            try db.execute(
                sql: """
                    CREATE TABLE access_tokens (
                      id INTEGER PRIMARY KEY AUTOINCREMENT, token_id TEXT NOT NULL UNIQUE,
                      token_sha256 TEXT NOT NULL UNIQUE, person_id TEXT, name TEXT NOT NULL, role TEXT NOT NULL,
                      scope TEXT NOT NULL, issued_at TEXT NOT NULL, expires_at TEXT NOT NULL, revoked_at TEXT);
                    ALTER TABLE recall_events ADD COLUMN reported_by TEXT;
                    ALTER TABLE recall_events ADD COLUMN idempotency_key TEXT;
                    CREATE UNIQUE INDEX recall_events_idempotency ON recall_events(idempotency_key);
                    CREATE TABLE audit_log (
                      id INTEGER PRIMARY KEY AUTOINCREMENT, time TEXT NOT NULL, token_id TEXT, method TEXT NOT NULL,
                      path TEXT NOT NULL, status INTEGER NOT NULL, message TEXT NOT NULL);
                    """)
        }
        migrator.registerMigration("12-testing-reports") { db in
            // `gridplan serve` and `gridplan testing status`: counts of the testing round per
            // micro-grid as running totals (NULL: not given in that report), with who sent them
            // and the key a phone sent (a retry is recorded once).
            try db.execute(
                sql: """
                    CREATE TABLE testing_reports (
                      id INTEGER PRIMARY KEY AUTOINCREMENT, microgrid_code TEXT NOT NULL, sampled INTEGER,
                      absent INTEGER, retest INTEGER, time TEXT NOT NULL, note TEXT NOT NULL, recorded_at TEXT NOT NULL,
                      reported_by TEXT, idempotency_key TEXT);
                    CREATE UNIQUE INDEX testing_reports_idempotency ON testing_reports(idempotency_key);
                    CREATE INDEX testing_reports_microgrid ON testing_reports(microgrid_code);
                    """)
        }
        migrator.registerMigration("13-testing-slots-by-microgrid") { db in
            // The live server looks up one micro-grid's slots on every count report.
            try db.execute(sql: "CREATE INDEX testing_slots_microgrid ON testing_slots(microgrid_code)")
        }
        return migrator
    }
}
