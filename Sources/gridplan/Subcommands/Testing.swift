import ArgumentParser
import Foundation
import GridPlanKit

extension GridPlanCommand {
    struct Testing: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "testing",
            abstract:
                "Plan a round of mass nucleic-acid testing on a plan's micro-grids: sites, slots, people, verdict; "
                + "and its progress.",
            subcommands: [Plan.self, Status.self], defaultSubcommand: Plan.self)
    }
}

extension GridPlanCommand.Testing {
    struct Plan: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "plan",
            abstract: "Plan the round (the default: `gridplan testing --plan …` runs this).",
            discussion: """
                Chooses sampling sites per town (capacitated facility location: each site takes at most \
                testing.point_population_max people and its tables' throughput; walking distance least; everyone \
                within the walk limit where a candidate site allows), gives every micro-grid a slot so no queue \
                exceeds its tables per hour, places samplers (medical staff) and registrars, marshals and door-to-door \
                escorts (grid workers, party members, volunteers) from the plan's last `gridplan staff` run, and \
                judges whether the deadline can be met. Writes OUT/testing_summary.txt (also printed), \
                testing_sites.csv/.geojson, testing_slots.csv, testing_staff.csv, testing_levels.csv and \
                door_to_door.csv, and stores the sites in the plan.
                """)

        @Option(help: "The plan: a `gridplan partition` output folder or its plan.gpkg.")
        var plan: String

        @Option(help: "Output folder (created if needed).")
        var out: String

        @Option(
            help: ArgumentHelp(
                "Candidate sites: GeoJSON points with `tables` and optional `id`, `name`, `hours`. Default: "
                    + "automatic sites at micro-grid points.")
        )
        var sites: String?

        @Option(
            help: ArgumentHelp(
                "Households to sample at home (limited mobility): CSV with id, lon, lat and optional name, phone, "
                    + "address, people.")
        )
        var homes: String?

        @Option(help: "Rules file (TOML) with a [testing] section (see `gridplan rules`).")
        var rules: String?

        @Option(
            help: ArgumentHelp(
                "Start of sampling, e.g. 2026-11-23T08:00 (China Standard Time unless an offset is given). Default: "
                    + "the next full hour.")
        )
        var start: String?

        @Option(help: "When the lists say they were generated (for reproducible output). Default: now.")
        var generatedAt: String?

        @Option(help: "CRS of the sites file when it does not say: gcj02 or a geographic EPSG code.")
        var crs: String?

        @Flag(help: "Start CSV files with a UTF-8 byte-order mark, so Excel and WPS show Chinese names.")
        var bom = false

        func run() throws {
            do {
                var options = TestingWorkflow.Options()
                options.sites = sites
                options.homes = homes
                options.rules = try CommandSupport.testingRules(rules)
                options.start = try start.map { try ClockTime.parse($0, option: "--start") }
                if let generatedAt { options.now = try ClockTime.parse(generatedAt, option: "--generated-at") }
                options.crs = try CommandSupport.crs(crs)
                options.byteOrderMark = bom
                let (_, summary) = try TestingWorkflow.run(plan: plan, out: out, options: options, progress: progress)
                try say(summary, terminator: "")
            } catch {
                throw fail(error)
            }
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "status",
            abstract: "Record a micro-grid's counts, and print the round's progress and the grids not reporting.",
            discussion: """
                Counts are running totals (people sampled so far, known away, to re-test): each replaces the one \
                before, by the time it was counted, so a count typed twice is not added twice. They are kept in \
                the plan file (table testing_reports) with the ones grid workers send through `gridplan serve`. \
                With no count options it only prints the progress.
                """)

        @Option(help: "The plan folder or its plan.gpkg.")
        var plan: String

        @Option(help: "The micro-grid the counts are for (its code).")
        var microgrid: String?

        @Option(help: "People of the micro-grid sampled so far.")
        var sampled: Int?

        @Option(help: "People known to be away (外出), not to be sampled here.")
        var absent: Int?

        @Option(help: "People to sample again (复检).")
        var retest: Int?

        @Option(help: "When it was counted. Default: now.")
        var time: String?

        @Option(help: "A note kept with the counts.")
        var note: String = ""

        @Option(help: "The operation's clock for \"slot has started\" (a drill or a replay). Default: now.")
        var asOf: String?

        func run() throws {
            do {
                let when = try time.map { try ClockTime.parse($0, option: "--time") } ?? Date()
                var counts: [TestingCount] = []
                if let microgrid {
                    counts.append(
                        TestingCount(
                            microgridCode: microgrid, sampled: sampled, absent: absent, retest: retest, time: when,
                            note: note))
                } else if sampled != nil || absent != nil || retest != nil {
                    throw ValidationError("--sampled, --absent and --retest need --microgrid CODE")
                }
                let now = try asOf.map { try ClockTime.parse($0, option: "--as-of") } ?? Date()
                try say(try TestingWorkflow.status(plan: plan, counts: counts, now: now), terminator: "")
            } catch let error as ValidationError {
                throw error
            } catch {
                throw fail(error)
            }
        }
    }
}
