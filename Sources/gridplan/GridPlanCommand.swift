import ArgumentParser
import Foundation
import GridPlanEngines
import GridPlanKit
import GridPlanModel

@main
struct GridPlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gridplan",
        abstract: "Plan grids (网格) and micro-grids for grid governance, and mobilise on them.",
        subcommands: [Check.self, Import.self, Partition.self, Staff.self, Testing.self, Recall.self, Report.self, Export.self, Rules.self])
}

/// Options shared by commands that read GeoJSON.
struct InputFlags: ParsableArguments {
    @Option(help: "CRS of the input coordinates when not WGS84: gcj02, EPSG:4547, a PROJ string.")
    var crs: String?

    @Option(name: .customLong("field"), help: "Property name of a field, e.g. households=HH_COUNT (repeatable).")
    var fields: [String] = []

    @Option(help: "Kind of units whose features have no kind property (village, community, town, county, ...).")
    var kind: String?

    func options() throws -> InputOptions {
        try InputOptions(crs: crs, fields: fields, defaultKind: kind)
    }
}

/// Tolerances of the check that `check`, `import` and `partition` run.
struct CheckFlags: ParsableArguments {
    @Option(help: "Ignore overlaps and gaps smaller than this many m².")
    var tolerance: Double = 1

    @Flag(help: "Do not report gaps between sibling units.")
    var noGaps = false

    @Flag(help: "Repair invalid unit boundaries and building footprints (GEOS make-valid, structure method) instead of refusing them; each repair is listed as a warning.")
    var repair = false

    var options: CheckOptions { CheckOptions(areaTolerance: tolerance, checkGaps: !noGaps, repair: repair) }
}

/// Progress lines on stderr, so stdout stays clean for results.
func progress(_ message: String) {
    FileHandle.standardError.write(Data("gridplan: \(message)\n".utf8))
}

/// Prints an error the way every command does and maps it to exit code 2.
func fail(_ error: Error) -> ExitCode {
    FileHandle.standardError.write(Data("gridplan: error: \(error)\n".utf8))
    return ExitCode(2)
}
