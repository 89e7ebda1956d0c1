import CGDAL
import CGEOS
import Foundation
import GridPlanGeometryValues

/// One layer of an OGR vector source (Shapefile, GeoPackage, File Geodatabase, KML, FlatGeobuf,
/// a spreadsheet …) read in full: field names, each feature's values and geometry, the layer's
/// spatial reference and, for a Shapefile, the text encoding that was used.
public struct OGRLayerContents: Sendable {
    /// GDAL's short driver name: "ESRI Shapefile", "GPKG", "OpenFileGDB", "KML", "XLSX" …
    public var driver: String
    public var layer: String
    /// Every layer of the source, in its order.
    public var layerNames: [String]
    public var fieldNames: [String]
    public var features: [OGRRecord]
    /// The layer's spatial reference; nil when the source has none (a Shapefile without `.prj`).
    public var spatialReference: OGRSpatialReference?
    /// The encoding the attribute text was read in (Shapefile: from `--encoding`, the `.cpg` or
    /// the `.dbf`'s language driver id); nil when the source declared none and the text is UTF-8.
    public var encoding: String?
}

/// One feature: its values in the order of ``OGRLayerContents/fieldNames`` (nil: unset or null).
public struct OGRRecord: Sendable {
    /// 0-based position in the layer.
    public var index: Int
    /// GDAL's feature id: the row number in a spreadsheet, the record number in a Shapefile.
    public var fid: Int64
    public var values: [OGRFieldValue?]
    /// Converted to a value with GEOS; nil for a feature without geometry or one that could not be read.
    public var geometry: Geometry?
    public var geometryProblem: String?
}

public enum OGRFieldValue: Sendable, Equatable {
    case integer(Int64)
    case real(Double)
    case text(String)
}

/// What a source says of its coordinates: a name for messages and a definition PROJ accepts.
public struct OGRSpatialReference: Sendable, Equatable {
    /// e.g. "CGCS2000 / 3-degree Gauss-Kruger CM 114E"
    public var name: String
    /// "EPSG:4547" when the source names an authority code, else WKT.
    public var definition: String
    /// WGS84 longitude/latitude (EPSG:4326 or OGC:CRS84): nothing to convert.
    public var isWGS84: Bool
}

/// Why a source could not be read. Worded for users by the I/O layer, which knows the file's role.
public enum OGRSourceFailure: Error, Sendable, Equatable {
    /// GDAL opened nothing; `messages` are GDAL's.
    case cannotOpen(messages: [String])
    /// GDAL opened the source but reported errors reading its features (a truncated file).
    case damaged(messages: [String])
    case noLayers
    case layerMissing(name: String, available: [String])
    /// The source has several layers and none was named.
    case severalLayers([String])
    /// Text that is not valid UTF-8 after reading with `encoding` (nil: none declared).
    case textNotUTF8(field: String, feature: Int, encoding: String?)
    /// GDAL could not convert the text from `encoding` (some bytes are not valid in it).
    case textNotInEncoding(encoding: String, messages: [String])
}

/// Reads OGR vector sources through GDAL's C API.
public enum OGRSource {
    /// GDAL's release, e.g. "3.6.2".
    public static var version: String {
        guard GDALLibrary.isAvailable else { return "(not loaded)" }
        return String(cString: GDALVersionInfo("RELEASE_NAME"))
    }

