import ArgumentParser
import GridPlanKit

extension GridPlanCommand {
    struct Rules: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rules",
            abstract: "Print the default partition rules as a TOML file, each with its source.")

        func run() throws {
            try say(CommandSupport.rulesTemplate(), terminator: "")
        }
    }

    struct Partition: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "partition",
            abstract: "Divide units into grids (网格) and micro-grids (微网格).",
            discussion: """
                Writes OUT/grids.geojson, OUT/microgrids.geojson, OUT/report.json and OUT/plan.gpkg, and prints a \
                summary. The units are checked first; when the check finds an error nothing is written (exit 1). \
                Without buildings, households are spread evenly over each unit's area; with --buildings, grids and \
                micro-grids are made of whole buildings (households given, or spread from the unit total by floor \
                area). With --barriers, boundaries run along the given lines (roads, rivers) where the household \
                balance allows.
                """)

        @Option(name: .customLong("units"), help: "GeoJSON file of units (repeatable: counties, towns, villages...).")
        var unitFiles: [String] = []

        @Option(name: .customLong("buildings"), help: "GeoJSON file of buildings (points or footprints; repeatable).")
        var buildingFiles: [String] = []

        @Option(
            name: .customLong("barriers"),
            help: "GeoJSON file of lines grid boundaries should follow: roads, rivers (repeatable).")
        var barrierFiles: [String] = []

        @Option(help: "Output folder (created if needed).")
        var out: String

        @Option(help: "Rules file (TOML) overriding the default norms; `gridplan rules` prints one to start from.")
        var rules: String?

        @Option(
            help: "An earlier plan (its folder or plan.gpkg): matching grids keep their codes; writes OUT/lineage.csv.")
        var previous: String?

        @Option(
            name: .customLong("grids"),
            help: "Exactly N grids for a unit: CODE=N (repeatable), e.g. one per available worker.")
        var gridCounts: [String] = []

        @Option(
            help: ArgumentHelp(
                "How units with buildings are cut: blocks (street blocks and building cells grouped by a graph "
                    + "partition; the default) or bisection (straight cuts, the first engine).")
        )
        var engine: String = PartitionEngineKind.streetBlocks.rawValue

        @OptionGroup var input: InputFlags
        @OptionGroup var checking: CheckFlags

        func run() async throws {
            guard !unitFiles.isEmpty else { throw fail(ValidationError("give at least one --units file")) }
            let run: PartitionRun
            do {
                let norms = try CommandSupport.partitionRules(rules)
                let earlier = try previous.map(PartitionWorkflow.previousPlan)
                guard let engineKind = PartitionEngineKind(rawValue: engine) else {
                    throw CommandSupport.argumentError(
                        "engine", "--engine expects blocks or bisection, got \"\(engine)\"")
                }
                var options = PartitionOptions(
                    rules: norms, gridCounts: try PartitionWorkflow.gridCounts(gridCounts), previous: earlier?.grids,
                    issuedSequences: earlier?.sequences ?? [:])
                options.engine = engineKind
                run = try await PartitionWorkflow.run(
                    unitFiles: unitFiles, buildingFiles: buildingFiles, barrierFiles: barrierFiles, out: out,
                    input: try input.options(), checking: checking.options, options: options,
                    arguments: Array(CommandLine.arguments.dropFirst()), protectedFiles: rules.map { [$0] } ?? [],
                    progress: progress)
            } catch {
                throw fail(error)
            }
            guard let result = run.result else {
                try say(CommandSupport.checkText(run.report), terminator: "")
                progress("nothing partitioned: fix the problems above first")
                throw ExitCode(run.report.exitCode)
            }
            // Warnings of the check (repairs made, buildings outside every unit, …) come first.
            if !run.report.diagnostics.isEmpty { try say(CommandSupport.checkText(run.report)) }
            // What the partition changed or estimated (households taken from buildings, …).
            for d in result.diagnostics { try say(d.description) }
            if !result.diagnostics.isEmpty { try say("") }
            try say(CommandSupport.partitionSummary(result, out: out), terminator: "")
        }
    }
}
