import Foundation

/// The style sheet and script of the HTML report, kept as files (`Reports/Assets/`, a SwiftPM
/// resource) so they can be read, linted and reused rather than living in string literals.
public enum ReportAssets {
    public static func css() throws -> String { try text("report.css") }
    public static func javaScript() throws -> String { try text("report.js") }

    static func text(_ name: String) throws -> String {
        try BundledFiles.text(
            name, folder: "Assets", bundle: "GridPlan_GridPlanIO.resources",
            sourceFolder: URL(fileURLWithPath: #filePath).deletingLastPathComponent().path)
    }
}
