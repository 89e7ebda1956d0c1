import Foundation
import GridPlanEngines
import GridPlanGeometryValues
import GridPlanModel

/// Where a list came from, printed on every list: emergency staff must know how fresh it is.
public struct ListStamp: Sendable {
    public var generatedAt: Date
    public var plan: String
    /// Start of sampling; slot times are printed in China Standard Time from here.
    public var start: Date

    public init(generatedAt: Date, plan: String, start: Date) {
        self.generatedAt = generatedAt
        self.plan = plan
        self.start = start
    }

    static let zone = TimeZone(identifier: "Asia/Shanghai")!

    public static func clock(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(format: "%04d-%02d-%02d %02d:%02d", c.year!, c.month!, c.day!, c.hour!, c.minute!)
    }

    func time(minutes: Int) -> String { Self.clock(start.addingTimeInterval(Double(minutes) * 60)) }

    var header: [String] { ["generated_at", "plan"] }
    var columns: [String] { [Self.clock(generatedAt) + " CST", plan] }
}

/// Names and parents of the plan's units, for lists per level (county → town → village).
public struct UnitDirectory: Sendable {
    public var name: [String: String]
    public var parent: [String: String]
    public var kind: [String: UnitKind]

    public init(units: [TerritorialUnit]) {
        name = Dictionary(units.map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a })
        parent = Dictionary(units.compactMap { u in u.parent.map { (u.code, $0) } }, uniquingKeysWith: { a, _ in a })
        kind = Dictionary(units.map { ($0.code, $0.kind) }, uniquingKeysWith: { a, _ in a })
    }

    /// The county above a town code (the town's parent), or "" when the plan does not say.
    func county(ofTown town: String) -> String {
        guard let county = parent[town], county != town else { return "" }
        return county
    }

    /// The places whose totals a unit's figures add up into, each once and from the top:
    /// the whole plan ("all", level city), the county when the plan knows it, the town, the
    /// unit (level village). A town missing from the plan still gets its row (it is named in
    /// the units' `parent`), but no county is invented for it.
    public func levels(town: String, unit: String?) -> [(code: String, level: String)] {
        var result = [(code: "all", level: "city")]
        var seen: Set<String> = ["all"]
        func add(_ code: String, _ level: String) {
            if !code.isEmpty && seen.insert(code).inserted { result.append((code, level)) }
        }
        add(county(ofTown: town), "county")
        add(town, "town")
        if let unit { add(unit, "village") }
        return result
    }
}

/// The lists of a testing round: sites, slots per micro-grid, staff per site, door-to-door
/// stops, a summary per level, and the printable summary.
public enum TestingWriter {
    static let siteHeader = [
        "site_id", "name", "county_code", "town_code", "town_name", "lon", "lat", "given", "tables_open",
        "tables_available", "people",
        "capacity", "microgrids", "people_per_hour", "first_slot", "queue_closes", "samplers_needed", "samplers_placed",
        "registrars",
        "marshals", "door_to_door_teams", "helpers_placed", "tubes", "mean_walk_m", "max_walk_m",
    ]

    public static func siteRows(
        _ r: TestingResult, units: UnitDirectory, stamp: ListStamp
    ) -> (header: [String], rows: [[String]]) {
        var people: [Int: [TestingDuty: Int]] = [:]
        for d in r.duties { people[d.site, default: [:]][d.duty, default: 0] += 1 }
        let header = siteHeader + stamp.header
        let rows = r.sites.indices.map { i -> [String] in
            let s = r.sites[i]
            let placed = people[i] ?? [:]
            let helpers = (placed[.registrar] ?? 0) + (placed[.marshal] ?? 0) + (placed[.escort] ?? 0)
            return [
                s.site.id, s.site.name, units.county(ofTown: s.site.townCode), s.site.townCode,
                units.name[s.site.townCode] ?? "",
                String(format: "%.7f", s.site.point.x), String(format: "%.7f", s.site.point.y),
                s.site.given ? "yes" : "auto", "\(s.tables)",
                "\(s.site.tables)", "\(s.load)", "\(s.capacity)", "\(s.microGrids)", "\(s.perHour)",
                stamp.time(minutes: 0),
                stamp.time(minutes: s.lastMinute), "\(s.samplers)", "\(placed[.sampler] ?? 0)", "\(s.registrars)",
                "\(s.marshals)",
                "\(s.doorToDoorTeams)", "\(helpers)", "\(s.tubes)", "\(Int(s.meanWalkMetres.rounded()))",
                "\(Int(s.maxWalkMetres.rounded()))",
            ] + stamp.columns
        }
        return (header, rows)
    }

