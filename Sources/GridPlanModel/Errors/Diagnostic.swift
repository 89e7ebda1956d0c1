import Foundation
import GridPlanGeometryValues

/// One finding of a check: a broken rule at a place, with what a planner needs to fix it.
public struct Diagnostic: Sendable, Equatable, CustomStringConvertible {
    public enum Severity: String, Sendable, Comparable {
        /// The file cannot be used at all (unreadable, not GeoJSON, wrong CRS).
        case fatal
        /// A rule is broken; the data must be fixed before planning.
        case error
        /// Suspicious but usable (e.g. population missing, estimable from households).
        case warning

        private var rank: Int {
            switch self {
            case .fatal: 0
            case .error: 1
            case .warning: 2
            }
        }

        public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
    }

    public var severity: Severity
    public var rule: String
    public var file: String
    /// 1-based line, for row-based files (CSV).
    public var line: Int?
    public var feature: FeatureReference?
    /// Other features involved (the other unit of an overlap, the parent of a gap).
    public var related: [FeatureReference]
    public var message: String
    /// Where to look, lon/lat.
    public var location: Position?
    /// Size of the problem where it has one (overlap or gap area).
    public var areaSquareMetres: Double?

    public init(
        _ severity: Severity, rule: String, file: String, line: Int? = nil, feature: FeatureReference? = nil,
        related: [FeatureReference] = [], message: String, location: Position? = nil,
        areaSquareMetres: Double? = nil
    ) {
        self.line = line
        self.severity = severity
        self.rule = rule
        self.file = file
        self.feature = feature
        self.related = related
        self.message = message
        self.location = location
        self.areaSquareMetres = areaSquareMetres
    }

    public init(_ error: InputError, severity: Severity = .fatal) {
        self.init(
            severity, rule: error.rule, file: error.file ?? "", feature: error.feature,
            message: error.message
                + (error.line.map { " (line \($0)\(error.column.map { ", column \($0)" } ?? ""))" } ?? ""))
    }

    public var description: String {
        var text = file.isEmpty ? "" : "\(file)\(line.map { ":\($0)" } ?? ""): "
        if let feature { text += "\(feature): " }
        text += "\(severity.rawValue) [\(rule)] \(message)"
        if let location { text += " at \(Diagnostic.lonLat(location))" }
        return text
    }

    static func lonLat(_ p: Position) -> String {
        func f(_ v: Double) -> String {
            var s = String(format: "%.6f", v)
            while s.hasSuffix("0") { s.removeLast() }
            if s.hasSuffix(".") { s.removeLast() }
            return s
        }
        return "(\(f(p.x)), \(f(p.y)))"
    }
}
