import Foundation
import GridPlanModel

/// Files a target ships as a SwiftPM resource (the report's style sheet, the server's pages).
///
/// SwiftPM's generated `Bundle.module` stops the process when the bundle is missing, so the
/// bundle is looked up here instead and a missing one is an error the user can act on: beside the
/// executable first (where `swift build` puts `GridPlan_<target>.resources` and where an
/// installation must copy it), then in the source folder the module was built from.
public enum BundledFiles {
    /// The folders searched for `bundle`, in order; `sourceFolder` is the resource folder's
    /// parent in the source tree.
    static func candidates(bundle: String, sourceFolder: String) -> [URL] {
        var folders: [URL] = []
        if let executable = Bundle.main.executableURL?.resolvingSymlinksInPath() {
            folders.append(executable.deletingLastPathComponent().appendingPathComponent(bundle))
        }
        folders.append(Bundle.main.bundleURL.appendingPathComponent(bundle))
        folders.append(URL(fileURLWithPath: sourceFolder))
        return folders
    }

    /// The text of `folder/name` in `bundle` (e.g. "Assets/report.css").
    public static func text(_ name: String, folder: String, bundle: String, sourceFolder: String) throws -> String {
        let searched = candidates(bundle: bundle, sourceFolder: sourceFolder)
        for base in searched {
            let file = base.appendingPathComponent(folder).appendingPathComponent(name)
            if let data = FileManager.default.contents(atPath: file.path),
                let text = String(data: data, encoding: .utf8)
            {
                return text
            }
        }
        throw InputError(
            file: name, rule: "install.resources",
            "\(name) was not found: copy the folder \(bundle), which the build puts next to the gridplan binary, "
                + "to the folder where gridplan is installed (looked in "
                + searched.map(\.path).joined(separator: ", ") + ")")
    }
}
