import ArgumentParser
import Foundation
import GridPlanKit

@main
struct GridPlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gridplan",
        abstract: "Plan grids (网格) and micro-grids for grid governance, and mobilise on them.",
        subcommands: [
            Check.self, Import.self, Partition.self, Staff.self, Testing.self, Recall.self, Serve.self, Report.self,
            Export.self, Rules.self,
        ])

    /// Runs the command with GridPlan's exit-code contract: 0 done, 1 problems found in the
    /// data, 2 unusable input or arguments (ArgumentParser's own usage errors would be 64).
    /// Results are written with ``say(_:terminator:)``, which turns a failed write into exit 2.
    static func main() async {
        var code: Int32 = 0
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            code = exitCode(for: error).rawValue
            let message = fullMessage(for: error)
            if code == 0 {
                // --help, --version: their text goes to standard output.
                if !message.isEmpty { print(message) }
            } else if !message.isEmpty {
                FileHandle.standardError.write(Data((message + "\n").utf8))
            }
            if code == ExitCode.validationFailure.rawValue { code = 2 }
        }
        // Everything is written and renamed into place by now: flush standard output and
        // leave without exit()'s teardown (C++ destructors of GEOS and PROJ, ~3 ms a run).
        fflush(nil)
        _exit(code)
    }
}

/// Options shared by commands that read GeoJSON.
struct InputFlags: ParsableArguments {
    @Option(help: "CRS of the input coordinates when not WGS84: gcj02, EPSG:4547, a PROJ string.")
    var crs: String?

    @Option(name: .customLong("field"), help: "Property name of a field, e.g. households=HH_COUNT (repeatable).")
    var fields: [String] = []

    @Option(help: "Kind of units whose features have no kind property (village, community, town, county, ...).")
    var kind: String?

    @Option(help: "Text encoding of a Shapefile's attributes when it has no .cpg, e.g. GBK (GDAL sources).")
    var encoding: String?

    @Option(
        help: ArgumentHelp(
            "A table (.xlsx, .ods or .csv; book.xlsx:SHEET) of households and population to join onto the units "
                + "by code, or by name within the parent with --key name.",
            valueName: "table"))
    var households: String?

    @Option(help: "How the --households table's rows find their units: code (default) or name.")
    var key: String?

    func options() throws -> InputOptions {
        try InputOptions(
            crs: crs, fields: fields, defaultKind: kind, encoding: encoding, householdsTable: households, key: key)
    }
}

/// Tolerances of the check that `check`, `import` and `partition` run.
struct CheckFlags: ParsableArguments {
    @Option(help: "Ignore overlaps and gaps smaller than this many m².")
    var tolerance: Double = 1

    @Flag(help: "Do not report gaps between sibling units.")
    var noGaps = false

    @Flag(
        help: ArgumentHelp(
            "Repair invalid unit boundaries and building footprints (GEOS make-valid, structure method) instead of "
                + "refusing them; each repair is listed as a warning.")
    )
    var repair = false

    var options: CheckOptions { CommandSupport.checkOptions(tolerance: tolerance, checkGaps: !noGaps, repair: repair) }

    func validate() throws {
        // NaN would switch the overlap and gap rules off without a word.
        guard tolerance.isFinite, tolerance >= 0 else {
            throw ValidationError("--tolerance expects a number of m² ≥ 0 (e.g. 1), got \(tolerance)")
        }
    }
}

/// Progress lines on stderr, so stdout stays clean for results.
func progress(_ message: String) {
    FileHandle.standardError.write(Data("gridplan: \(message)\n".utf8))
}

/// Writes results to standard output. A write that fails (a full disk, say) ends the command
/// with exit code 2 and says so, instead of reporting success with half the output lost.
func say(_ text: String, terminator: String = "\n") throws {
    do {
        try FileHandle.standardOutput.write(contentsOf: Data((text + terminator).utf8))
    } catch {
        FileHandle.standardError.write(
            Data(
                ("gridplan: error: cannot write to standard output: \(CommandSupport.describe(error)); free the disk "
                    + "or send the output elsewhere\n").utf8))
        throw ExitCode(2)
    }
}

/// Prints an error the way every command does and maps it to exit code 2.
func fail(_ error: Error) -> ExitCode {
    FileHandle.standardError.write(Data("gridplan: error: \(CommandSupport.describe(error))\n".utf8))
    return ExitCode(2)
}
