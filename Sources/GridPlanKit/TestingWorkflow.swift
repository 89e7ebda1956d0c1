import Foundation
import GridPlanEngines
import GridPlanGeometry
import GridPlanGeometryValues
import GridPlanIO
import GridPlanModel

/// `gridplan testing`: plan a mass-testing round on the plan's micro-grids and write the lists.
public enum TestingWorkflow {
    public struct Options: Sendable {
        public var sites: String?
        public var homes: String?
        public var rules = TestingRules()
        /// Start of sampling; nil: the next full hour after `now`.
        public var start: Date?
        /// When the lists say they were generated.
        public var now = Date()
        public var crs: CRS?
        public var byteOrderMark = false

        public init() {}
    }

    public static let files = [
        "testing_summary.txt", "testing_sites.csv", "testing_sites.geojson", "testing_slots.csv", "testing_staff.csv",
        "testing_levels.csv", "door_to_door.csv",
    ]

    public static func run(
        plan path: String, out folder: String, options: Options,
        progress: @escaping @Sendable (String) -> Void = { _ in }
    )
        throws -> (result: TestingResult, summary: String)
    {
        try options.rules.validate()
        let file = try PlanFile.locate(path)
        progress("reading \(file)")
        let store = try PlanStore.open(file)
        let grids = try store.grids(), micro = try store.microGrids(), units = try store.units().map(\.unit)
        guard !micro.isEmpty else {
            throw InputError(
                file: file, rule: "plan.empty", "the plan has no micro-grids; run `gridplan partition` first")
        }
        let context = try GEOSContext()
        let unitByCode = Dictionary(units.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        let gridByCode = Dictionary(grids.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        func townOf(unit code: String) -> String { unitByCode[code]?.parent ?? code }
        let demands = try micro.map { m -> TestingDemand in
            let unit = gridByCode[m.gridCode]?.unitCode ?? ""
            guard let p = try NativeGeometry(m.geometry, in: context).interiorPoint() else {
                throw InputError(file: file, rule: "plan.geometry", "micro-grid \(m.code) has no point inside it")
            }
            return TestingDemand(
                microGridCode: m.code, gridCode: m.gridCode, unitCode: unit, townCode: townOf(unit: unit),
                population: m.population,
                households: m.households, point: p)
        }
        // Given sites belong to the town of the unit they stand in.
        var sites: [SamplingSite]?
        if let sitesFile = options.sites {
            progress("reading \(sitesFile)")
            let gridUnits = Set(grids.map(\.unitCode))
            let leaves = units.filter { gridUnits.contains($0.code) }
            let locator = PointLocator(leaves.map(\.geometry), context: context)
            sites = try TestingInputs.sites(sitesFile, crs: options.crs).map { site in
                guard let i = try locator.locate(site.point) else {
                    throw InputError(
                        file: sitesFile, feature: FeatureReference(index: site.sourceIndex, id: site.id),
                        rule: "sites.outside",
                        "site (\(site.point.x), \(site.point.y)) lies outside every unit of the plan")
                }
                var s = site
                s.townCode = townOf(unit: leaves[i].code)
                return s
            }
        }
        var homes: [(visit: HomeVisit, microGridCode: String?)] = []
        if let homesFile = options.homes {
            progress("reading \(homesFile)")
            let locator = PointLocator(micro.map(\.geometry), context: context)
            homes = try TestingInputs.homeVisits(homesFile).map { h in
                (h, try locator.locate(h.point).map { micro[$0].code })
            }
        }
        let pool = try store.staffPool()
        if pool.people.isEmpty {
            progress("no staffing in the plan: run `gridplan staff` to place samplers and helpers")
        }
        let started = Date()
        var result = TestingEngine.run(
            demands: demands, sites: sites, people: pool.people, postsOf: pool.postsOf, homes: homes,
            rules: options.rules, progress: progress)
        result.seconds = Date().timeIntervalSince(started)
        let start = options.start ?? nextHour(after: options.now)
        let stamp = ListStamp(generatedAt: options.now, plan: file, start: start)
        let directory = UnitDirectory(units: units)
        progress("writing the lists to \(folder)")
        let batch = PlanFile.outputs(plan: file, inputs: [options.sites, options.homes].compactMap { $0 })
        defer { batch.discard() }
        try batch.folder(folder)
        let csv = CSVWriter(byteOrderMark: options.byteOrderMark)
        let summary = TestingWriter.summary(result, stamp: stamp)
        try batch.write(Data(summary.utf8), to: folder + "/testing_summary.txt")
        for (name, table) in [
            ("testing_sites.csv", TestingWriter.siteRows(result, units: directory, stamp: stamp)),
            ("testing_slots.csv", TestingWriter.slotRows(result, units: directory, stamp: stamp)),
            ("testing_staff.csv", TestingWriter.staffRows(result, stamp: stamp)),
            ("testing_levels.csv", TestingWriter.levelRows(result, units: directory, stamp: stamp)),
            ("door_to_door.csv", TestingWriter.homeRows(result, stamp: stamp)),
        ] {
            try batch.write(csv.encode(header: table.header, rows: table.rows), to: folder + "/" + name)
        }
        try batch.write(
            GeoJSONWriter(decimals: 7).encode(
                TestingWriter.siteFeatures(result, units: directory, stamp: stamp), name: "testing_sites"),
            to: folder + "/testing_sites.geojson")
        try batch.commit(journalIn: PlanFile.folder(of: file), plan: file) {
            try store.replaceTesting(
                result, units: directory, stamp: stamp,
                run: PlanRun(
                    command: "testing", arguments: ["--out", folder],
                    inputs: [options.sites, options.homes].compactMap { $0 },
                    summary: TestingWriter.verdictLines(result).first ?? "", outputsToken: batch.token))
        }
        return (result, summary)
    }

    /// The next full hour, China Standard Time.
    static func nextHour(after date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 / 3600).rounded(.down) * 3600 + 3600)
    }
}

