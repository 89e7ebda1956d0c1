import ArgumentParser
import Foundation
import GridPlanKit

extension GridPlanCommand {
    struct Recall: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "recall",
            abstract:
                "Typhoon fishing-vessel recall on a plan's grids: ports, routes by sea, deadlines, call lists; and "
                + "its status.",
            subcommands: [Plan.self, Status.self], defaultSubcommand: Plan.self)

        struct Plan: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "plan",
                abstract: "Plan the recall (the default: `gridplan recall --plan …` runs this).",
                discussion: """
                    Gives every vessel at sea a shelter port with a free berth (exact min-cost flow: fewest without a \
                    berth, then fewest late, then least distance by sea), a route by sea that never crosses land, its \
                    ETA, the latest time it must turn back and a status (can make it / at risk / cannot make it: \
                    escalate to maritime rescue), and one named responsible person, the grid worker of its home grid \
                    (定人联船). The deadline is --landfall less recall.lead_hours, or the time gale-force winds reach the \
                    vessel on its way (--track, IBTrACS CSV), or the earlier of the two. Writes OUT/recall_summary.txt \
                    (also printed), recall_vessels.csv/.geojson, recall_calls.csv, haul_out.csv, crew_ashore.csv, \
                    recall_ports.csv/.geojson, recall_levels.csv and recall_routes.geojson, and stores vessels, ports \
                    and routes in the plan.
                    """)

            @Option(
                help: "The plan: a `gridplan partition` output folder or its plan.gpkg (staffed with `gridplan staff`)."
            )
            var plan: String

            @Option(help: "Output folder (created if needed).")
            var out: String

            @Option(
                help: ArgumentHelp(
                    "Vessels CSV: id, name, home_unit, owner, phone, crew, power_kw or hp, lon, lat, speed_kn, "
                        + "fix_time.")
            )
            var vessels: String

            @Option(help: "Shelter ports: GeoJSON points with `berths` and optional `id`, `name`.")
            var ports: String

            @Option(help: "Sea areas (GeoJSON polygons) routes must stay in; the plan's maritime units count too.")
            var sea: String?

            @Option(help: "Land (GeoJSON polygons) routes must avoid. Default: the plan's outermost land units.")
            var land: String?

            @Option(help: "Landfall time, e.g. 2018-09-16T17:00 (China Standard Time unless an offset is given).")
            var landfall: String?

            @Option(
                help: "Typhoon best track, IBTrACS CSV (track_id/SID, time/ISO_TIME in UTC, lon, lat, wind in knots).")
            var track: String?

            @Option(help: "Storm id (SID) in the track file, when it holds several.")
            var storm: String?

            @Option(help: "Time the positions are judged at. Default: now.")
            var now: String?

            @Option(help: "When the lists say they were generated (for reproducible output). Default: now.")
            var generatedAt: String?

            @Option(help: "Rules file (TOML) with a [recall] section (see `gridplan rules`).")
            var rules: String?

            @Option(
                help: ArgumentHelp(
                    "CRS of vessel and port coordinates when not WGS84: gcj02 (Amap/Tencent) or a geographic EPSG "
                        + "code. Sea and land files stay WGS84.")
            )
            var crs: String?

            @Flag(
                help: ArgumentHelp(
                    "Go on without bad vessel rows (no position, unknown home, on land …); the summary lists them. "
                        + "Default: stop and write nothing.")
            )
            var skipBadRows = false

            @Flag(help: "Start CSV files with a UTF-8 byte-order mark, so Excel and WPS show Chinese names.")
            var bom = false

            func run() throws {
                do {
                    var options = RecallWorkflow.Options()
                    options.skipBadRows = skipBadRows
                    options.vessels = vessels
                    options.ports = ports
                    options.sea = sea
                    options.land = land
                    options.landfall = try landfall.map { try ClockTime.parse($0, option: "--landfall") }
                    options.track = track
                    options.storm = storm
                    if let generatedAt {
                        options.generatedAt = try ClockTime.parse(generatedAt, option: "--generated-at")
                    }
                    options.now = try now.map { try ClockTime.parse($0, option: "--now") }
                    options.rules = try CommandSupport.recallRules(rules)
                    options.crs = try CommandSupport.crs(crs)
                    options.byteOrderMark = bom
                    let (_, summary) = try RecallWorkflow.run(
                        plan: plan, out: out, options: options, progress: progress)
                    try say(summary, terminator: "")
                } catch {
                    throw fail(error)
                }
            }
        }

        struct Status: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "status",
                abstract: "Record confirmations and arrivals, and print how many vessels are in port.",
                discussion: """
                    Events are kept in the plan file (table recall_events), so the state survives restarts, and \
                    several people may record at once. With no event options it only prints the state, e.g. "711 of \
                    717 in port, 6 at sea: …".
                    """)

            @Option(help: "The plan folder or its plan.gpkg.")
            var plan: String

            @Option(help: "Vessels that acknowledged the recall order (comma-separated ids; repeatable).")
            var confirmed: [String] = []

            @Option(help: "Vessels now in a shelter port (comma-separated ids; repeatable).")
            var arrived: [String] = []

            @Option(help: "Small boats hauled above the high-tide line.")
            var hauledOut: [String] = []

            @Option(help: "Vessels whose crew is ashore too (人船双回).")
            var crewAshore: [String] = []

            @Option(help: "Vessels back at sea (a correction, or left port).")
            var departed: [String] = []

            @Option(help: "Port id for --arrived (as in the ports file).")
            var port: String?

            @Option(help: "When it happened. Default: now.")
            var time: String?

            @Option(help: "A note kept with the events.")
            var note: String = ""

            func run() throws {
                do {
                    let when = try time.map { try ClockTime.parse($0, option: "--time") } ?? Date()
                    var events: [RecallEvent] = []
                    for (kind, lists) in [
                        (RecallEventKind.confirmed, confirmed), (.arrived, arrived), (.hauledOut, hauledOut),
                        (.crewAshore, crewAshore), (.departed, departed),
                    ] {
                        for id in lists.flatMap({ $0.split(separator: ",") }).map({
                            $0.trimmingCharacters(in: .whitespaces)
                        }) where !id.isEmpty {
                            events.append(
                                RecallEvent(
                                    vesselID: id, kind: kind, portID: kind == .arrived ? port : nil, time: when,
                                    note: note))
                        }
                    }
                    try say(try RecallWorkflow.status(plan: plan, events: events), terminator: "")
                } catch {
                    throw fail(error)
                }
            }
        }
    }
}
