import Foundation
import GridPlanEngines
import GridPlanGeometry
import GridPlanGeometryValues
import GridPlanIO
import GridPlanModel

/// `gridplan recall` and `gridplan recall status`: plan a typhoon fishing-vessel recall on the
/// plan's grids and staffing, write the lists, and track confirmations and arrivals.
public enum RecallWorkflow {
    public struct Options: Sendable {
        public var vessels = ""
        public var ports = ""
        /// Sea areas routes must stay in (GeoJSON polygons); the plan's maritime units count too.
        public var sea: String?
        /// Land routes must avoid; default: the plan's outermost land units.
        public var land: String?
        public var landfall: Date?
        public var track: String?
        public var storm: String?
        /// The time the positions are judged at; default: now.
        public var now: Date?
        /// When the lists say they were generated.
        public var generatedAt = Date()
        public var crs: CRS?
        public var rules = RecallRules()
        /// Go on without bad vessel rows (listed in the summary) instead of stopping.
        public var skipBadRows = false
        public var byteOrderMark = false

        public init() {}
    }

    public static let files = [
        "recall_summary.txt", "recall_vessels.csv", "recall_calls.csv", "haul_out.csv", "crew_ashore.csv",
        "recall_ports.csv", "recall_levels.csv",
        "recall_vessels.geojson", "recall_routes.geojson", "recall_ports.geojson",
    ]

    /// The first bad vessel row, with the count and lines of the others and how to go on; nil
    /// when there is none.
    static func badRowsError(_ bad: [InputError]) -> InputError? {
        guard var error = bad.first else { return nil }
        if bad.count > 1 {
            let lines = bad.dropFirst().prefix(5).compactMap { $0.line.map { "line \($0)" } }.joined(separator: ", ")
            error.message += " (and \(bad.count - 1) more bad rows: \(lines)\(bad.count > 6 ? ", …" : ""))"
        }
        error.message += "; fix them, or go on without them with --skip-bad-rows"
        return error
    }

