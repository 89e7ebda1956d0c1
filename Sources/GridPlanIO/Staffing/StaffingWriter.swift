import Foundation
import GridPlanEngines
import GridPlanGeometryValues
import GridPlanModel

/// Writes a staffing: `assignments.csv`, `vacancies.csv`, `unassigned.csv`, `moves.csv` (with
/// `--current`), `grids_staffed.geojson`, and renders the summary printed on stdout.
public enum StaffingWriter {
    public static func assignmentsRows(_ r: StaffingResult) -> (header: [String], rows: [[String]]) {
        let unitOf = Dictionary(r.places.map { ($0.gridCode, $0.unitCode) }, uniquingKeysWith: { a, _ in a })
        let header = [
            "person_id", "name", "person_role", "slot_role", "slot_role_zh", "grid_code", "microgrid_code", "unit_code",
            "distance_m", "phone", "kept",
        ]
        let rows = r.assignments.map { a -> [String] in
            let p = r.people[a.personIndex]
            return [
                p.id, p.name, p.role.rawValue, a.slotRole.rawValue, a.slotRole.chineseName, a.gridCode,
                a.microGridCode ?? "",
                unitOf[a.gridCode] ?? "", "\(a.metres)", p.phone, a.kept ? "yes" : "no",
            ]
        }
        return (header, rows)
    }

    public static func vacancyRows(_ r: StaffingResult) -> (header: [String], rows: [[String]]) {
        let header = ["grid_code", "unit_code", "role", "role_zh", "vacancies", "nearest_available"]
        let rows = r.vacancies.map { v -> [String] in
            let near = v.nearestSurplus.map {
                "\(r.people[$0.personIndex].id) \(r.people[$0.personIndex].name) "
                    + "(\(r.people[$0.personIndex].role.rawValue), \($0.metres) m)"
            }
            return [
                v.gridCode, v.unitCode, v.role.rawValue, v.role.chineseName, "\(v.count)", near.joined(separator: "; "),
            ]
        }
        return (header, rows)
    }

    public static func unassignedRows(_ r: StaffingResult) -> (header: [String], rows: [[String]]) {
        let header = ["person_id", "name", "role", "phone", "status"]
        let rows =
            r.unassigned.map { i in
                [r.people[i].id, r.people[i].name, r.people[i].role.rawValue, r.people[i].phone, "available, no post"]
            }
            + r.unavailable.map { i in
                [r.people[i].id, r.people[i].name, r.people[i].role.rawValue, r.people[i].phone, "unavailable"]
            }
        return (header, rows)
    }

    public static func moveRows(_ r: StaffingResult) -> (header: [String], rows: [[String]]) {
        (
            ["person_id", "from_grid", "role", "to_grid", "reason"],
            r.moves.map { [$0.personID, $0.fromGrid, $0.role.rawValue, $0.toGrid ?? "", $0.reason] }
        )
    }

    /// Grids with their people by role, slots and vacancies.
    public static func gridFeatures(_ r: StaffingResult, grids: [Grid]) -> [GeoJSONFeature] {
        var people: [String: [StaffRole: [String]]] = [:]
        for a in r.assignments {
            let p = r.people[a.personIndex]
            people[a.gridCode, default: [:]][a.slotRole, default: []].append(
                p.name.isEmpty ? p.id : "\(p.name) (\(p.id))")
        }
        var vacant: [String: [StaffRole: Int]] = [:]
        for v in r.vacancies { vacant[v.gridCode, default: [:]][v.role] = v.count }
        let places = Dictionary(r.places.map { ($0.gridCode, $0) }, uniquingKeysWith: { a, _ in a })
        return grids.map { g in
            var props: Properties = [
                ("code", .string(g.code)), ("unit_code", .string(g.unitCode)), ("kind", .string(g.kind.rawValue)),
                ("households", .number(Double(g.households))), ("population", .number(Double(g.population))),
            ]
            var vacancies = 0
            for role in StaffRole.allCases {
                let micro = places[g.code]?.microGrids.count ?? 0
                let slots = r.rules.slots(role, kind: g.kind, microGrids: micro, households: g.households)
                guard slots > 0 else { continue }
                props.append((role.rawValue, .array((people[g.code]?[role] ?? []).map(PropertyValue.string))))
                let v = vacant[g.code]?[role] ?? 0
                props.append(("\(role.rawValue)_vacancies", .number(Double(v))))
                vacancies += v
            }
            props.append(("vacancies", .number(Double(vacancies))))
            return GeoJSONFeature(properties: props, geometry: g.geometry)
        }
    }

    /// Figures for the summary: distance percentiles and households per full-time worker.
    public struct Figures: Sendable {
        public var distancePercentiles: [(Int, Int)]
        public var householdsPerFullTime: (min: Int, median: Int, max: Int)?
        public var gridsWithoutFullTime: Int
    }

    public static func figures(_ r: StaffingResult) -> Figures {
        let d = r.assignments.map(\.metres).sorted()
        func pct(_ q: Int) -> Int { d.isEmpty ? 0 : d[min(d.count - 1, (d.count - 1) * q / 100)] }
        var fullTime: [String: Int] = [:]
        for a in r.assignments where a.slotRole == .fullTime { fullTime[a.gridCode, default: 0] += 1 }
        let comprehensive = r.places.filter { $0.kind == .comprehensive }
        let loads = comprehensive.compactMap { p in fullTime[p.gridCode].map { p.households / $0 } }.sorted()
        return Figures(
            distancePercentiles: [50, 90, 95, 100].map { ($0, pct($0)) },
            householdsPerFullTime: loads.isEmpty ? nil : (loads[0], loads[loads.count / 2], loads[loads.count - 1]),
            gridsWithoutFullTime: comprehensive.filter { fullTime[$0.gridCode] == nil }.count)
    }

    public static func summaryText(_ r: StaffingResult, out folder: String, hasCurrent: Bool) -> String {
        let f = figures(r)
        var lines = [
            "staffed \(r.places.count) grids from \(r.people.count) people (\(r.unavailable.count) unavailable) in "
                + "\(String(format: "%.1f", r.seconds)) s; exact min-cost flow over \(r.arcs) arcs, optimal over "
                + "every grid within \(r.rules.maxDistanceKm.value) km (certificate: \(r.certificateRounds) "
                + "re-solves, \(r.certificateAddedPairs) person–grid pairs added)"
        ]
        for role in StaffRole.allCases {
            guard let s = r.slots[role], s.total > 0 else { continue }
            lines.append(
                "  \(role.rawValue) (\(role.chineseName)): \(s.filled) of \(s.total) posts filled"
                    + (s.filled < s.total ? ", \(s.total - s.filled) vacant" : ""))
        }
        lines.append("people without a post: \(r.unassigned.count) (unassigned.csv)")
        lines.append(
            "home-to-grid distance: "
                + f.distancePercentiles.map { "\($0.0 == 100 ? "max" : "p\($0.0)") \($0.1) m" }.joined(separator: ", "))
        if let h = f.householdsPerFullTime {
            lines.append(
                "households per full-time worker: min \(h.min), median \(h.median), max \(h.max); comprehensive "
                    + "grids without one: \(f.gridsWithoutFullTime)"
            )
        }
        if hasCurrent {
            lines.append("current posts kept: \(r.kept); moved: \(r.moves.count) (moves.csv gives each reason)")
        }
        lines.append(
            "wrote \(folder)/assignments.csv, vacancies.csv, unassigned.csv, grids_staffed.geojson"
                + (hasCurrent ? ", moves.csv" : ""))
        return lines.joined(separator: "\n") + "\n"
    }
}
