import Foundation
import GridPlanTestSupport
import Testing

/// `check_layers.py` (run by build.sh, so by CI) is the check that the layers import only
/// downward. These tests run it on a copy of the package with one rule broken at a time and
/// expect a failure naming the file and line: a check that cannot fail would be no check.
@Suite struct LayerCheckTests {
    /// A copy of Package.swift, Sources and Tests' Swift files in a fresh folder.
    func packageCopy() throws -> URL {
        let fm = FileManager.default
        let copy = fm.temporaryDirectory.appendingPathComponent("gridplan-layers-\(UUID().uuidString)")
        try fm.createDirectory(at: copy, withIntermediateDirectories: true)
        try fm.copyItem(
            at: CLI.repository.appendingPathComponent("Package.swift"), to: copy.appendingPathComponent("Package.swift")
        )
        for folder in ["Sources", "Tests"] {
            let from = CLI.repository.appendingPathComponent(folder)
            let files = fm.enumerator(at: from, includingPropertiesForKeys: nil)!
            for case let file as URL in files
            where file.pathExtension == "swift" || file.lastPathComponent == "module.modulemap" {
                let relative = String(file.path.dropFirst(from.path.count + 1))
                let target = copy.appendingPathComponent(folder).appendingPathComponent(relative)
                try fm.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
                try fm.copyItem(at: file, to: target)
            }
        }
        return copy
    }

    func check(_ copy: URL) throws -> (status: Int32, output: String) {
        let script = CLI.repository.appendingPathComponent("notebooks-free-scripts/check_layers.py").path
        return try runProgram("/usr/bin/env", ["python3", script, copy.path])
    }

    /// Puts the repository's version of `relative` back into the copy.
    func restore(_ relative: String, in copy: URL) throws {
        try String(contentsOf: CLI.repository.appendingPathComponent(relative), encoding: .utf8)
            .write(to: copy.appendingPathComponent(relative), atomically: true, encoding: .utf8)
    }

    func prepend(_ line: String, to relative: String, in copy: URL) throws {
        let file = copy.appendingPathComponent(relative)
        let text = try String(contentsOf: file, encoding: .utf8)
        try (line + "\n" + text).write(to: file, atomically: true, encoding: .utf8)
    }

    @Test(.enabled(if: Tool.python, "needs python3 (setup.sh installs it)"))
    func theRepositoryPassesAndEachBrokenRuleFails() throws {
        let copy = try packageCopy()
        defer { try? FileManager.default.removeItem(at: copy) }
        let clean = try check(copy)
        #expect(clean.status == 0, "\(clean.output)")
        #expect(clean.output.contains("every import declared and downward"), "\(clean.output)")

        // The model importing the C-backed geometry: "the model has no C".
        let model = "Sources/GridPlanModel/Planning/Grid.swift"
        try prepend("import GridPlanGeometry", to: model, in: copy)
        var r = try check(copy)
        #expect(r.status == 1)
        #expect(
            r.output.contains("\(model):1: GridPlanModel imports GridPlanGeometry without declaring it"), "\(r.output)")
        try restore(model, in: copy)

        // The CLI skipping Kit to reach an engine.
        let cli = "Sources/gridplan/GridPlanCommand.swift"
        try prepend("import GridPlanEngines", to: cli, in: copy)
        r = try check(copy)
        #expect(r.status == 1)
        #expect(r.output.contains("\(cli):1: gridplan imports GridPlanEngines without declaring it"), "\(r.output)")
        try restore(cli, in: copy)

        // A lower layer importing a higher one, even when declared.
        let engine = "Sources/GridPlanEngines/Support/CellGrid.swift"
        try prepend("import GridPlanIO", to: engine, in: copy)
        r = try check(copy)
        #expect(r.status == 1)
        #expect(r.output.contains("\(engine):1: GridPlanEngines imports GridPlanIO"), "\(r.output)")
        try restore(engine, in: copy)

        // The model declaring a dependency that links C.
        let manifest = copy.appendingPathComponent("Package.swift")
        let text = try String(contentsOf: manifest, encoding: .utf8)
        let declared = #".target(name: "GridPlanModel", dependencies: ["GridPlanGeometryValues"])"#
        #expect(text.contains(declared))
        try text.replacingOccurrences(
            of: declared,
            with: #".target(name: "GridPlanModel", dependencies: ["GridPlanGeometryValues", "GridPlanGeometry"])"#
        )
        .write(to: manifest, atomically: true, encoding: .utf8)
        r = try check(copy)
        #expect(r.status == 1)
        #expect(r.output.contains("GridPlanModel depends on GridPlanGeometry; it holds values only"), "\(r.output)")
        #expect(r.output.contains("GridPlanModel depends on CGEOS"), "\(r.output)")
    }
}
