import Foundation
import GridPlanGeometry
import GridPlanGeometryValues
import GridPlanModel

/// A vector file (GeoJSON, or any OGR source) after reading: its features in WGS84 lon/lat.
public struct VectorDocument: Sendable {
    public var file: String
    public var features: [SourceFeature]
    /// The CRS the file names: GeoJSON's legacy `crs` member, an OGR layer's spatial reference.
    public var declaredCRS: String?
    /// The CRS the coordinates were converted from.
    public var sourceCRS: CRS
    /// How the file was read: "GeoJSON" (GridPlan's own reader) or GDAL's driver, e.g. "ESRI Shapefile".
    public var driver = "GeoJSON"
    /// The layer read, for a source that has layers.
    public var layer: String?
    /// The attribute text's encoding, when the source declares one or `--encoding` gave it.
    public var encoding: String?
    /// Every property name found, in first-seen order (what `--field` can name).
    public var fieldNames: [String] {
        var seen = Set<String>(), names: [String] = []
        for f in features { for (k, _) in f.properties where seen.insert(k).inserted { names.append(k) } }
        return names
    }
}

/// Reads RFC 7946 GeoJSON: a FeatureCollection, a Feature or a bare geometry, any geometry
/// type, properties of any JSON type, string or number ids. The legacy `crs` member is
/// honoured for CRS84/EPSG:4326 names; any other CRS is refused unless `--crs` says what the
/// coordinates are. Syntax errors and non-GeoJSON are thrown (the file is unusable); a
/// feature whose geometry is malformed is kept with `geometryProblem` set.
public enum GeoJSONReader {
    /// Reads and converts to WGS84. `crs` overrides whatever the file declares.
    public static func read(path: String, crs: CRS? = nil) throws -> VectorDocument {
        let data = try FileInput.read(path)
        var document = try parse(data, file: path, crs: crs)
        try convertAndCheckLonLat(&document, userCRS: crs)
        return document
    }

    /// Parses bytes; coordinates are left in the source CRS.
    public static func parse(_ data: Data, file: String, crs: CRS? = nil) throws -> VectorDocument {
        try data.withUnsafeBytes { raw in
            var scanner = JSONScanner(bytes: raw.bindMemory(to: UInt8.self), file: file)
            guard scanner.peek() != nil else {
                throw InputError(file: file, rule: "file.empty", "the file is empty (no JSON in it)")
            }
            guard scanner.peek() == UInt8(ascii: "{") else {
                throw scanner.error("not GeoJSON: expected a JSON object ('{') at the start", rule: "geojson.structure")
            }
            var parser = GeoJSONParser(file: file)
            let features = try parser.document(&scanner)
            try scanner.expectEnd()
            var sourceCRS = CRS.wgs84
            if let declared = parser.declaredCRS {
                let parsed = try? CRS(parsing: declared)
                if let crs {
                    sourceCRS = crs
                } else if parsed == .wgs84 {
                    sourceCRS = .wgs84
                } else {
                    throw InputError(
                        file: file, rule: "crs.unsupported",
                        "the file declares CRS \"\(declared)\"; GeoJSON (RFC 7946) is WGS84 lon/lat. "
                            + "If that CRS is right, pass --crs with it (e.g. --crs "
                            + "\(parsed.map(\.description) ?? declared)) to convert"
                    )
                }
            } else if let crs {
                sourceCRS = crs
            }
            return VectorDocument(
                file: file, features: features, declaredCRS: parser.declaredCRS, sourceCRS: sourceCRS)
        }
    }