/// Times on the command line: `2026-11-23T08:00`, `2026-11-23 08:00[:ss]`, China Standard
/// Time unless the text ends with `Z` or an offset such as `+08:00`.
public enum ClockTime {
    public static func parse(_ text: String, option: String) throws -> Date {
        do {
            return try TimeText.parse(text)
        } catch {
            throw InputError(
                rule: "arguments.time",
                "\(option) expects a real time like 2026-11-23T08:00 (China Standard Time) or 2026-11-23T00:00Z, got "
                    + "\"\(text)\""
            )
        }
    }
}

// MARK: status

extension TestingWorkflow {
    /// How many grids not reporting the status text lists by name.
    static let silentListed = 20

    /// Records counts (if any) and returns the progress text: "sampled 1,234 of 5,678 people …",
    /// then the grids whose slots have started (by `now`) without a count, earliest first.
    public static func status(plan path: String, counts: [TestingCount], now: Date) throws -> String {
        let file = try PlanFile.locate(path)
        let store = try PlanStore.open(file)
        if !counts.isEmpty { try store.recordTestingCounts(counts) }
        let states = try store.testingTally().states
        guard !states.isEmpty else {
            throw InputError(
                file: file, rule: "testing.none", "the plan has no testing round; run `gridplan testing` first")
        }
        return statusText(states, contacts: try store.gridContacts(), clock: ListStamp.clock(now))
    }

    public static func statusText(
        _ states: [MicrogridProgress], contacts: [String: [RecallContact]], clock: String
    ) -> String {
        func n(_ value: Int) -> String { value.formatted(.number.locale(Locale(identifier: "en_US"))) }
        let people = states.map(\.people).reduce(0, +), sampled = states.map(\.sampled).reduce(0, +)
        let share = people > 0 ? Double(sampled) / Double(people) * 100 : 0
        var out =
            "sampled \(n(sampled)) of \(n(people)) people (\(String(format: "%.1f", share)) %); "
            + "\(n(states.map(\.absent).reduce(0, +))) away, \(n(states.map(\.retest).reduce(0, +))) to re-test, "
            + "\(n(states.map(\.remaining).reduce(0, +))) still to sample; "
            + "\(n(states.filter(\.reported).count)) of \(n(states.count)) micro-grids reported\n"
        let silent = states.filter { $0.isSilent(at: clock) }
        let byGrid = Dictionary(grouping: silent, by: \.gridCode)
        guard !byGrid.isEmpty else {
            return out + "every micro-grid whose slot has started (as of \(clock) CST) has reported\n"
        }
        out +=
            "\(n(silent.count)) micro-grids in \(n(byGrid.count)) grids have started (as of \(clock) CST) without a "
            + "report; call:\n"
        let order = byGrid.map { ($0.key, $0.value.map(\.slotStart).min()!) }.sorted { ($0.1, $0.0) < ($1.1, $1.0) }
        for (grid, first) in order.prefix(silentListed) {
            let list = byGrid[grid]!
            let contact = contacts[grid]?.first.map { "\($0.name) \($0.phone)" } ?? "no grid worker on record"
            out +=
                "  \(grid) \(list[0].unitName): \(list.count) micro-grids, \(n(list.map(\.people).reduce(0, +))) "
                + "people, first slot \(first); call \(contact)\n"
        }
        if order.count > silentListed { out += "  … and \(order.count - silentListed) more grids\n" }
        return out
    }
}
