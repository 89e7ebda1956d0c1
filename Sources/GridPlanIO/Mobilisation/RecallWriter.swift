import Foundation
import GridPlanEngines
import GridPlanGeometryValues
import GridPlanModel

/// A recall with what the lists need beside the engine's result: the inputs, the person
/// responsible for each vessel and where each vessel belongs.
public struct RecallReport: Sendable {
    public var result: RecallResult
    public var vessels: [Vessel]
    public var ports: [ShelterPort]
    /// Per input vessel: its responsible person, and the village/community and grid it belongs to.
    public var responsible: [RecallContact?]
    public var homeUnit: [String]
    public var homeGrid: [String]
    public var rules: RecallRules
    /// Bad vessel rows left out with --skip-bad-rows.
    public var skipped: [InputError]

    public init(
        result: RecallResult, vessels: [Vessel], ports: [ShelterPort], responsible: [RecallContact?],
        homeUnit: [String], homeGrid: [String],
        rules: RecallRules, skipped: [InputError] = []
    ) {
        self.skipped = skipped
        self.result = result
        self.vessels = vessels
        self.ports = ports
        self.responsible = responsible
        self.homeUnit = homeUnit
        self.homeGrid = homeGrid
        self.rules = rules
    }
}

/// The recall's lists: every vessel by urgency, call lists per responsible person, the
/// haul-out and crew-ashore lists, ports, totals per level, routes, and the printable summary.
public enum RecallWriter {
    static func clock(_ date: Date?) -> String { date.map { ListStamp.clock($0) } ?? "" }
    static func km(_ metres: Double) -> String { String(format: "%.1f", metres / 1_000) }

    static let vesselHeader = [
        "rank", "vessel_id", "name", "status", "status_zh", "owner", "phone", "crew", "power_hp", "small_boat",
        "county_code", "town_code", "town_name",
        "unit_code", "unit_name", "grid_code", "responsible_id", "responsible_name", "responsible_role",
        "responsible_phone", "lon", "lat", "fix_time",
        "speed_kn", "port_id", "port_name", "sea_km", "approach_km", "eta", "latest_departure", "in_port_by",
        "gale_at_position", "notes",
    ]
    static let numeric: Set<String> = ["rank", "crew", "power_hp", "speed_kn", "sea_km", "approach_km"]

    /// One row per vessel, most urgent first: the list the emergency office works from.
    public static func vesselRows(
        _ r: RecallReport, units: UnitDirectory, stamp: ListStamp
    ) -> (header: [String], rows: [[String]]) {
        let rows = r.result.vessels.enumerated().map { rank, v -> [String] in
            let vessel = r.vessels[v.vessel], person = r.responsible[v.vessel], unit = r.homeUnit[v.vessel]
            let town = units.parent[unit] ?? "", port = v.port.map { r.ports[$0] }
            let latest = v.noDeadline ? "no gale on the route within the track" : clock(v.latestDeparture)
            return [
                "\(rank + 1)", vessel.id, vessel.name, v.status.rawValue, v.status.chineseName, vessel.owner,
                vessel.phone, "\(vessel.crew)",
                String(format: "%.0f", vessel.powerHp), v.smallBoat ? "yes" : "no", units.county(ofTown: town), town,
                units.name[town] ?? "", unit,
                units.name[unit] ?? "", r.homeGrid[v.vessel], person?.personID ?? "",
                person?.name ?? "NO RESPONSIBLE PERSON: the town assigns one",
                person.map { $0.role.chineseName } ?? "", person?.phone ?? "",
                String(format: "%.6f", vessel.position.x),
                String(format: "%.6f", vessel.position.y), clock(vessel.fixTime),
                String(format: "%.1f", vessel.speedKnots), port?.id ?? "",
                port?.name ?? "", km(v.seaMetres), km(v.approachMetres), clock(v.eta), latest, clock(v.inPortBy),
                clock(v.galeAtPosition),
                v.notes.joined(separator: "; "),
            ] + stamp.columns
        }
        return (vesselHeader + stamp.header, rows)
    }