    /// Converts to WGS84 and refuses coordinates that cannot be lon/lat.
    static func convertAndCheckLonLat(_ document: inout VectorDocument, userCRS: CRS?) throws {
        let corners = document.features.compactMap { $0.geometry?.boundingBox }.flatMap {
            [Position(x: $0.minX, y: $0.minY), Position(x: $0.maxX, y: $0.maxY)]
        }
        try DegreesAsMetres.refuse(corners, crs: document.sourceCRS, file: document.file)
        if document.sourceCRS != .wgs84 {
            let converter: WGS84Converter
            do {
                converter = try WGS84Converter(document.sourceCRS)
            } catch {
                throw InputError(
                    file: document.file, rule: "crs.unknown", "cannot use CRS \(document.sourceCRS): \(error)")
            }
            for i in document.features.indices {
                guard let g = document.features[i].geometry else { continue }
                do {
                    document.features[i].geometry = try converter.toWGS84(g)
                } catch {
                    document.features[i].geometry = nil
                    document.features[i].geometryProblem = "cannot convert from \(document.sourceCRS): \(error)"
                }
            }
        }
        for feature in document.features {
            guard let box = feature.geometry?.boundingBox, !box.isPlausibleLonLat else { continue }
            let swapped =
                box.minX >= -90 && box.maxX <= 90 && box.minY >= -180 && box.maxY <= 180
            var message =
                "coordinates reach (\(PropertyValue.format(box.maxX)), \(PropertyValue.format(box.maxY))), "
                + "which cannot be longitude/latitude"
            if swapped {
                message += "; they look like latitude/longitude order — GeoJSON positions are [longitude, latitude]"
            } else if userCRS == nil {
                message +=
                    "; if the data is projected, pass its CRS, e.g. --crs EPSG:4547 (CGCS2000 Gauss-Krüger, 114°E)"
            }
            throw InputError(
                file: document.file, feature: FeatureReference(index: feature.index), rule: "crs.not-lonlat", message)
        }
    }
}

/// Reads files with errors that name the file and say what is wrong with it.
enum FileInput {
    static func read(_ path: String) throws -> Data {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw InputError(file: path, rule: "file.missing", "no such file")
        }
        if isDirectory.boolValue {
            throw InputError(file: path, rule: "file.unreadable", "is a directory, not a file")
        }
        // A pipe or a device would block, or read as nothing: name it rather than fail later.
        var info = stat()
        if stat(path, &info) == 0, (info.st_mode & S_IFMT) != S_IFREG {
            throw InputError(
                file: path, rule: "file.not-regular",
                "is not a regular file (a pipe, socket or device); give the path of a saved file")
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .mappedIfSafe)
        } catch {
            throw InputError(file: path, rule: "file.unreadable", "cannot be read: \(StorageFailure.describe(error))")
        }
        // UTF-16 (a byte-order mark FF FE / FE FF, or a zero byte in every other place).
        let head = data.prefix(64)
        if head.starts(with: [0xFF, 0xFE]) || head.starts(with: [0xFE, 0xFF])
            || (head.count >= 8 && head.enumerated().filter { $0.element == 0 }.count * 3 >= head.count)
        {
            throw InputError(
                file: path, rule: "file.encoding",
                "is UTF-16 (or another wide) text; save it as UTF-8 (Excel: \"CSV UTF-8\"; QGIS: encoding UTF-8) and "
                    + "run again"
            )
        }
        return data
    }
}

/// The GeoJSON grammar over a `JSONScanner`.
private struct GeoJSONParser {
    let file: String
    var declaredCRS: String?

    init(file: String) { self.file = file }

    /// Geometry structure problems are per feature, not fatal.
    struct ShapeProblem: Error { var message: String }

    mutating func document(_ s: inout JSONScanner) throws -> [SourceFeature] {
        let start = s.offset
        var type: String?
        var featuresOffset: Int?
        var crsValue: PropertyValue?
        // Features read where they stand when "type" came first (as it nearly always does);
        // otherwise after the whole object, once its type is known. Syntax errors anywhere in
        // the file come before a feature's structure errors either way: a feature that fails
        // here is read again below, after the rest of the file has been checked.
        var parsedFeatures: [SourceFeature]?
        try s.forEachMember { s, key in
            switch key {
            case "type": type = try s.peek() == UInt8(ascii: "\"") ? s.string() : nil
            case "features":
                let offset = s.offset
                featuresOffset = offset
                parsedFeatures = nil
                if type == "FeatureCollection" && s.peek() == UInt8(ascii: "[") {
                    var features: [SourceFeature] = []
                    do {
                        try s.forEachElement { s, index in features.append(try feature(&s, index: index)) }
                        parsedFeatures = features
                    } catch {
                        s.offset = offset
                        try s.skipValue()
                    }
                } else {
                    try s.skipValue()
                }
            case "crs": crsValue = try s.value()
            default: try s.skipValue()
            }
        }
        let end = s.offset
        if let crsValue { declaredCRS = try crsName(crsValue) }
        guard let type else {
            throw s.error(
                "not GeoJSON: the top-level object has no \"type\" string", at: start, rule: "geojson.structure")
        }
        switch type {
        case "FeatureCollection":
            guard let featuresOffset else {
                throw s.error("a FeatureCollection needs a \"features\" array", at: start, rule: "geojson.structure")
            }
            if let parsedFeatures { return parsedFeatures }
            s.offset = featuresOffset
            guard s.peek() == UInt8(ascii: "[") else {
                throw s.error("\"features\" must be an array", rule: "geojson.structure")
            }
            var features: [SourceFeature] = []
            try s.forEachElement { s, index in features.append(try feature(&s, index: index)) }
            s.offset = end
            return features
        case "Feature":
            s.offset = start
            let f = try feature(&s, index: 0)
            s.offset = end
            return [f]
        case "Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon", "GeometryCollection":
            s.offset = start
            var f = SourceFeature(index: 0, geometry: nil)
            do {
                f.geometry = try geometry(&s)
            } catch let problem as ShapeProblem {
                f.geometryProblem = problem.message
            }
            s.offset = end
            return [f]
        default:
            throw s.error("not GeoJSON: unknown type \"\(type)\"", at: start, rule: "geojson.structure")
        }
    }