    public static func siteFeatures(_ r: TestingResult, units: UnitDirectory, stamp: ListStamp) -> [GeoJSONFeature] {
        let table = siteRows(r, units: units, stamp: stamp)
        let numeric = TestingLayers.numeric
        return zip(r.sites, table.rows).map { site, row in
            GeoJSONFeature(
                id: .string(site.site.id),
                properties: zip(table.header, row).filter { $0.0 != "lon" && $0.0 != "lat" }.map { name, text in
                    (name, numeric.contains(name) ? PropertyValue.number(Double(text) ?? 0) : .string(text))
                }, geometry: .point(site.site.point))
        }
    }

    /// One row per micro-grid (per part when a micro-grid was split), by county, town, village
    /// and grid: the list a grid worker reads out.
    public static func slotRows(
        _ r: TestingResult, units: UnitDirectory, stamp: ListStamp
    ) -> (header: [String], rows: [[String]]) {
        let header =
            [
                "county_code", "town_code", "town_name", "unit_code", "unit_name", "grid_code", "microgrid_code",
                "part", "people", "households",
                "site_id", "site_name", "walk_m", "walk_min", "slot_start", "slot_end",
            ] + stamp.header
        let walkPerMetre = r.rules.walkDetour.value / r.rules.walkMetresPerMinute.value
        let ordered = r.visits.sorted {
            (r.demands[$0.demand].microGridCode, $0.part) < (r.demands[$1.demand].microGridCode, $1.part)
        }
        let rows = ordered.map { v -> [String] in
            let d = r.demands[v.demand]
            let site = v.site >= 0 ? r.sites[v.site].site : nil
            return [
                units.county(ofTown: d.townCode), d.townCode, units.name[d.townCode] ?? "", d.unitCode,
                units.name[d.unitCode] ?? "", d.gridCode,
                d.microGridCode, v.parts > 1 ? "\(v.part)/\(v.parts)" : "", "\(v.people)",
                v.parts > 1 ? "" : "\(d.households)",
                site?.id ?? "NO SITE", site?.name ?? "", site == nil ? "" : "\(Int(v.walkMetres.rounded()))",
                site == nil ? "" : "\(Int((v.walkMetres * walkPerMetre).rounded(.up)))",
                site == nil ? "" : stamp.time(minutes: v.startMinute),
                site == nil ? "" : stamp.time(minutes: v.endMinute),
            ] + stamp.columns
        }
        return (header, rows)
    }

    public static func staffRows(_ r: TestingResult, stamp: ListStamp) -> (header: [String], rows: [[String]]) {
        let header =
            [
                "site_id", "site_name", "duty", "duty_zh", "person_id", "name", "role", "phone", "posted_grids",
                "serves", "distance_m",
            ] + stamp.header
        let rows = r.duties.map { d -> [String] in
            let p = r.people[d.person], s = r.sites[d.site].site
            let posts = (r.postsOf[p.id] ?? []).sorted()
            let serves =
                d.ownGrid
                ? "own grid"
                : posts.isEmpty ? "reinforcement (no grid post)" : "reinforcement from \(posts.joined(separator: ";"))"
            return [
                s.id, s.name, d.duty.rawValue, d.duty.chineseName, p.id, p.name, p.role.rawValue, p.phone,
                posts.joined(separator: ";"), serves, "\(d.metres)",
            ]
                + stamp.columns
        }
        return (header, rows)
    }

