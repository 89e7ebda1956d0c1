import GridPlanGeometryValues
import GridPlanModel

/// Named points of a GeoJSON file (sampling sites, shelter ports): each a Point with a unique
/// `id` (property, feature id, or `<what><n>`) and a `name` (or 名称, else the id). Errors name
/// the file and the feature, with rules `<what>s.empty`, `.geometry` and `.id-duplicate`.
public struct PointFeature: Sendable {
    public var id: String
    public var name: String
    public var point: Position
    public var feature: SourceFeature

    /// An error about this feature, naming the file and the feature.
    public func error(_ file: String, _ rule: String, _ message: String) -> InputError {
        InputError(file: file, feature: FeatureReference(index: feature.index, id: id), rule: rule, message)
    }

    /// Reads the file; `what` is the singular noun used in ids, rules and messages ("site", "port").
    public static func read(_ path: String, crs: CRS?, what: String, encoding: String? = nil) throws -> [PointFeature] {
        let document = try VectorReader.read(path, crs: crs, encoding: encoding)
        guard !document.features.isEmpty else {
            throw InputError(file: path, rule: "\(what)s.empty", "the \(what)s file has no features")
        }
        var seen: [String: Int] = [:]
        return try document.features.map { f in
            let id = f.properties["id"]?.identifierText ?? f.id?.identifierText ?? "\(what)\(f.index + 1)"
            func fail(_ rule: String, _ message: String) -> InputError {
                InputError(file: path, feature: FeatureReference(index: f.index, id: id), rule: rule, message)
            }
            if let problem = f.geometryProblem { throw fail("\(what)s.geometry", problem) }
            guard case .point(let point)? = f.geometry else {
                throw fail(
                    "\(what)s.geometry",
                    "a \(what) must be a Point (got \(f.geometry.map { $0.typeName } ?? "no geometry"))")
            }
            if let first = seen[id] {
                throw fail("\(what)s.id-duplicate", "id \(id) is already used by feature #\(first)")
            }
            seen[id] = f.index
            let name: String
            if case .string(let s)? = f.properties["name"] ?? f.properties["名称"] { name = s } else { name = id }
            return PointFeature(id: id, name: name, point: point, feature: f)
        }
    }
}