    /// Reads one layer (`layer`, or the only one). `encoding` is the Shapefile open option
    /// ENCODING (e.g. "GBK"); other drivers ignore it (with a warning that is not shown).
    /// `spreadsheet` reads the first row of an XLSX or ODS sheet as its header.
    public static func read(
        path: String, layer: String? = nil, encoding: String? = nil, spreadsheet: Bool = false
    ) throws -> OGRLayerContents {
        try GDALLibrary.load()
        return try withGDALErrors { messages in
            var options: [String] = []
            if let encoding { options.append("ENCODING=\(encoding)") }
            // GDAL 3.6 takes the header choice of XLSX and ODS only as configuration (this thread's).
            let headerOptions = ["OGR_XLSX_HEADERS", "OGR_ODS_HEADERS"]
            if spreadsheet { for name in headerOptions { CPLSetThreadLocalConfigOption(name, "FORCE") } }
            defer { if spreadsheet { for name in headerOptions { CPLSetThreadLocalConfigOption(name, nil) } } }
            let dataset = withCStrings(options) { list in
                // GDALOpenEx returns NULL when no driver can open the file; the reason is in the error handler.
                GDALOpenEx(
                    path, UInt32(GDAL_OF_VECTOR | GDAL_OF_READONLY | GDAL_OF_VERBOSE_ERROR), nil,
                    list.map { UnsafeRawPointer($0).assumingMemoryBound(to: UnsafePointer<CChar>?.self) }, nil)
            }
            guard let dataset else { throw OGRSourceFailure.cannotOpen(messages: messages.take()) }
            defer { GDALClose(dataset) }
            let driver = String(cString: GDALGetDriverShortName(GDALGetDatasetDriver(dataset)))
            let shapefile = driver == "ESRI Shapefile"
            let count = GDALDatasetGetLayerCount(dataset)
            var names: [String] = []
            for i in 0..<count {
                // GDALDatasetGetLayer returns a borrowed layer, NULL only out of range.
                if let l = GDALDatasetGetLayer(dataset, i) { names.append(String(cString: OGR_L_GetName(l))) }
            }
            guard !names.isEmpty else { throw OGRSourceFailure.noLayers }
            let name: String
            if let layer {
                guard names.contains(layer) else {
                    throw OGRSourceFailure.layerMissing(name: layer, available: names)
                }
                name = layer
            } else {
                guard names.count == 1 else { throw OGRSourceFailure.severalLayers(names) }
                name = names[0]
            }
            // GDALDatasetGetLayerByName returns a borrowed layer; it exists (listed above).
            guard let handle = GDALDatasetGetLayerByName(dataset, name) else {
                throw OGRSourceFailure.layerMissing(name: name, available: names)
            }
            let before = messages.failures.count
            var (contents, badText) = try readLayer(handle, driver: driver)
            // GDAL reports a truncated or damaged file while reading its features, and goes on.
            let damage = messages.failures.dropFirst(before)
            if !damage.isEmpty { throw OGRSourceFailure.damaged(messages: Array(damage.prefix(3))) }
            contents.layerNames = names
            if shapefile {
                // The Shapefile driver says which encoding it used ("" when the .cpg and .dbf name none).
                let used = GDALGetMetadataItem(handle, "SOURCE_ENCODING", "SHAPEFILE").map { String(cString: $0) }
                contents.encoding = (used?.isEmpty ?? true) ? nil : used
            }
            let recode = messages.take().filter { $0.contains("couldn't be converted") || $0.hasPrefix("Recode from") }
            if !recode.isEmpty {
                throw OGRSourceFailure.textNotInEncoding(
                    encoding: contents.encoding ?? encoding ?? "?", messages: recode)
            }
            if let bad = badText {
                throw OGRSourceFailure.textNotUTF8(
                    field: bad.field, feature: bad.feature, encoding: contents.encoding ?? (shapefile ? encoding : nil))
            }
            return contents
        }
    }

    /// A layer's contents, with the first text value that was not UTF-8 (field, feature).
    private static func readLayer(
        _ layer: OGRLayerH, driver: String
    ) throws -> (OGRLayerContents, badText: (field: String, feature: Int)?) {
        let definition = OGR_L_GetLayerDefn(layer)
        let fieldCount = OGR_FD_GetFieldCount(definition)
        var fieldNames: [String] = []
        var fieldTypes: [OGRFieldType] = []
        for i in 0..<fieldCount {
            let field = OGR_FD_GetFieldDefn(definition, i)
            fieldNames.append(String(cString: OGR_Fld_GetNameRef(field)))
            fieldTypes.append(OGR_Fld_GetType(field))
        }
        var contents = OGRLayerContents(
            driver: driver, layer: String(cString: OGR_L_GetName(layer)), layerNames: [], fieldNames: fieldNames,
            features: [], spatialReference: OGR_L_GetSpatialRef(layer).flatMap(spatialReference), encoding: nil)
        var badText: (field: String, feature: Int)?
        let context = try GEOSContext()
        OGR_L_ResetReading(layer)
        var index = 0
        // OGR_L_GetNextFeature returns an owned feature, NULL at the end.
        while let feature = OGR_L_GetNextFeature(layer) {
            defer {
                OGR_F_Destroy(feature)
                index += 1
            }
            var record = OGRRecord(
                index: index, fid: OGR_F_GetFID(feature), values: [], geometry: nil, geometryProblem: nil)
            record.values.reserveCapacity(Int(fieldCount))
            for i in 0..<fieldCount {
                guard OGR_F_IsFieldSetAndNotNull(feature, i) != 0 else {
                    record.values.append(nil)
                    continue
                }
                switch fieldTypes[Int(i)] {
                case OFTInteger, OFTInteger64: record.values.append(.integer(OGR_F_GetFieldAsInteger64(feature, i)))
                case OFTReal: record.values.append(.real(OGR_F_GetFieldAsDouble(feature, i)))
                case OFTDate, OFTDateTime, OFTTime:
                    // GDAL writes dates as 2018/09/15 08:00:00; ISO 8601 uses dashes.
                    let text = String(cString: OGR_F_GetFieldAsString(feature, i))
                    record.values.append(.text(text.replacingOccurrences(of: "/", with: "-")))
                default:
                    // OGR_F_GetFieldAsString returns a borrowed string (dates and lists as text too).
                    if let text = String(validatingCString: OGR_F_GetFieldAsString(feature, i)) {
                        record.values.append(.text(text))
                    } else {
                        record.values.append(nil)
                        if badText == nil { badText = (fieldNames[Int(i)], index) }
                    }
                }
            }
            // OGR_F_GetGeometryRef returns a borrowed geometry, NULL when the feature has none.
            if let geometry = OGR_F_GetGeometryRef(feature) {
                do {
                    record.geometry = try value(of: geometry, context)
                } catch {
                    record.geometryProblem = "\(error)"
                }
            }
            contents.features.append(record)
        }
        return (contents, badText)
    }

