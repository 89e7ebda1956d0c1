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