    public static func run(
        plan path: String, out folder: String, options: Options,
        progress: @escaping @Sendable (String) -> Void = { _ in }
    )
        throws -> (report: RecallReport, summary: String)
    {
        guard options.landfall != nil || options.track != nil else {
            throw InputError(
                rule: "arguments.deadline",
                "give the typhoon: --landfall TIME (deadline = landfall − recall.lead_hours) and/or --track FILE")
        }
        let file = try PlanFile.locate(path)
        progress("reading \(file)")
        let store = try PlanStore.open(file)
        let units = try store.units().map(\.unit), grids = try store.grids()
        guard !grids.isEmpty else {
            throw InputError(file: file, rule: "plan.empty", "the plan has no grids; run `gridplan partition` first")
        }

        progress("reading \(options.vessels) and \(options.ports)")
        var (vessels, bad) = try RecallInputs.vessels(options.vessels)
        // The GeoJSON reader converts ports (and areas) from --crs; CSV positions are converted here.
        let ports = try RecallInputs.ports(options.ports, crs: options.crs)
        if let crs = options.crs, crs != .wgs84 {
            try DegreesAsMetres.refuse(vessels.map(\.position), crs: crs, file: options.vessels)
            let converter = try WGS84Converter(crs)
            for i in vessels.indices {
                if case .point(let p) = try converter.toWGS84(.point(vessels[i].position)) { vessels[i].position = p }
            }
        }
        let track = try options.track.map { try RecallInputs.track($0, storm: options.storm) }

        // Where each vessel belongs: a grid code, or a village/community with grids.
        let gridsOfUnit = Dictionary(grouping: grids, by: \.unitCode).mapValues { $0.map(\.code).sorted() }
        let unitOfGrid = Dictionary(grids.map { ($0.code, $0.unitCode) }, uniquingKeysWith: { a, _ in a })
        let unitCodes = Set(units.map(\.code))
        var homeUnit: [String] = [], homeGrids: [[String]] = []
        vessels = vessels.filter { v in
            if let unit = unitOfGrid[v.homeUnit] {
                homeUnit.append(unit)
                homeGrids.append([v.homeUnit])
            } else if let list = gridsOfUnit[v.homeUnit] {
                homeUnit.append(v.homeUnit)
                homeGrids.append(list)
            } else {
                let why =
                    unitCodes.contains(v.homeUnit)
                    ? "is a unit without grids (a town or county?): give its village, community or grid"
                    : "is neither a unit nor a grid of the plan"
                bad.append(
                    InputError(
                        file: options.vessels, line: v.line, rule: "vessels.home-unknown",
                        "\(v.id): home_unit \(v.homeUnit) \(why)"))
                return false
            }
            return true
        }
        bad.sort { ($0.line ?? 0) < ($1.line ?? 0) }
        guard !vessels.isEmpty else {
            if !options.skipBadRows, let error = badRowsError(bad) { throw error }
            throw InputError(
                file: options.vessels, rule: "vessels.empty",
                "no usable vessel left after skipping \(bad.count) bad rows")
        }

        // Land: the outermost land units of the plan (or --land); sea: --sea and maritime units.
        let land: [[Ring]]
        if let landFile = options.land {
            land = try RecallInputs.areas(landFile, what: "land")
        } else {
            land = units.filter { $0.kind != .maritime && ($0.parent.map { !unitCodes.contains($0) } ?? true) }.flatMap(
                \.geometry.polygons)
        }
        var sea = try options.sea.map { try RecallInputs.areas($0, what: "sea") }
        let maritime = units.filter { $0.kind == .maritime }.flatMap(\.geometry.polygons)
        if !maritime.isEmpty { sea = (sea ?? []) + maritime }

        let now = options.now ?? options.generatedAt
        var result: RecallResult
        let started = Date()
        do {
            result = try RecallEngine.run(
                vessels: vessels, ports: ports, land: land, sea: sea, now: now, landfall: options.landfall,
                track: track, rules: options.rules,
                dropInland: true, progress: progress)
        } catch var error as InputError {
            // The engine names the port feature or the vessel's line; the file each came from is known here.
            error.file = error.feature != nil ? options.ports : error.line != nil ? options.vessels : nil
            throw error
        }
        result.seconds = Date().timeIntervalSince(started)
        // Vessels on land are found by the engine; every bad row is reported together.
        let skipped =
            (bad
            + result.dropped.map {
                var e = $0; e.file = options.vessels; return e
            }).sorted { ($0.line ?? 0) < ($1.line ?? 0) }
        if !options.skipBadRows, let error = badRowsError(skipped) { throw error }
        for error in skipped { progress("skipping \(error)") }
        progress(String(format: "recall planned in %.1f s", result.seconds))
        let contacts = try store.gridContacts()
        if contacts.isEmpty {
            progress("no staffing in the plan: run `gridplan staff` so every vessel gets a responsible person")
        }
        let responsible = ResponsiblePersons.assign(
            vesselIDs: vessels.map(\.id), homeGrids: homeGrids, contacts: contacts)
        let homeGrid = responsible.enumerated().map { i, c in
            c?.gridCode ?? (homeGrids[i].count == 1 ? homeGrids[i][0] : "")
        }
        let report = RecallReport(
            result: result, vessels: vessels, ports: ports, responsible: responsible, homeUnit: homeUnit,
            homeGrid: homeGrid, rules: options.rules,
            skipped: skipped)

        let stamp = ListStamp(generatedAt: options.generatedAt, plan: file, start: now)
        let directory = UnitDirectory(units: units)
        progress("writing the lists to \(folder)")
        let inputs = [options.vessels, options.ports, options.sea, options.land, options.track].compactMap { $0 }
        let batch = PlanFile.outputs(plan: file, inputs: inputs)
        defer { batch.discard() }
        try batch.folder(folder)
        let summary = RecallWriter.summary(report, stamp: stamp)
        let csv = CSVWriter(byteOrderMark: options.byteOrderMark)
        try batch.write(Data(summary.utf8), to: folder + "/recall_summary.txt")
        for (name, table) in [
            ("recall_vessels.csv", RecallWriter.vesselRows(report, units: directory, stamp: stamp)),
            ("recall_calls.csv", RecallWriter.callRows(report, stamp: stamp)),
            ("haul_out.csv", RecallWriter.haulOutRows(report, stamp: stamp)),
            ("crew_ashore.csv", RecallWriter.crewRows(report, stamp: stamp)),
            ("recall_ports.csv", RecallWriter.portRows(report, stamp: stamp)),
            ("recall_levels.csv", RecallWriter.levelRows(report, units: directory, stamp: stamp)),
        ] {
            try batch.write(csv.encode(header: table.header, rows: table.rows), to: folder + "/" + name)
        }
        let geojson = GeoJSONWriter(decimals: 7)
        try batch.write(
            geojson.encode(RecallWriter.vesselFeatures(report, units: directory, stamp: stamp), name: "recall_vessels"),
            to: folder + "/recall_vessels.geojson")
        try batch.write(
            geojson.encode(RecallWriter.routeFeatures(report), name: "recall_routes"),
            to: folder + "/recall_routes.geojson")
        try batch.write(
            geojson.encode(RecallWriter.portFeatures(report, stamp: stamp), name: "recall_ports"),
            to: folder + "/recall_ports.geojson")
        try batch.commit(journalIn: PlanFile.folder(of: file), plan: file) {
            try store.replaceRecall(
                report, units: directory, stamp: stamp,
                run: PlanRun(
                    command: "recall", arguments: ["--out", folder], inputs: inputs,
                    summary:
                        "\(vessels.count) vessels, \(result.vessels.filter { $0.status == .cannotMakeIt }.count) "
                        + "cannot make it",
                    outputsToken: batch.token))
        }
        return (report, summary)
    }

    // MARK: status

    /// Records events (if any) and returns the status text: "711 of 717 in port, 6 at sea: …".
    public static func status(plan path: String, events: [RecallEvent]) throws -> String {
        let file = try PlanFile.locate(path)
        let store = try PlanStore.open(file)
        if !events.isEmpty { try store.recordRecallEvents(events) }
        let states = try store.recallState()
        guard !states.isEmpty else {
            throw InputError(file: file, rule: "recall.none", "the plan has no recall; run `gridplan recall` first")
        }
        return statusText(states)
    }

    public static func statusText(_ states: [VesselState]) -> String {
        let atSea = states.filter { !$0.inPort }
        var out = "\(states.count - atSea.count) of \(states.count) in port, \(atSea.count) at sea"
        out += atSea.isEmpty ? "\n" : ":\n"
        for s in atSea {
            let contact = s.responsible.isEmpty ? "no responsible person" : "\(s.responsible) \(s.responsiblePhone)"
            let last = s.lastEvent.isEmpty ? "" : "; last report: \(s.lastEvent)"
            out +=
                "  \(s.id) \(s.name) (\(s.planned.rawValue)\(s.confirmed ? ", confirmed" : ", not confirmed"); call "
                + "\(contact); port \(s.portName.isEmpty ? "none" : s.portName)\(last))\n"
        }
        let crewed = states.filter { $0.crew > 0 }
        out += "crews ashore (人船双回): \(crewed.filter(\.crewAshore).count) of \(crewed.count) vessels with crew\n"
        return out
    }
}