    /// Call lists: one block per responsible person (the person with the most urgent vessel
    /// first), each person's vessels by urgency. Vessels already in port are left out.
    public static func callRows(_ r: RecallReport, stamp: ListStamp) -> (header: [String], rows: [[String]]) {
        let header =
            [
                "person_id", "person_name", "person_phone", "role", "grid_code", "call_order", "vessel_id",
                "vessel_name", "owner", "vessel_phone", "crew",
                "status", "latest_departure", "port_name", "notes",
            ] + stamp.header
        var order: [String] = []
        var calls: [String: [VesselRecall]] = [:]
        for v in r.result.vessels where v.status != .inPort {
            let key = r.responsible[v.vessel]?.personID ?? ""
            if calls[key] == nil { order.append(key) }
            calls[key, default: []].append(v)
        }
        var rows: [[String]] = []
        for key in order {
            for (k, v) in calls[key]!.enumerated() {
                let vessel = r.vessels[v.vessel], person = r.responsible[v.vessel]
                rows.append(
                    [
                        person?.personID ?? "", person?.name ?? "NO RESPONSIBLE PERSON", person?.phone ?? "",
                        person.map { $0.role.chineseName } ?? "",
                        r.homeGrid[v.vessel], "\(k + 1)", vessel.id, vessel.name, vessel.owner, vessel.phone,
                        "\(vessel.crew)", v.status.chineseName,
                        v.noDeadline ? "no gale on the route" : clock(v.latestDeparture),
                        v.port.map { r.ports[$0].name } ?? "NO BERTH",
                        v.notes.joined(separator: "; "),
                    ] + stamp.columns)
            }
        }
        return (header, rows)
    }

    /// Small boats (under `recall.small_boat_hp`): hauled above the high-tide line.
    public static func haulOutRows(_ r: RecallReport, stamp: ListStamp) -> (header: [String], rows: [[String]]) {
        let header =
            [
                "vessel_id", "name", "owner", "phone", "power_hp", "unit_code", "grid_code", "responsible_name",
                "responsible_phone", "landing_port",
                "latest_departure", "status", "hauled_out",
            ] + stamp.header
        let rows = r.result.vessels.filter(\.smallBoat).map { v -> [String] in
            let vessel = r.vessels[v.vessel], person = r.responsible[v.vessel]
            return [
                vessel.id, vessel.name, vessel.owner, vessel.phone, String(format: "%.0f", vessel.powerHp),
                r.homeUnit[v.vessel], r.homeGrid[v.vessel],
                person?.name ?? "", person?.phone ?? "", v.port.map { r.ports[$0].name } ?? "",
                clock(v.latestDeparture), v.status.chineseName, "",
            ] + stamp.columns
        }
        return (header, rows)
    }

    /// 人船双回: every vessel with crew, for ticking off that the crew is ashore too.
    public static func crewRows(_ r: RecallReport, stamp: ListStamp) -> (header: [String], rows: [[String]]) {
        let header =
            [
                "vessel_id", "name", "owner", "phone", "crew", "unit_code", "grid_code", "responsible_name",
                "responsible_phone", "port_name", "status",
                "crew_ashore",
            ] + stamp.header
        let rows = r.result.vessels.filter { r.vessels[$0.vessel].crew > 0 }.map { v -> [String] in
            let vessel = r.vessels[v.vessel], person = r.responsible[v.vessel]
            return [
                vessel.id, vessel.name, vessel.owner, vessel.phone, "\(vessel.crew)", r.homeUnit[v.vessel],
                r.homeGrid[v.vessel], person?.name ?? "",
                person?.phone ?? "", v.port.map { r.ports[$0].name } ?? "", v.status.chineseName, "",
            ] + stamp.columns
        }
        return (header, rows)
    }

    static let portHeader = [
        "port_id", "name", "lon", "lat", "berths", "already_in", "assigned", "free_berths", "small_boats_landing",
    ]

