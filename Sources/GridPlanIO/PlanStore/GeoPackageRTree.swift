import Foundation
import GRDB
import GridPlanGeometry
import GridPlanGeometryValues
import GridPlanModel

/// The GeoPackage R-tree spatial index extension (spec §F.3): a virtual table per feature
/// table, kept in step by triggers that call ST_IsEmpty and ST_MinX…ST_MaxY. GDAL and QGIS
/// define those functions for edits made there, and GridPlan on its own connections
/// (``addFunctions(_:)``); GridPlan's bulk replacements drop the triggers and refill the index
/// from the blobs' envelopes (``rebuilding``).
enum GeoPackageRTree {
    /// Defines the SQL functions the triggers call (GeoPackage spec §F.3), from the blobs' envelopes.
    static func addFunctions(_ db: Database) {
        db.add(
            function: DatabaseFunction("ST_IsEmpty", argumentCount: 1, pure: true) { values in
                guard let blob = Data.fromDatabaseValue(values[0]) else { return 1 }
                return envelope(blob) == nil ? 1 : 0
            })
        for (name, side) in [("ST_MinX", 0), ("ST_MaxX", 1), ("ST_MinY", 2), ("ST_MaxY", 3)] {
            db.add(
                function: DatabaseFunction(name, argumentCount: 1, pure: true) { values in
                    guard let blob = Data.fromDatabaseValue(values[0]), let box = envelope(blob) else { return nil }
                    return [box.minX, box.maxX, box.minY, box.maxY][side]
                })
        }
    }

    /// The xy envelope of a GeoPackage geometry blob: from its header when it carries one,
    /// else from the geometry; nil when empty or unreadable.
    static func envelope(_ blob: Data) -> BoundingBox? {
        let bytes = [UInt8](blob.prefix(40))
        guard bytes.count >= 8, bytes[0] == 0x47, bytes[1] == 0x50 else { return nil }
        let flags = bytes[3]
        if flags & 0x10 != 0 { return nil }  // empty geometry
        let kind = (flags >> 1) & 0x07
        if (1...4).contains(kind), bytes.count >= 40 {
            let littleEndian = flags & 1 == 1
            func double(_ k: Int) -> Double {
                var raw: UInt64 = 0
                for i in 0..<8 { raw |= UInt64(bytes[8 + 8 * k + i]) << (littleEndian ? 8 * i : 8 * (7 - i)) }
                return Double(bitPattern: raw)
            }
            return BoundingBox(minX: double(0), minY: double(2), maxX: double(1), maxY: double(3))
        }
        guard let context = try? GEOSContext(), let decoded = try? GeoPackageGeometry.decode(blob, context: context)
        else { return nil }
        return decoded.geometry.boundingBox
    }

    /// Creates the index of `table` (geometry column `geom`, key `fid`), fills it from the rows
    /// already there, adds the triggers and registers the extension.
    static func create(table: String, db: Database) throws {
        let r = quoted("rtree_\(table)_geom")
        try db.execute(
            sql: """
                CREATE TABLE IF NOT EXISTS gpkg_extensions (
                  table_name TEXT, column_name TEXT, extension_name TEXT NOT NULL, definition TEXT NOT NULL, scope TEXT NOT NULL,
                  CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name));
                CREATE VIRTUAL TABLE \(r) USING rtree(id, minx, maxx, miny, maxy);
                """)
        try fill(table: table, db: db)
        try db.execute(
            sql:
                "INSERT INTO gpkg_extensions VALUES (?, 'geom', 'gpkg_rtree_index', "
                + "'http://www.geopackage.org/spec120/#extension_rtree', 'write-only')",
            arguments: [table])
        try db.execute(sql: triggers(table: table))
    }

    /// Runs a bulk replacement of `tables` with their triggers dropped, then refills their
    /// indexes in one pass and puts the triggers back, instead of a trigger per row.
    static func rebuilding(_ tables: [String], db: Database, _ body: () throws -> Void) throws {
        for table in tables {
            for suffix in ["insert", "update1", "update2", "update3", "update4", "delete"] {
                try db.execute(sql: "DROP TRIGGER IF EXISTS \(quoted("rtree_\(table)_geom_\(suffix)"))")
            }
        }
        try body()
        for table in tables {
            try db.execute(sql: "DELETE FROM \(quoted("rtree_\(table)_geom"))")
            try fill(table: table, db: db)
            try db.execute(sql: triggers(table: table))
        }
    }

