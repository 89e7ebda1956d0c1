import Foundation
import GridPlanGeometry
import GridPlanGeometryValues
import GridPlanModel

/// Reads any vector file a planner has: GeoJSON with GridPlan's own reader (errors with line
/// and column), everything else through GDAL: Shapefiles (also zipped), GeoPackage and File
/// Geodatabase layers (`path:layer`), KML, FlatGeobuf, GML, MapInfo. The CRS comes from the
/// source (`.prj`, the GeoPackage SRS) unless `--crs` says otherwise; features end in WGS84.
public enum VectorReader {
    /// Extensions that go to GDAL; any other file is read as GeoJSON.
    static let gdalExtensions: Set<String> = [
        "shp", "shz", "zip", "gpkg", "gdb", "kml", "kmz", "fgb", "gml", "tab", "mif", "sqlite", "gpx",
    ]

    /// A source as named on the command line: a path, or `path:layer` for a file with layers.
    public struct Source: Sendable, Equatable {
        public var path: String
        public var layer: String?

        public init(_ spec: String) {
            var isDirectory: ObjCBool = false
            if !FileManager.default.fileExists(atPath: spec, isDirectory: &isDirectory),
                let colon = spec.lastIndex(of: ":"), colon != spec.startIndex
            {
                let path = String(spec[..<colon]), layer = String(spec[spec.index(after: colon)...])
                if FileManager.default.fileExists(atPath: path), !layer.isEmpty {
                    self.path = path
                    self.layer = layer
                    return
                }
            }
            path = spec
            layer = nil
        }

        var ext: String {
            let name = (path.hasSuffix("/") ? String(path.dropLast()) : path).lowercased()
            return (name as NSString).pathExtension
        }

        /// Whether GDAL reads it (by extension); GeoJSON and unknown extensions are ours.
        public var usesGDAL: Bool { VectorReader.gdalExtensions.contains(ext) || layer != nil }
    }

    /// Reads `spec` (a path or `path:layer`) and converts it to WGS84. `crs` overrides the
    /// source's own CRS; `encoding` is for Shapefiles without a `.cpg` (e.g. "GBK").
    public static func read(_ spec: String, crs: CRS? = nil, encoding: String? = nil) throws -> VectorDocument {
        let source = Source(spec)
        guard source.usesGDAL else { return try GeoJSONReader.read(path: spec, crs: crs) }
        try checkFiles(source, spec: spec)
        let contents: OGRLayerContents
        do {
            let path = source.ext == "zip" ? "/vsizip/" + source.path : source.path
            contents = try OGRSource.read(path: path, layer: source.layer, encoding: encoding)
        } catch let failure as OGRSourceFailure {
            throw error(failure, spec: spec, source: source)
        }
        var document = VectorDocument(
            file: spec, features: features(contents), declaredCRS: contents.spatialReference?.name,
            sourceCRS: crs ?? contents.spatialReference.map { $0.isWGS84 ? .wgs84 : .proj($0.definition) } ?? .wgs84)
        document.driver = contents.driver
        document.layer = contents.layerNames.count > 1 || source.layer != nil ? contents.layer : nil
        document.encoding = contents.encoding
        try GeoJSONReader.convertAndCheckLonLat(&document, userCRS: crs)
        return document
    }

    /// OGR records as source features: integers and reals become numbers, text stays text.
    /// KML keeps a placemark's name in its own `<name>` element, which GDAL reads as "Name": it
    /// is the feature's `name` (unless the placemarks also carry a `name` field).
    static func features(_ contents: OGRLayerContents) -> [SourceFeature] {
        var fieldNames = contents.fieldNames
        if ["KML", "LIBKML"].contains(contents.driver), !fieldNames.contains("name"),
            let i = fieldNames.firstIndex(of: "Name")
        {
            fieldNames[i] = "name"
        }
        return contents.features.map { record in
            var properties: Properties = []
            properties.reserveCapacity(record.values.count)
            for (name, value) in zip(fieldNames, record.values) {
                switch value {
                case nil: properties.append((name, .null))
                case .integer(let i)?: properties.append((name, .number(Double(i))))
                case .real(let d)?: properties.append((name, .number(d)))
                case .text(let t)?: properties.append((name, .string(t)))
                }
            }
            return SourceFeature(
                index: record.index, properties: properties, geometry: record.geometry,
                geometryProblem: record.geometryProblem)
        }
    }

