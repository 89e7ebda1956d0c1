import Foundation
import GridPlanModel

/// The style sheet and script of the HTML report, kept as files (`Reports/Assets/`, a SwiftPM
/// resource) so they can be read, linted and reused rather than living in string literals.
///
/// SwiftPM's generated `Bundle.module` stops the process when the bundle is missing, so the
/// bundle is looked up here instead and a missing one is an error the user can act on: beside the
/// executable first (where `swift build` puts `GridPlan_GridPlanIO.resources` and where an
/// installation must copy it), then in the source tree this module was built from.
public enum ReportAssets {
    /// The bundle's folder name, as SwiftPM names it: package_target.resources.
    public static let bundleName = "GridPlan_GridPlanIO.resources"

    public static func css() throws -> String { try text("report.css") }
    public static func javaScript() throws -> String { try text("report.js") }

    /// The folders searched, in order.
    static var candidates: [URL] {
        var folders: [URL] = []
        if let executable = Bundle.main.executableURL?.resolvingSymlinksInPath() {
            folders.append(executable.deletingLastPathComponent().appendingPathComponent(bundleName))
        }
        folders.append(Bundle.main.bundleURL.appendingPathComponent(bundleName))
        folders.append(URL(fileURLWithPath: #filePath).deletingLastPathComponent())
        return folders
    }

    static func text(_ name: String) throws -> String {
        for folder in candidates {
            for file in [folder.appendingPathComponent("Assets/\(name)"), folder.appendingPathComponent(name)] {
                if let data = FileManager.default.contents(atPath: file.path),
                    let text = String(data: data, encoding: .utf8)
                {
                    return text
                }
            }
        }
        throw InputError(
            file: name, rule: "install.resources",
            "the HTML report's \(name) was not found: copy the folder \(bundleName), which the build puts next to "
                + "the gridplan binary, to the folder where gridplan is installed (looked in "
                + candidates.map(\.path).joined(separator: ", ") + ")")
    }
}