    public static func portRows(_ r: RecallReport, stamp: ListStamp) -> (header: [String], rows: [[String]]) {
        let rows = r.ports.indices.map { p -> [String] in
            let port = r.ports[p], load = r.result.ports[p]
            return [
                port.id, port.name, String(format: "%.6f", port.point.x), String(format: "%.6f", port.point.y),
                "\(port.berths)", "\(load.alreadyIn)",
                "\(load.assigned)", "\(port.berths - load.alreadyIn - load.assigned)", "\(load.smallBoats)",
            ] + stamp.columns
        }
        return (portHeader + stamp.header, rows)
    }

    /// Totals per city, county, town, village and grid.
    public static func levelRows(
        _ r: RecallReport, units: UnitDirectory, stamp: ListStamp
    ) -> (header: [String], rows: [[String]]) {
        var totals: [String: [Int]] = [:]  // vessels, crew, small, then one count per status
        var level: [String: String] = [:]
        for v in r.result.vessels {
            let unit = r.homeUnit[v.vessel], town = units.parent[unit] ?? ""
            var places = units.levels(town: town, unit: unit)
            if !r.homeGrid[v.vessel].isEmpty && !places.contains(where: { $0.code == r.homeGrid[v.vessel] }) {
                places.append((r.homeGrid[v.vessel], "grid"))
            }
            for (code, kind) in places {
                level[code] = kind
                var t = totals[code] ?? [Int](repeating: 0, count: 3 + RecallStatus.allCases.count)
                t[0] += 1
                t[1] += r.vessels[v.vessel].crew
                t[2] += v.smallBoat ? 1 : 0
                t[3 + RecallStatus.allCases.firstIndex(of: v.status)!] += 1
                totals[code] = t
            }
        }
        let rank = ["city": 0, "county": 1, "town": 2, "village": 3, "grid": 4]
        let header =
            ["level", "code", "name", "vessels", "crew", "small_boats"] + RecallStatus.allCases.map(\.rawValue)
            + stamp.header
        let rows = totals.keys.sorted { (rank[level[$0]!]!, $0) < (rank[level[$1]!]!, $1) }.map { code -> [String] in
            [level[code]!, code == "all" ? "" : code, code == "all" ? "whole plan" : units.name[code] ?? ""]
                + totals[code]!.map { "\($0)" } + stamp.columns
        }
        return (header, rows)
    }

    /// Vessels as points (the columns of recall_vessels.csv).
    public static func vesselFeatures(_ r: RecallReport, units: UnitDirectory, stamp: ListStamp) -> [GeoJSONFeature] {
        let table = vesselRows(r, units: units, stamp: stamp)
        return zip(r.result.vessels, table.rows).map { v, row in
            GeoJSONFeature(
                id: .string(r.vessels[v.vessel].id), properties: properties(table.header, row),
                geometry: .point(r.vessels[v.vessel].position))
        }
    }

    /// Routes by sea, one LineString per vessel that sails.
    public static func routeFeatures(_ r: RecallReport) -> [GeoJSONFeature] {
        r.result.vessels.filter { $0.route.count >= 2 }.map { v in
            GeoJSONFeature(
                id: .string(r.vessels[v.vessel].id),
                properties: [
                    ("vessel_id", .string(r.vessels[v.vessel].id)), ("status", .string(v.status.rawValue)),
                    ("port_id", .string(v.port.map { r.ports[$0].id } ?? "")),
                    ("sea_km", .number((v.seaMetres / 100).rounded() / 10)),
                    ("approach_km", .number((v.approachMetres / 100).rounded() / 10)),
                ], geometry: .lineString(v.route))
        }
    }

    public static func portFeatures(_ r: RecallReport, stamp: ListStamp) -> [GeoJSONFeature] {
        let table = portRows(r, stamp: stamp)
        return zip(r.ports, table.rows).map { port, row in
            GeoJSONFeature(
                id: .string(port.id), properties: properties(table.header, row), geometry: .point(port.point))
        }
    }

    static func properties(_ header: [String], _ row: [String]) -> Properties {
        zip(header, row).filter { $0.0 != "lon" && $0.0 != "lat" }.map { name, text in
            (
                name,
                (numeric.contains(name) || portNumeric.contains(name))
                    ? PropertyValue.number(Double(text) ?? 0) : .string(text)
            )
        }
    }
    static let portNumeric: Set<String> = ["berths", "already_in", "assigned", "free_berths", "small_boats_landing"]

