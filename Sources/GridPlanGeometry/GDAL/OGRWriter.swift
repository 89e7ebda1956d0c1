import CGDAL
import Foundation
import GridPlanGeometryValues

/// A table to write through OGR: fields, one row of values per feature and, for a spatial
/// layer, one geometry per feature.
public struct OGRTable: Sendable {
    public enum Kind: Sendable {
        case text, integer, real
    }

    public var name: String
    /// MULTIPOLYGON, POINT, LINESTRING, MULTILINESTRING, GEOMETRY; nil for a table without geometry.
    public var geometryType: String?
    public var fields: [(name: String, kind: Kind)]
    public var rows: [[OGRFieldValue?]]
    /// One per row when `geometryType` is set.
    public var geometries: [Geometry?]

    public init(
        name: String, geometryType: String?, fields: [(name: String, kind: Kind)], rows: [[OGRFieldValue?]],
        geometries: [Geometry?] = []
    ) {
        self.name = name
        self.geometryType = geometryType
        self.fields = fields
        self.rows = rows
        self.geometries = geometries
    }
}

/// Writes tables with a GDAL driver, and zips files with GDAL's zip writer.
public enum OGRWriter {
    /// Creates `path` with `driver` ("ESRI Shapefile": a folder of Shapefiles; "XLSX": a workbook
    /// with a sheet per table). `crs` (e.g. "EPSG:4326") is each spatial layer's CRS;
    /// `layerOptions` go to every layer (e.g. ENCODING=GBK).
    public static func write(
        _ tables: [OGRTable], driver name: String, to path: String, crs: String?, layerOptions: [String] = []
    ) throws {
        try GDALLibrary.load()
        try withGDALErrors { messages in
            // GDALGetDriverByName returns NULL for a driver this GDAL lacks.
            guard let driver = GDALGetDriverByName(name) else {
                throw GeometryLibraryError.gdal(function: "GDALGetDriverByName(\(name))", messages: messages.take())
            }
            // GDALCreate returns NULL when the file cannot be made (the reason is in the handler).
            guard let dataset = GDALCreate(driver, path, 0, 0, 0, GDT_Unknown, nil) else {
                throw GeometryLibraryError.gdal(function: "GDALCreate(\(path))", messages: messages.take())
            }
            var closed = false
            defer { if !closed { GDALClose(dataset) } }
            // OSRNewSpatialReference(nil) returns an empty reference; released below.
            let srs = crs.map { _ in OSRNewSpatialReference(nil) } ?? nil
            defer { if let srs { OSRRelease(srs) } }
            if let srs, let crs {
                guard OSRSetFromUserInput(srs, crs) == OGRERR_NONE else {
                    throw GeometryLibraryError.gdal(function: "OSRSetFromUserInput(\(crs))", messages: messages.take())
                }
                OSRSetAxisMappingStrategy(srs, OAMS_TRADITIONAL_GIS_ORDER)
            }
            for table in tables {
                try write(table, into: dataset, srs: srs, options: layerOptions, messages: messages)
            }
            closed = true
            // GDALClose flushes; GDAL 3.6 returns no status, so what it reported is checked. A warning
            // fails the export too: when writing, GDAL warns as it truncates or drops a value.
            GDALClose(dataset)
            if !messages.problems.isEmpty {
                throw GeometryLibraryError.gdal(function: "GDALClose(\(path))", messages: messages.problems)
            }
        }
    }