    public static func homeRows(_ r: TestingResult, stamp: ListStamp) -> (header: [String], rows: [[String]]) {
        let header =
            [
                "household_id", "name", "phone", "address", "people", "lon", "lat", "microgrid_code", "site_id", "team",
                "visit_at",
            ] + stamp.header
        let ordered = r.homeStops.sorted {
            ($0.site < 0 ? Int.max : $0.site, $0.team, $0.minute, $0.home.id) < (
                $1.site < 0 ? Int.max : $1.site, $1.team, $1.minute, $1.home.id
            )
        }
        let rows = ordered.map { h -> [String] in
            [
                h.home.id, h.home.name, h.home.phone, h.home.address, "\(h.home.people)",
                String(format: "%.7f", h.home.point.x),
                String(format: "%.7f", h.home.point.y), h.microGridCode ?? "OUTSIDE EVERY MICRO-GRID",
                h.site >= 0 ? r.sites[h.site].site.id : "NO SITE",
                h.site >= 0 ? "\(h.team)" : "", h.site >= 0 ? stamp.time(minutes: h.minute) : "",
            ] + stamp.columns
        }
        return (header, rows)
    }

    /// Totals per city, county, town and village: population, sites, tables, samplers, tubes.
    public static func levelRows(
        _ r: TestingResult, units: UnitDirectory, stamp: ListStamp
    ) -> (header: [String], rows: [[String]]) {
        struct Totals {
            var people = 0, microGrids = 0, unserved = 0, beyondWalk = 0, sites = 0, tables = 0, samplers = 0, tubes = 0
        }
        var totals: [String: Totals] = [:]
        var level: [String: String] = [:]
        let walk = r.rules.walkLimitMetres
        for v in r.visits {
            let d = r.demands[v.demand]
            for (code, kind) in units.levels(town: d.townCode, unit: d.unitCode) {
                level[code] = kind
                totals[code, default: Totals()].people += v.people
                if v.part == 1 { totals[code, default: Totals()].microGrids += 1 }
                if v.site < 0 { totals[code, default: Totals()].unserved += v.people }
                if v.site >= 0 && v.walkMetres > walk { totals[code, default: Totals()].beyondWalk += v.people }
            }
        }
        for s in r.sites {
            for (code, _) in units.levels(town: s.site.townCode, unit: nil) {
                totals[code, default: Totals()].sites += 1
                totals[code, default: Totals()].tables += s.tables
                totals[code, default: Totals()].samplers += s.samplers
                totals[code, default: Totals()].tubes += s.tubes
            }
        }
        let rank = ["city": 0, "county": 1, "town": 2, "village": 3]
        let header =
            [
                "level", "code", "name", "people", "microgrids", "people_without_site", "people_beyond_walk", "sites",
                "tables", "samplers_needed", "tubes",
            ]
            + stamp.header
        let rows = totals.keys.sorted { (rank[level[$0]!]!, $0) < (rank[level[$1]!]!, $1) }.map { code -> [String] in
            let t = totals[code]!
            let isVillage = level[code] == "village"
            return [
                level[code]!, code == "all" ? "" : code, code == "all" ? "whole plan" : units.name[code] ?? "",
                "\(t.people)", "\(t.microGrids)",
                "\(t.unserved)", "\(t.beyondWalk)", isVillage ? "" : "\(t.sites)", isVillage ? "" : "\(t.tables)",
                isVillage ? "" : "\(t.samplers)",
                isVillage ? "" : "\(t.tubes)",
            ] + stamp.columns
        }
        return (header, rows)
    }