    /// The printable summary: the counts that matter first, then the vessels to escalate.
    public static func summary(_ r: RecallReport, stamp: ListStamp) -> String {
        let result = r.result
        var count: [RecallStatus: Int] = [:]
        for v in result.vessels { count[v.status, default: 0] += 1 }
        var out = "GridPlan typhoon recall (台风渔船回港)\n"
        out +=
            "generated \(ListStamp.clock(stamp.generatedAt)) CST from \(stamp.plan); positions as of "
            + "\(ListStamp.clock(result.now)) CST\n"
        if let deadline = result.deadline {
            out +=
                "deadline: in port by \(ListStamp.clock(deadline)) CST (landfall − \(r.rules.leadHours.value) h, "
                + "recall.lead_hours)\n"
        }
        if let track = result.trackID {
            out +=
                "typhoon \(track): the latest departure keeps each vessel out of gale-force winds (≥ "
                + "\(Int(r.rules.galeWindKnots.value)) kn) on its way\n"
        }
        out +=
            "\n\(result.vessels.count) vessels, \(result.vessels.reduce(0) { $0 + r.vessels[$1.vessel].crew }) crew\n"
        if !r.skipped.isEmpty {
            out +=
                "NOT IN THESE LISTS: \(r.skipped.count) bad vessel rows skipped (--skip-bad-rows); find these "
                + "vessels by other means:\n"
            for e in r.skipped.prefix(30) { out += "  line \(e.line ?? 0): \(e.message)\n" }
            if r.skipped.count > 30 { out += "  … and \(r.skipped.count - 30) more\n" }
        }
        for status in RecallStatus.allCases {
            out += "  \(status.rawValue) (\(status.chineseName)): \(count[status] ?? 0)\n"
        }
        let small = result.vessels.filter(\.smallBoat).count
        out += "small boats to haul out (< \(Int(r.rules.smallBoatHp.value)) hp): \(small) (haul_out.csv)\n"
        let noPerson = result.vessels.filter { r.responsible[$0.vessel] == nil }.count
        let people = Set(result.vessels.compactMap { r.responsible[$0.vessel]?.personID }).count
        out +=
            "responsible persons: "
            + "\(people)\(noPerson > 0 ? "; \(noPerson) vessels have none (their grid has no staff)" : "")\n"
        let berths = r.ports.reduce(0) { $0 + $1.berths },
            used = result.ports.reduce(0) { $0 + $1.alreadyIn + $1.assigned }
        out += "shelter ports: \(r.ports.count), berths \(berths), taken \(used)\n"
        let sailing = result.vessels.filter { !$0.route.isEmpty }
        if !sailing.isEmpty {
            let km = sailing.map { ($0.seaMetres + $0.approachMetres) / 1_000 }.sorted()
            out += String(format: "distance by sea: median %.1f km, max %.1f km\n", km[km.count / 2], km.last!)
        }
        let escalate = result.vessels.filter { $0.status == .cannotMakeIt }
        if !escalate.isEmpty {
            out += "\nescalate to maritime rescue (\(escalate.count)):\n"
            for v in escalate.prefix(30) {
                let vessel = r.vessels[v.vessel]
                out +=
                    "  \(vessel.id) \(vessel.name), crew \(vessel.crew), at "
                    + "(\(String(format: "%.4f, %.4f", vessel.position.x, vessel.position.y))): "
                    + "\(v.notes.joined(separator: "; "))\n"
            }
            if escalate.count > 30 { out += "  … and \(escalate.count - 30) more in recall_vessels.csv\n" }
        }
        out += String(
            format:
                "\nsea routes on %d cells of %.0f m (%d open); berths assigned by exact min-cost flow (distances in "
                + "%d m units)\n",
            result.cells,
            r.rules.cellMetres.value, result.openCells, result.distanceUnitMetres)
        out += "\nrules:\n"
        for rule in r.rules.described { out += "  \(rule.name) = \(rule.value)  (\(rule.provenance))\n" }
        return out
    }
}