    private static func write(
        _ table: OGRTable, into dataset: GDALDatasetH, srs: OGRSpatialReferenceH?, options: [String],
        messages: GDALMessages
    ) throws {
        let type: OGRwkbGeometryType =
            switch table.geometryType {
            case nil: wkbNone
            case "MULTIPOLYGON"?: wkbMultiPolygon
            case "POLYGON"?: wkbPolygon
            case "POINT"?: wkbPoint
            case "LINESTRING"?: wkbLineString
            case "MULTILINESTRING"?: wkbMultiLineString
            default: wkbUnknown
            }
        let layer = withCStrings(options) { list in
            // GDALDatasetCreateLayer returns NULL when the layer cannot be made.
            GDALDatasetCreateLayer(dataset, table.name, table.geometryType == nil ? nil : srs, type, list)
        }
        guard let layer else {
            throw GeometryLibraryError.gdal(
                function: "GDALDatasetCreateLayer(\(table.name))", messages: messages.take())
        }
        for field in table.fields {
            let kind: OGRFieldType =
                switch field.kind {
                case .text: OFTString
                case .integer: OFTInteger64
                case .real: OFTReal
                }
            // OGR_Fld_Create returns an owned definition, copied by OGR_L_CreateField.
            let definition = OGR_Fld_Create(field.name, kind)
            defer { OGR_Fld_Destroy(definition) }
            guard OGR_L_CreateField(layer, definition, 1) == OGRERR_NONE else {
                throw GeometryLibraryError.gdal(
                    function: "OGR_L_CreateField(\(table.name).\(field.name))", messages: messages.take())
            }
        }
        let context = try GEOSContext()
        for (r, row) in table.rows.enumerated() {
            // OGR_F_Create returns an owned feature.
            guard let feature = OGR_F_Create(OGR_L_GetLayerDefn(layer)) else {
                throw GeometryLibraryError.gdal(function: "OGR_F_Create", messages: messages.take())
            }
            defer { OGR_F_Destroy(feature) }
            for (i, value) in row.enumerated() {
                switch value {
                case nil: OGR_F_SetFieldNull(feature, Int32(i))
                case .integer(let v)?: OGR_F_SetFieldInteger64(feature, Int32(i), v)
                case .real(let v)?: OGR_F_SetFieldDouble(feature, Int32(i), v)
                case .text(let v)?: OGR_F_SetFieldString(feature, Int32(i), v)
                }
            }
            if table.geometryType != nil, r < table.geometries.count, let geometry = table.geometries[r] {
                var bytes = try NativeGeometry(geometry, in: context).wkb()
                var made: OGRGeometryH?
                // OGR_G_CreateFromWkb makes an owned geometry; OGR_F_SetGeometryDirectly takes it.
                let error = bytes.withUnsafeMutableBytes { raw in
                    OGR_G_CreateFromWkb(raw.baseAddress, srs, &made, Int32(raw.count))
                }
                guard error == OGRERR_NONE, let made else {
                    throw GeometryLibraryError.gdal(function: "OGR_G_CreateFromWkb", messages: messages.take())
                }
                let typed = type == wkbMultiPolygon ? OGR_G_ForceToMultiPolygon(made) : made
                _ = OGR_F_SetGeometryDirectly(feature, typed)
            }
            guard OGR_L_CreateFeature(layer, feature) == OGRERR_NONE else {
                throw GeometryLibraryError.gdal(
                    function: "OGR_L_CreateFeature(\(table.name) #\(r))", messages: messages.take())
            }
        }
    }

    /// Writes a zip of `files` (name in the zip, path on disk) at `path`.
    public static func zip(_ files: [(name: String, path: String)], to path: String) throws {
        try GDALLibrary.load()
        try withGDALErrors { messages in
            // CPLCreateZip returns NULL when the file cannot be created.
            guard let zip = CPLCreateZip(path, nil) else {
                throw GeometryLibraryError.gdal(function: "CPLCreateZip(\(path))", messages: messages.take())
            }
            var failed: String?
            for file in files where failed == nil {
                let data = try Data(contentsOf: URL(fileURLWithPath: file.path))
                guard CPLCreateFileInZip(zip, file.name, nil) == CE_None else {
                    failed = "CPLCreateFileInZip(\(file.name))"
                    break
                }
                let written = data.withUnsafeBytes { raw in CPLWriteFileInZip(zip, raw.baseAddress, Int32(raw.count)) }
                if written != CE_None { failed = "CPLWriteFileInZip(\(file.name))" }
                if CPLCloseFileInZip(zip) != CE_None, failed == nil { failed = "CPLCloseFileInZip(\(file.name))" }
            }
            let closed = CPLCloseZip(zip)
            if let failed { throw GeometryLibraryError.gdal(function: failed, messages: messages.take()) }
            guard closed == CE_None else {
                throw GeometryLibraryError.gdal(function: "CPLCloseZip(\(path))", messages: messages.take())
            }
        }
    }
}
