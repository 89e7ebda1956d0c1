import ArgumentParser
import Foundation
import GridPlanKit

extension GridPlanCommand {
    struct Staff: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "staff",
            abstract: "Assign grid leaders, grid workers, party members and volunteers to a plan's grids, exactly.",
            discussion: """
                Writes OUT/assignments.csv, vacancies.csv, unassigned.csv, grids_staffed.geojson (and moves.csv with \
                --current), and prints a summary. Posts per grid come from the rules (`gridplan rules`, [staff.*]). \
                Slots are filled by priority (leaders and full-time first), then current posts are kept, then total \
                home-to-grid distance is minimised: one exact min-cost flow. Roster rows with errors stop the command \
                (exit 1, nothing written) unless --skip-bad-rows.
                """)

        @Option(help: "The plan: a `gridplan partition` output folder or its plan.gpkg.")
        var plan: String

        @Option(help: "Roster CSV: id, name, role, phone, lon, lat, skills, max_grids, available.")
        var roster: String

        @Option(help: "Output folder (created if needed).")
        var out: String

        @Option(help: "Rules file (TOML) with [staff.ROLE] per_grid / per_microgrid / households_per_slot.")
        var rules: String?

        @Option(
            help: ArgumentHelp(
                "Current assignments CSV (person_id, grid_code, slot_role; an earlier assignments.csv works): kept "
                    + "where still valid.")
        )
        var current: String?

        @Option(
            help: ArgumentHelp(
                "CRS of the roster's lon/lat when not WGS84: gcj02 (Amap, Tencent coordinates) or a geographic EPSG "
                    + "code such as EPSG:4490 (CGCS2000).")
        )
        var crs: String?

        @Option(name: .customLong("column"), help: "Roster header for a column, e.g. lon=经度 (repeatable).")
        var columns: [String] = []

        @Flag(help: "Skip roster rows with errors (each is reported) instead of stopping.")
        var skipBadRows = false

        @Flag(help: "Start CSV files with a UTF-8 byte-order mark, so Excel and WPS show Chinese names.")
        var bom = false

        func run() throws {
            let run: StaffRun
            do {
                let staffing = try CommandSupport.staffingRules(rules)
                run = try StaffWorkflow.run(
                    plan: plan, roster: roster, out: out, rules: staffing, current: current,
                    crs: CommandSupport.crs(crs), columns: columns, skipBadRows: skipBadRows,
                    byteOrderMark: bom, progress: progress)
            } catch {
                throw fail(error)
            }
            for d in run.diagnostics { try say(d.description) }
            guard let result = run.result else {
                progress("nothing written: fix the roster rows above, or pass --skip-bad-rows")
                throw ExitCode(1)
            }
            try say(CommandSupport.staffSummary(result, out: out, hasCurrent: current != nil), terminator: "")
        }
    }
}
