import ArgumentParser
import Foundation
import GridPlanKit

extension GridPlanCommand {
    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "report",
            abstract: "Write one self-contained HTML report of a plan: a zoomable map and the summary tables.",
            discussion: """
                The map shows the grids coloured by household band, town and county outlines, micro-grids and grid \
                codes when zoomed in, a legend and a scale bar. The tables give counts, band compliance, compactness, \
                a line per town, the violations and (with --staff) posts filled and vacant. The file loads nothing \
                from the network.
                """)

        @Option(help: "The plan: a `gridplan partition` output folder or its plan.gpkg.")
        var plan: String

        @Option(help: "Output HTML file.")
        var out: String

        @Option(
            help: ArgumentHelp(
                "A `gridplan staff` output folder (default: the staffing stored in the plan by the last `gridplan "
                    + "staff`).")
        )
        var staff: String?

        func run() throws {
            do {
                let bytes = try ReportWorkflow.run(plan: plan, out: out, staff: staff, progress: progress)
                try say("wrote \(out) (\(String(format: "%.1f", Double(bytes) / 1_048_576)) MB)")
            } catch {
                throw fail(error)
            }
        }
    }
}
