import ArgumentParser
import GridPlanKit

extension GridPlanCommand {
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Check units and buildings and put them into a plan file (a GeoPackage).",
            discussion: """
                The inputs are checked first (as by `gridplan check`); when an error is found nothing is written \
                and the exit status is 1. Exit status 2: unusable input or arguments.
                """)

        @Argument(help: "GeoJSON files of units.")
        var files: [String] = []

        @Option(help: "GeoJSON file of buildings (points or footprints); repeatable.")
        var buildings: [String] = []

        @Option(help: "The plan file to create or update (a GeoPackage, e.g. plan.gpkg).")
        var plan: String

        @OptionGroup var input: InputFlags

        @OptionGroup var checking: CheckFlags

        func run() throws {
            guard !files.isEmpty else { throw fail(ValidationError("give at least one GeoJSON file of units")) }
            let result: ImportResult
            do {
                result = try ImportWorkflow.run(
                    unitFiles: files, buildingFiles: buildings, plan: plan, input: try input.options(),
                    options: checking.options,
                    arguments: Array(CommandLine.arguments.dropFirst()), progress: progress)
            } catch {
                throw fail(error)
            }
            if !result.report.diagnostics.isEmpty {
                try say(CommandSupport.checkText(result.report), terminator: "")
            }
            guard result.written else {
                progress("nothing written to \(plan): fix the problems above (or use --repair for invalid geometries)")
                throw ExitCode(result.report.exitCode)
            }
            try say(
                "imported \(result.unitCount) units and \(result.buildingCount) buildings into \(plan)"
                    + (result.repaired > 0 ? " (\(result.repaired) geometries repaired)" : ""))
        }
    }
}