    /// A geometry as a value: curves are approximated by lines, Z and M are dropped.
    private static func value(of geometry: OGRGeometryH, _ context: GEOSContext) throws -> Geometry? {
        if OGR_G_IsEmpty(geometry) != 0 { return nil }
        // OGR_G_GetLinearGeometry returns an owned copy with curves stroked; OGR_G_Clone an owned copy.
        let linear =
            OGR_G_HasCurveGeometry(geometry, 1) != 0 ? OGR_G_GetLinearGeometry(geometry, 0, nil) : OGR_G_Clone(geometry)
        guard let linear else { throw GeometryLibraryError.gdal(function: "OGR_G_GetLinearGeometry", messages: []) }
        defer { OGR_G_DestroyGeometry(linear) }
        OGR_G_FlattenTo2D(linear)
        let size = Int(OGR_G_WkbSize(linear))
        var bytes = Data(count: size)
        let error = bytes.withUnsafeMutableBytes { raw in
            OGR_G_ExportToIsoWkb(linear, wkbNDR, raw.bindMemory(to: UInt8.self).baseAddress)
        }
        guard error == OGRERR_NONE else {
            throw GeometryLibraryError.gdal(function: "OGR_G_ExportToIsoWkb", messages: ["OGR error \(error)"])
        }
        return try NativeGeometry(wkb: bytes, in: context).value()
    }

    /// The name and a PROJ definition of a spatial reference.
    private static func spatialReference(_ srs: OGRSpatialReferenceH) -> OGRSpatialReference? {
        let name = OSRGetName(srs).map { String(cString: $0) } ?? "unnamed CRS"
        var authority: String?
        // OSRGetAuthorityName/Code return borrowed strings, NULL when the CRS names no authority.
        if let a = OSRGetAuthorityName(srs, nil), let c = OSRGetAuthorityCode(srs, nil) {
            authority = "\(String(cString: a)):\(String(cString: c))"
        } else if OSRAutoIdentifyEPSG(srs) == OGRERR_NONE, let a = OSRGetAuthorityName(srs, nil),
            let c = OSRGetAuthorityCode(srs, nil)
        {
            authority = "\(String(cString: a)):\(String(cString: c))"
        }
        let isWGS84 = authority == "EPSG:4326" || authority == "OGC:CRS84"
        if let authority { return OGRSpatialReference(name: name, definition: authority, isWGS84: isWGS84) }
        var wkt: UnsafeMutablePointer<CChar>?
        // OSRExportToWkt allocates the text (freed with VSIFree); it fails only for an unusable CRS.
        guard OSRExportToWkt(srs, &wkt) == OGRERR_NONE, let wkt else { return nil }
        defer { VSIFree(wkt) }
        return OGRSpatialReference(name: name, definition: String(cString: wkt), isWGS84: false)
    }
}

/// Messages GDAL reported on this thread while a call ran (errors and warnings).
final class GDALMessages {
    private var items: [String] = []
    /// Errors (CE_Failure, CE_Fatal) since the start, kept when `take` empties the list.
    private(set) var failures: [String] = []
    /// Warnings and errors since the start (not debug output).
    private(set) var problems: [String] = []
    func append(_ message: String, level: CPLErr) {
        items.append(message)
        if level == CE_Failure || level == CE_Fatal { failures.append(message) }
        if level != CE_None && level != CE_Debug { problems.append(message) }
    }
    /// The messages so far, emptying the list.
    func take() -> [String] {
        defer { items.removeAll() }
        return items
    }
}

/// Runs `body` with a GDAL error handler that collects messages on this thread (GDAL would
/// otherwise print them on stderr).
func withGDALErrors<T>(_ body: (GDALMessages) throws -> T) rethrows -> T {
    let messages = GDALMessages()
    let box = Unmanaged.passRetained(messages)
    // CPLPushErrorHandlerEx installs a handler for this thread only; popped below.
    CPLPushErrorHandlerEx(
        { level, _, text in
            guard let text, let data = CPLGetErrorHandlerUserData() else { return }
            Unmanaged<GDALMessages>.fromOpaque(data).takeUnretainedValue().append(String(cString: text), level: level)
        }, box.toOpaque())
    defer {
        CPLPopErrorHandler()
        box.release()
    }
    return try body(messages)
}

/// A NULL-terminated C string list for GDAL options (a CSL), valid while `body` runs.
func withCStrings<T>(
    _ strings: [String], _ body: (UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) throws -> T
) rethrows -> T {
    if strings.isEmpty { return try body(nil) }
    var list: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
    defer { list.forEach { free($0) } }
    list.append(nil)
    return try list.withUnsafeMutableBufferPointer { try body($0.baseAddress) }
}