    /// A Shapefile's parts that GDAL would quietly do without, and a missing file, named before GDAL runs.
    static func checkFiles(_ source: Source, spec: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: source.path, isDirectory: &isDirectory) else {
            throw InputError(file: spec, rule: "file.missing", "no such file")
        }
        guard source.ext == "shp" else { return }
        let base = (source.path as NSString).deletingPathExtension
        let folder = (source.path as NSString).deletingLastPathComponent
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.isEmpty ? "." : folder)) ?? []
        let stem = (base as NSString).lastPathComponent.lowercased()
        for (part, holds) in [("dbf", "its attributes (codes, names, households)"), ("shx", "its index of shapes")] {
            if !names.contains(where: { $0.lowercased() == "\(stem).\(part)" }) {
                throw InputError(
                    file: spec, rule: "shapefile.incomplete",
                    "has no \((base as NSString).lastPathComponent).\(part) beside it, which holds \(holds); copy "
                        + "all the shapefile's files (.shp, .shx, .dbf, .prj, .cpg) into one folder, or send it zipped")
            }
        }
        // GDAL reads a cut-off .dbf as fewer fields without a word: its header says how long it is.
        if let name = names.first(where: { $0.lowercased() == "\(stem).dbf" }) {
            let path = (folder.isEmpty ? "" : folder + "/") + name
            let handle = FileHandle(forReadingAtPath: path)
            defer { try? handle?.close() }
            let head = (try? handle?.read(upToCount: 12)) ?? Data()
            let size = ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? 0
            func number(_ at: Int, _ count: Int) -> Int {
                (0..<count).reduce(0) { $0 | Int(head[head.startIndex + at + $1]) << (8 * $1) }
            }
            // dBASE header: record count (bytes 4-7), header and record lengths (8-9, 10-11), little-endian.
            let expected = head.count == 12 ? number(8, 2) + number(4, 4) * number(10, 2) : 12
            if size < expected {
                throw InputError(
                    file: spec, rule: "file.damaged",
                    "its \(name) is cut off (\(size) bytes; its header promises \(expected)); copy or export "
                        + "it again from the source")
            }
        }
    }

    /// A GDAL failure in words, naming the file and the layer (`noun`: "sheet" for a workbook).
    static func error(_ failure: OGRSourceFailure, spec: String, source: Source, noun: String = "layer") -> InputError {
        func list(_ names: [String]) -> String { names.map { "\"\($0)\"" }.joined(separator: ", ") }
        switch failure {
        case .cannotOpen(let messages):
            let said = messages.isEmpty ? "" : " (GDAL \(OGRSource.version): \(messages.joined(separator: "; ")))"
            return InputError(
                file: spec, rule: "file.unreadable",
                noun == "sheet"
                    ? "cannot be read as a workbook\(said); check that the file is complete and an Excel (.xlsx, "
                        + ".xls) or OpenDocument (.ods) file, or save the sheet as CSV UTF-8"
                    : "cannot be read as vector data\(said); check that the file is complete and of a format GDAL "
                        + "reads (Shapefile, GeoPackage, File Geodatabase, KML, FlatGeobuf, GeoJSON)")
        case .damaged(let messages):
            return InputError(
                file: spec, rule: "file.damaged",
                "is damaged: GDAL \(OGRSource.version) could not read all of it (\(messages.joined(separator: "; "))); "
                    + "copy or export it again from the source")
        case .noLayers:
            return InputError(
                file: spec, rule: "source.no-layers", "holds no \(noun == "layer" ? "vector layer" : noun)")
        case .layerMissing(let name, let available):
            return InputError(
                file: source.path, rule: "source.layer-missing",
                "has no \(noun) \"\(name)\"; its \(noun)s are \(list(available)); name one as "
                    + "\(source.path):\(noun.uppercased())")
        case .severalLayers(let names):
            return InputError(
                file: spec, rule: "source.layer-ambiguous",
                "has \(names.count) \(noun)s (\(list(names))); name the one to read as "
                    + "\(source.path):\(noun.uppercased())")
        case .textNotUTF8(let field, let feature, let encoding):
            let reference = FeatureReference(index: feature)
            if let encoding {
                return InputError(
                    file: spec, feature: reference, rule: "file.encoding",
                    "field \"\(field)\" is not valid text in \(encoding); pass the right encoding with --encoding "
                        + "(Chinese data is usually GBK or UTF-8)")
            }
            return InputError(
                file: spec, feature: reference, rule: "file.encoding",
                "field \"\(field)\" is not UTF-8 text and the source does not say its encoding (no .cpg file); "
                    + "pass it with --encoding, e.g. --encoding GBK for Chinese data from ArcGIS")
        case .textNotInEncoding(let encoding, let messages):
            let unknown = messages.contains { $0.hasPrefix("Recode from") }
            return InputError(
                file: spec, rule: "file.encoding",
                (unknown
                    ? "cannot read text as \(encoding) (not an encoding this system knows)"
                    : "some attribute text is not valid \(encoding)")
                    + "; pass the right encoding with --encoding (e.g. UTF-8, "
                    + "GBK, GB18030, BIG5)")
        }
    }
}

extension VectorDocument {
    /// How this file was read, with the `fields` looked for under `mapping`.
    public func summary(mapping: FieldMapping, fields: [FieldMapping.Field]) -> SourceSummary {
        let names = fieldNames
        let found = Set(names)
        var used: [(field: String, property: String)] = [], notFound: [String] = []
        for field in fields {
            let property = mapping[field]
            if found.contains(property) {
                used.append((field.rawValue, property))
            } else {
                notFound.append(property == field.rawValue ? property : "\(field.rawValue) (property \(property))")
            }
        }
        return SourceSummary(
            file: file, driver: driver, layer: layer, declaredCRS: declaredCRS,
            convertedFrom: sourceCRS == .wgs84 ? "" : sourceCRS.description,
            encoding: encoding, used: used, notFound: notFound, properties: names, featureCount: features.count)
    }
}
