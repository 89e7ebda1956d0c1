import Foundation
import GRDB
import GridPlanGeometry
import GridPlanGeometryValues
import GridPlanModel

/// A layer to export: features with the same property names, in one CRS.
public struct ExportLayer: Sendable {
    public enum ColumnType: String, Sendable {
        case text = "TEXT"
        case integer = "INTEGER"
        case real = "REAL"
    }

    public var name: String
    public var description: String
    /// GeoPackage geometry type name: MULTIPOLYGON, POINT, GEOMETRY.
    public var geometryType: String
    public var columns: [(name: String, type: ColumnType)]
    public var features: [GeoJSONFeature]

    public init(
        name: String, description: String, geometryType: String, columns: [(name: String, type: ColumnType)],
        features: [GeoJSONFeature]
    ) {
        self.name = name
        self.description = description
        self.geometryType = geometryType
        self.columns = columns
        self.features = features
    }
}

/// Writes layers into a new OGC GeoPackage 1.3: one feature table per layer, the SRS given,
/// and the R-tree spatial index extension (``GeoPackageRTree``). Written to a
/// temporary file and renamed, so a failure leaves nothing at `path`.
public enum GeoPackageWriter {
    /// `srsID` 4326 with `definition` nil is WGS84; any other is an EPSG code with its WKT.
    public static func write(
        _ layers: [ExportLayer], srsID: Int32, srsName: String, definition: String?, to path: String
    ) throws {
        try AtomicFile.build(path, rule: "export.unwritable") { temporary in
            try write(layers, srsID: srsID, srsName: srsName, definition: definition, at: temporary)
        }
    }

    /// Writes the GeoPackage at exactly `path` (a temporary or stage file the caller moves into place).
    public static func write(
        _ layers: [ExportLayer], srsID: Int32, srsName: String, definition: String?, at path: String
    ) throws {
        let context = try GEOSContext()
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try PlanSchema.createCore(db)
            if srsID != 4326, let definition {
                try db.execute(
                    sql: "INSERT INTO gpkg_spatial_ref_sys VALUES (?, ?, 'EPSG', ?, ?, ?)",
                    arguments: [srsName, srsID, srsID, definition, srsName])
            }
            for layer in layers { try write(layer, srsID: srsID, db: db, context: context) }
        }
        try queue.close()
    }

    static func write(_ layer: ExportLayer, srsID: Int32, db: Database, context: GEOSContext) throws {
        let columns = layer.columns.map { "\(GeoPackageRTree.quoted($0.name)) \($0.type.rawValue)" }.joined(
            separator: ", ")
        try db.execute(
            sql:
                "CREATE TABLE \(GeoPackageRTree.quoted(layer.name)) (fid INTEGER PRIMARY KEY AUTOINCREMENT, geom "
                + "\(layer.geometryType)\(columns.isEmpty ? "" : ", " + columns))"
        )
        try insertFeatures(layer, srsID: srsID, db: db, context: context)
        try db.execute(
            sql:
                "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id) VALUES (?, "
                + "'features', ?, ?, ?)",
            arguments: [layer.name, layer.name, layer.description, srsID])
        try PlanStore.updateExtent(db, table: layer.name, boxes: layer.features.compactMap { $0.geometry?.boundingBox })
        try db.execute(
            sql: "INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', ?, ?, 0, 0)",
            arguments: [layer.name, layer.geometryType, srsID])
        try GeoPackageRTree.create(table: layer.name, db: db)
    }

    /// Inserts a layer's features into its existing table, columns by name.
    static func insertFeatures(_ layer: ExportLayer, srsID: Int32 = 4326, db: Database, context: GEOSContext) throws {
        let names = (["geom"] + layer.columns.map { GeoPackageRTree.quoted($0.name) }).joined(separator: ", ")
        let placeholders = Array(repeating: "?", count: layer.columns.count + 1).joined(separator: ", ")
        let insert = try db.makeStatement(
            sql: "INSERT INTO \(GeoPackageRTree.quoted(layer.name)) (\(names)) VALUES (\(placeholders))")
        for feature in layer.features {
            let lookup = Dictionary(feature.properties, uniquingKeysWith: { a, _ in a })
            var values: [DatabaseValueConvertible?] = [
                try feature.geometry.map { try GeoPackageGeometry.encode($0, srsID: srsID, context: context) }
            ]
            for column in layer.columns { values.append(databaseValue(lookup[column.name], column.type)) }
            try insert.execute(arguments: StatementArguments(values))
        }
    }

    static func databaseValue(_ value: PropertyValue?, _ type: ExportLayer.ColumnType) -> DatabaseValueConvertible? {
        switch value {
        case nil, .null?: return nil
        case .bool(let b)?: return type == .text ? (b ? "true" : "false") : (b ? 1 : 0)
        case .number(let n)?: return type == .integer && n.rounded() == n && abs(n) < 9e15 ? Int(n) : n
        case .string(let s)?: return s
        case .array?, .object?: return nil
        }
    }
}
