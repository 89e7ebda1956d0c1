import ArgumentParser
import GridPlanKit

extension GridPlanCommand {
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Validate unit boundaries (and buildings) before planning.",
            discussion:
                "Exit status: 0 no problems (warnings allowed), 1 problems found, 2 unusable input or arguments.")

        @Argument(help: "GeoJSON files of units (villages, communities, towns, ...).")
        var files: [String] = []

        @Option(help: "GeoJSON file of buildings (points or footprints); repeatable.")
        var buildings: [String] = []

        @OptionGroup var input: InputFlags

        @OptionGroup var checking: CheckFlags

        @Flag(help: "Print the report as JSON.")
        var json = false

        @Flag(help: "Count warnings as problems (exit 1).")
        var strict = false

        func run() throws {
            guard !files.isEmpty || !buildings.isEmpty else {
                throw fail(ValidationError("give at least one GeoJSON file to check"))
            }
            let report: CheckReport
            do {
                let options = try input.options()
                report = try CheckWorkflow.run(
                    unitFiles: files, buildingFiles: buildings, input: options,
                    options: checking.options, progress: progress)
            } catch {
                throw fail(error)
            }
            try say(CommandSupport.checkText(report, json: json), terminator: "")
            var code = report.exitCode
            if strict && code == 0 && report.count(.warning) > 0 { code = 1 }
            if code != 0 { throw ExitCode(code) }
        }
    }
}