    private func crsName(_ value: PropertyValue) throws -> String? {
        guard case .object(let members) = value else { return nil }
        if case .object(let props)? = members["properties"] {
            if case .string(let name)? = props["name"] { return name }
            if case .string(let href)? = props["href"] { return href }
        }
        return "unnamed"
    }

    mutating func feature(_ s: inout JSONScanner, index: Int) throws -> SourceFeature {
        guard s.peek() == UInt8(ascii: "{") else {
            throw s.error("feature #\(index) is not a JSON object", rule: "geojson.structure")
        }
        let start = s.offset
        var type: String?
        var id: PropertyValue?
        var properties: Properties = []
        var geometryOffset: Int?
        var inPlace: Result<Geometry?, ShapeProblem>?
        try s.forEachMember { s, key in
            switch key {
            case "type": type = try s.peek() == UInt8(ascii: "\"") ? s.string() : nil
            case "id":
                id = try s.value()
            case "properties":
                let v = try s.value()
                switch v {
                case .object(let members): properties = members
                case .null: properties = []
                default:
                    throw s.error(
                        "feature #\(index): \"properties\" must be an object or null", rule: "geojson.structure")
                }
            case "geometry":
                geometryOffset = s.offset
                inPlace = try geometryInPlace(&s)
            default: try s.skipValue()
            }
        }
        let end = s.offset
        guard type == "Feature" else {
            throw s.error(
                "feature #\(index) has type \(type.map { "\"\($0)\"" } ?? "missing"); expected \"Feature\"", at: start,
                rule: "geojson.structure")
        }
        var feature = SourceFeature(index: index, id: id, properties: properties, geometry: nil)
        if let inPlace {
            switch inPlace {
            case .success(let geometry): feature.geometry = geometry
            case .failure(let problem): feature.geometryProblem = problem.message
            }
        } else if let geometryOffset {
            s.offset = geometryOffset
            if s.peek() == UInt8(ascii: "n") {
                _ = try s.value()  // null geometry
            } else {
                do {
                    feature.geometry = try geometry(&s)
                } catch let problem as ShapeProblem {
                    feature.geometryProblem = problem.message
                }
            }
        } else {
            feature.geometryProblem = "the feature has no \"geometry\" member"
        }
        s.offset = end
        return feature
    }

    /// A feature's "geometry" member read where it stands (nil for null); a shape problem is
    /// returned, after the member has been skipped over (its JSON syntax checked) from its start.
    private mutating func geometryInPlace(_ s: inout JSONScanner) throws -> Result<Geometry?, ShapeProblem> {
        let start = s.offset
        if s.peek() == UInt8(ascii: "n") {
            _ = try s.value()  // null geometry
            return .success(nil)
        }
        do {
            return .success(try geometry(&s))
        } catch let problem as ShapeProblem {
            s.offset = start
            try s.skipValue()
            return .failure(problem)
        }
    }

    /// A geometry object; `coordinates` is parsed once its `type` is known, wherever it stands
    /// (where it stands when "type" came first).
    mutating func geometry(_ s: inout JSONScanner) throws -> Geometry {
        guard s.peek() == UInt8(ascii: "{") else { throw ShapeProblem(message: "\"geometry\" is not an object") }
        var type: String?
        var coordinatesOffset: Int?
        var geometriesOffset: Int?
        var inPlace: (type: String, result: Result<Geometry, ShapeProblem>)?
        try s.forEachMember { s, key in
            switch key {
            case "type": type = try s.peek() == UInt8(ascii: "\"") ? s.string() : nil
            case "coordinates":
                coordinatesOffset = s.offset
                inPlace = nil
                if let type, type != "GeometryCollection" {
                    do {
                        inPlace = (type, .success(try coordinates(&s, type: type)))
                    } catch let problem as ShapeProblem {
                        inPlace = (type, .failure(problem))
                        s.offset = coordinatesOffset!
                        try s.skipValue()
                    }
                } else {
                    try s.skipValue()
                }
            case "geometries":
                geometriesOffset = s.offset
                try s.skipValue()
            default: try s.skipValue()
            }
        }
        let end = s.offset
        defer { s.offset = end }
        guard let type else { throw ShapeProblem(message: "the geometry has no \"type\"") }
        if type == "GeometryCollection" {
            guard let geometriesOffset else { throw ShapeProblem(message: "a GeometryCollection needs \"geometries\"") }
            s.offset = geometriesOffset
            var members: [Geometry] = []
            guard s.peek() == UInt8(ascii: "[") else { throw ShapeProblem(message: "\"geometries\" must be an array") }
            try s.forEachElement { s, _ in members.append(try geometry(&s)) }
            return .collection(members)
        }
        guard let coordinatesOffset else { throw ShapeProblem(message: "the \(type) has no \"coordinates\"") }
        if let inPlace, inPlace.type == type { return try inPlace.result.get() }
        s.offset = coordinatesOffset
        return try coordinates(&s, type: type)
    }

    /// The "coordinates" of a geometry of `type`.
    private func coordinates(_ s: inout JSONScanner, type: String) throws -> Geometry {
        switch type {
        case "Point": return .point(try position(&s))
        case "MultiPoint": return .multiPoint(try list(&s) { try position(&$0) })
        case "LineString": return .lineString(try line(&s, "LineString"))
        case "MultiLineString": return .multiLineString(try list(&s) { try line(&$0, "MultiLineString part") })
        case "Polygon": return .polygon(try polygon(&s, part: nil))
        case "MultiPolygon":
            var part = 0
            return .multiPolygon(
                try list(&s) { s in
                    defer { part += 1 }
                    return try polygon(&s, part: part)
                })
        default: throw ShapeProblem(message: "unknown geometry type \"\(type)\"")
        }
    }

    private func list<T>(_ s: inout JSONScanner, _ element: (inout JSONScanner) throws -> T) throws -> [T] {
        guard s.peek() == UInt8(ascii: "[") else { throw ShapeProblem(message: "coordinates must be nested arrays") }
        var out: [T] = []
        try s.forEachElement { s, _ in out.append(try element(&s)) }
        return out
    }

    private func position(_ s: inout JSONScanner) throws -> Position {
        guard s.peek() == UInt8(ascii: "[") else {
            throw ShapeProblem(message: "a position must be an array of numbers")
        }
        var values: [Double] = []
        try s.forEachElement { s, _ in
            guard let b = s.peek(), b == UInt8(ascii: "-") || (b >= 0x30 && b <= 0x39) else {
                throw ShapeProblem(message: "a position must hold numbers only")
            }
            values.append(try s.number())
        }
        guard values.count >= 2 else {
            throw ShapeProblem(message: "a position needs at least 2 numbers (got \(values.count))")
        }
        guard values[0].isFinite, values[1].isFinite else {
            throw ShapeProblem(message: "a coordinate is out of range")
        }
        return Position(x: values[0], y: values[1])
    }

    private func line(_ s: inout JSONScanner, _ what: String) throws -> [Position] {
        let ps = try list(&s) { try position(&$0) }
        guard ps.count >= 2 else {
            throw ShapeProblem(message: "a \(what) needs at least 2 positions (got \(ps.count))")
        }
        return ps
    }

    private func polygon(_ s: inout JSONScanner, part: Int?) throws -> [Ring] {
        let rings = try list(&s) { try list(&$0) { try position(&$0) } }
        for (r, ring) in rings.enumerated() {
            let name = (part.map { "polygon \($0), " } ?? "") + (r == 0 ? "exterior ring" : "hole \(r)")
            guard ring.count >= 4 else {
                throw ShapeProblem(message: "\(name) has \(ring.count) positions; a ring needs at least 4")
            }
            guard ring.first == ring.last else {
                throw ShapeProblem(message: "\(name) is not closed (its first and last positions differ)")
            }
        }
        return rings
    }
}
