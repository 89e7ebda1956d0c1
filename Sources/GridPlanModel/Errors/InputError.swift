/// Which feature of a file a message is about: its 0-based position and, when known, its
/// code or id. Printed as "feature #12 (440703001001)".
public struct FeatureReference: Sendable, Hashable, CustomStringConvertible {
    public var index: Int
    public var id: String?

    public init(index: Int, id: String? = nil) {
        self.index = index
        self.id = id
    }

    public var description: String {
        id.map { "feature #\(index) (\($0))" } ?? "feature #\(index)"
    }
}

/// A domain or input error: bad files, bad values, bad arguments. Always names the file,
/// and the feature or line when there is one, and the rule that was broken.
/// Failures inside GEOS/PROJ are `GeometryLibraryError` instead.
public struct InputError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String?
    public var feature: FeatureReference?
    /// 1-based line and column for syntax errors.
    public var line: Int?
    public var column: Int?
    /// A stable rule id, e.g. "json.syntax", "geojson.structure", "crs.not-lonlat".
    public var rule: String
    public var message: String

    public init(
        file: String? = nil, feature: FeatureReference? = nil, line: Int? = nil, column: Int? = nil, rule: String,
        _ message: String
    ) {
        self.file = file
        self.feature = feature
        self.line = line
        self.column = column
        self.rule = rule
        self.message = message
    }

    public var description: String {
        var place = file ?? ""
        if let line { place += ":\(line)" + (column.map { ":\($0)" } ?? "") }
        if let feature { place += place.isEmpty ? "\(feature)" : ": \(feature)" }
        return (place.isEmpty ? "" : place + ": ") + "\(message) [\(rule)]"
    }
}