    /// Adds every row's envelope to the (empty) index of `table`, in Z-order of the envelopes'
    /// centres: neighbours in space go in one after another, so the R-tree's pages stay in
    /// SQLite's cache (in row order, 303,234 building footprints missed it page after page).
    static func fill(table: String, db: Database) throws {
        var entries: [(fid: Int64, box: BoundingBox)] = []
        let rows = try Row.fetchCursor(db, sql: "SELECT fid, geom FROM \(quoted(table)) WHERE geom NOT NULL")
        while let row = try rows.next() {
            guard let blob = row["geom"] as Data?, let e = envelope(blob) else { continue }
            entries.append((row["fid"] as Int64, e))
        }
        guard var extent = entries.first?.box else { return }
        for e in entries { extent.extend(e.box) }
        let keys = entries.map { zOrder($0.box.center, in: extent) }
        let insert = try db.makeStatement(sql: "INSERT INTO \(quoted("rtree_\(table)_geom")) VALUES (?, ?, ?, ?, ?)")
        for i in entries.indices.sorted(by: { (keys[$0], entries[$0].fid) < (keys[$1], entries[$1].fid) }) {
            let (fid, e) = entries[i]
            try insert.execute(arguments: [fid, e.minX, e.maxX, e.minY, e.maxY])
        }
    }

    /// The Morton (Z-order) code of `p` on a 65,536 × 65,536 grid over `extent`.
    static func zOrder(_ p: Position, in extent: BoundingBox) -> UInt64 {
        func cell(_ v: Double, _ low: Double, _ high: Double) -> UInt64 {
            high > low ? UInt64(max(0, min(65_535, ((v - low) / (high - low) * 65_535).rounded()))) : 0
        }
        func spread(_ v: UInt64) -> UInt64 {
            var x = v & 0xFFFF
            x = (x | (x << 8)) & 0x00FF_00FF
            x = (x | (x << 4)) & 0x0F0F_0F0F
            x = (x | (x << 2)) & 0x3333_3333
            x = (x | (x << 1)) & 0x5555_5555
            return x
        }
        return spread(cell(p.x, extent.minX, extent.maxX)) | spread(cell(p.y, extent.minY, extent.maxY)) << 1
    }

    /// The spec's six triggers for `table`.
    static func triggers(table: String) -> String {
        let r = quoted("rtree_\(table)_geom"), q = quoted(table)
        let values = "(NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom))"
        func name(_ suffix: String) -> String { quoted("rtree_\(table)_geom_\(suffix)") }
        return """
            CREATE TRIGGER \(name("insert")) AFTER INSERT ON \(q) WHEN (new.geom NOT NULL AND NOT ST_IsEmpty(NEW.geom))
            BEGIN INSERT OR REPLACE INTO \(r) VALUES \(values); END;
            CREATE TRIGGER \(name("update1")) AFTER UPDATE OF geom ON \(q)
            WHEN OLD.fid = NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom))
            BEGIN INSERT OR REPLACE INTO \(r) VALUES \(values); END;
            CREATE TRIGGER \(name("update2")) AFTER UPDATE OF geom ON \(q)
            WHEN OLD.fid = NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom))
            BEGIN DELETE FROM \(r) WHERE id = OLD.fid; END;
            CREATE TRIGGER \(name("update3")) AFTER UPDATE ON \(q)
            WHEN OLD.fid != NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom))
            BEGIN DELETE FROM \(r) WHERE id = OLD.fid; INSERT OR REPLACE INTO \(r) VALUES \(values); END;
            CREATE TRIGGER \(name("update4")) AFTER UPDATE ON \(q)
            WHEN OLD.fid != NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom))
            BEGIN DELETE FROM \(r) WHERE id IN (OLD.fid, NEW.fid); END;
            CREATE TRIGGER \(name("delete")) AFTER DELETE ON \(q) WHEN old.geom NOT NULL
            BEGIN DELETE FROM \(r) WHERE id = OLD.fid; END;
            """
    }

    static func quoted(_ name: String) -> String { "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
}
