import Foundation
import GridPlanEngines
import GridPlanGeometryValues
import GridPlanModel

/// Renders a check report for people (one line per finding, then a summary) or machines (JSON).
public enum CheckReportRenderer {
    public static func text(_ report: CheckReport) -> String {
        var lines = report.diagnostics.map(\.description)
        let read = report.sources.filter { $0.driver != "GeoJSON" || $0.declaredCRS != nil || !$0.notFound.isEmpty }
        if !read.isEmpty {
            if !lines.isEmpty { lines.append("") }
            lines += read.flatMap(sourceLines)
        }
        let errors = report.count(.error), warnings = report.count(.warning), fatal = report.count(.fatal)
        var byRule: [String: Int] = [:]
        for d in report.diagnostics { byRule[d.rule, default: 0] += 1 }
        let rules = byRule.keys.sorted().map { "\($0) ×\(byRule[$0]!)" }.joined(separator: ", ")
        lines.append("")
        lines.append(
            "checked \(report.files.count) file\(report.files.count == 1 ? "" : "s"): \(report.unitCount) units, "
                + "\(report.buildingCount) buildings"
                + (report.measuredIn.map { "; areas in \($0)" } ?? ""))
        if report.diagnostics.isEmpty {
            lines.append("no problems found")
        } else {
            var counts: [String] = []
            if fatal > 0 { counts.append("\(fatal) unusable file\(fatal == 1 ? "" : "s")") }
            counts.append("\(errors) error\(errors == 1 ? "" : "s")")
            counts.append("\(warnings) warning\(warnings == 1 ? "" : "s")")
            lines.append(counts.joined(separator: ", ") + " (" + rules + ")")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// How one file was read, and the fields it lacks with the names it has instead.
    static func sourceLines(_ s: SourceSummary) -> [String] {
        var head = "\(s.file): read with \(s.driver == "GeoJSON" ? "GridPlan's GeoJSON reader" : "GDAL \(s.driver)")"
        if let layer = s.layer { head += ", layer \"\(layer)\"" }
        head += ", \(s.featureCount) feature\(s.featureCount == 1 ? "" : "s")"
        var lines = [head]
        let crs = s.declaredCRS.map { "the file says \($0); " } ?? "the file names no CRS; "
        lines.append(
            "  CRS: \(crs)"
                + (s.convertedFrom.isEmpty ? "WGS84 lon/lat, nothing to convert" : "converted from \(s.convertedFrom)"))
        if let encoding = s.encoding { lines.append("  encoding: \(encoding)") }
        if !s.used.isEmpty {
            lines.append(
                "  fields: "
                    + s.used.map { $0.field == $0.property ? $0.field : "\($0.field)=\($0.property)" }
                    .joined(separator: ", "))
        }
        if !s.notFound.isEmpty {
            let names = s.properties.prefix(30).joined(separator: ", ") + (s.properties.count > 30 ? ", …" : "")
            lines.append(
                "  not found: \(s.notFound.joined(separator: ", ")); the file's fields are: "
                    + (names.isEmpty ? "(none)" : names) + " (map one with --field FIELD=NAME)")
        }
        return lines
    }

    static func sourceJSON(_ s: SourceSummary) -> PropertyValue {
        .object([
            ("file", .string(s.file)), ("driver", .string(s.driver)),
            ("layer", s.layer.map(PropertyValue.string) ?? .null),
            ("declared_crs", s.declaredCRS.map(PropertyValue.string) ?? .null),
            ("converted_from", .string(s.convertedFrom)), ("encoding", s.encoding.map(PropertyValue.string) ?? .null),
            ("features", .number(Double(s.featureCount))),
            ("fields", .object(s.used.map { ($0.field, .string($0.property)) })),
            ("not_found", .array(s.notFound.map(PropertyValue.string))),
            ("properties", .array(s.properties.map(PropertyValue.string))),
        ])
    }

    public static func json(_ report: CheckReport) -> String {
        func num(_ v: Double?) -> PropertyValue { v.map { .number(($0 * 1e7).rounded() / 1e7) } ?? .null }
        let diagnostics: [PropertyValue] = report.diagnostics.map { d in
            var members: Properties = [
                ("severity", .string(d.severity.rawValue)), ("rule", .string(d.rule)), ("file", .string(d.file)),
                ("feature_index", d.feature.map { .number(Double($0.index)) } ?? .null),
                ("feature_id", d.feature?.id.map(PropertyValue.string) ?? .null),
                ("message", .string(d.message)),
            ]
            members.append(
                (
                    "related",
                    .array(
                        d.related.map {
                            .object([
                                ("feature_index", .number(Double($0.index))),
                                ("feature_id", $0.id.map(PropertyValue.string) ?? .null),
                            ])
                        })
                ))
            members.append(("location", d.location.map { .array([num($0.x), num($0.y)]) } ?? .null))
            members.append(("area_m2", d.areaSquareMetres.map { .number(($0 * 10).rounded() / 10) } ?? .null))
            return .object(members)
        }
        let root: PropertyValue = .object([
            ("files", .array(report.files.map(PropertyValue.string))),
            ("units", .number(Double(report.unitCount))),
            ("buildings", .number(Double(report.buildingCount))),
            ("measured_in", report.measuredIn.map(PropertyValue.string) ?? .null),
            ("fatal", .number(Double(report.count(.fatal)))),
            ("errors", .number(Double(report.count(.error)))),
            ("warnings", .number(Double(report.count(.warning)))),
            ("exit_code", .number(Double(report.exitCode))),
            ("diagnostics", .array(diagnostics)),
            ("sources", .array(report.sources.map(sourceJSON))),
        ])
        var out = JSONText()
        out.value(root)
        return String(decoding: out.bytes, as: UTF8.self) + "\n"
    }
}