    /// The verdict in words: whether the round can be done in time, then what it needs and
    /// what is missing (the first line alone is the run's one-line summary).
    public static func verdictLines(_ r: TestingResult) -> [String] {
        let v = r.verdict, rules = r.rules
        func count(_ n: Int) -> String { n.formatted(.number.grouping(.automatic).locale(Locale(identifier: "en_US"))) }
        var lines: [String] = [
            v.feasible
                ? "FEASIBLE: everyone is sampled within \(Int(rules.samplingHours.value)) h and the deadline of "
                    + "\(Int(rules.deadlineHours.value)) h is met"
                : "NOT FEASIBLE within \(Int(rules.deadlineHours.value)) h: see below",
            "\(count(v.servedPopulation)) of \(count(v.population)) people have a site: \(r.sites.count) sites, "
                + "\(r.sites.reduce(0) { $0 + $1.tables }) tables",
        ]
        if v.population > v.servedPopulation {
            lines.append(
                "\(count(v.population - v.servedPopulation)) people have no site with room: open "
                    + "\(v.extraSitesNeeded) more sites of \(rules.tablesPerSite.value) tables"
            )
        }
        if v.beyondWalkCoverable > 0 {
            lines.append(
                "\(count(v.beyondWalkCoverable)) people walk over \(Int(rules.walkMinutes.value)) min although a "
                    + "candidate site lies within reach"
            )
        }
        if v.beyondWalkUncoverable > 0 {
            lines.append(
                "\(count(v.beyondWalkUncoverable)) people live over \(Int(rules.walkMinutes.value)) min from every "
                    + "candidate site (mobile sampling or a bus)"
            )
        }
        if v.samplersPlaced < v.samplersNeeded {
            let short = v.samplersNeeded - v.samplersPlaced
            var line =
                "samplers: \(count(v.samplersNeeded)) needed, \(count(v.samplersPlaced)) placed from "
                + "\(count(v.samplersAvailable)) medical staff: \(count(short)) more needed"
            if v.samplersAvailable > 0 {
                line += String(format: "; with this pool the round takes %.0f h", v.hoursWithPool)
            }
            lines.append(line)
        } else {
            lines.append(
                "samplers: \(count(v.samplersNeeded)) needed, all placed (\(count(v.samplersAvailable)) medical "
                    + "staff available)"
            )
        }
        if v.helpersPlaced < v.helpersNeeded {
            lines.append(
                "registrars, marshals and escorts: \(count(v.helpersNeeded)) needed, \(count(v.helpersPlaced)) "
                    + "placed: \(count(v.helpersNeeded - v.helpersPlaced)) more needed"
            )
        } else {
            lines.append(
                "registrars, marshals and escorts: \(count(v.helpersNeeded)) needed, all placed; "
                    + "\(count(v.reinforcements)) of them reinforce a site outside their own grid"
            )
        }
        lines.append("tubes: \(count(v.tubes)) (\(rules.poolSize.value)-in-1, one per household at home)")
        return lines
    }

    /// The printable summary: the verdict first, then the round's figures and the rules used.
    public static func summary(_ r: TestingResult, stamp: ListStamp) -> String {
        var out = "GridPlan mass-testing plan\n"
        out += "generated \(ListStamp.clock(stamp.generatedAt)) CST from \(stamp.plan)\n"
        out +=
            "sampling starts \(ListStamp.clock(stamp.start)) CST; queues close by "
            + "\(stamp.time(minutes: r.sites.map(\.lastMinute).max() ?? 0))"
        let doorToDoorStart = Int(r.rules.samplingHours.value * 60)
        let doorToDoorEnd = Int((r.rules.samplingHours.value + r.rules.doorToDoorHours.value) * 60)
        out += "; door-to-door \(stamp.time(minutes: doorToDoorStart))–\(stamp.time(minutes: doorToDoorEnd))\n\n"
        for line in verdictLines(r) { out += line + "\n" }
        let walk = r.rules.walkLimitMetres
        let served = r.visits.filter { $0.site >= 0 }
        let within = served.filter { $0.walkMetres <= walk }.reduce(0) { $0 + $1.people }
        out += String(
            format: "\nwithin a %.0f-minute walk (%.0f m straight line): %.1f %% of the people with a site\n",
            r.rules.walkMinutes.value, walk,
            100 * Double(within) / Double(max(1, r.verdict.servedPopulation)))
        let home = r.homeStops.count, homeUnplanned = r.homeStops.filter { $0.site < 0 }.count
        if home > 0 {
            out +=
                "door-to-door: \(home) "
                + "households\(homeUnplanned > 0 ? ", \(homeUnplanned) without a site (see door_to_door.csv)" : "")\n"
        }
        out += "\nrules:\n"
        for rule in r.rules.described { out += "  \(rule.name) = \(rule.value)  (\(rule.provenance))\n" }
        return out
    }
}
