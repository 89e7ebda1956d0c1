import Foundation
import GridPlanEngines
import GridPlanGeometryValues
import GridPlanModel

/// Writes a partition: `grids.geojson`, `microgrids.geojson` and `report.json`, and renders
/// the summary printed on stdout.
public enum PartitionWriter {
    static func rounded(_ v: Double, _ decimals: Int) -> PropertyValue {
        let scale = pow(10, Double(decimals))
        return .number((v * scale).rounded() / scale)
    }

    public static func gridFeatures(_ grids: [Grid]) -> [GeoJSONFeature] {
        grids.map { g in
            GeoJSONFeature(
                properties: [
                    ("code", .string(g.code)), ("unit_code", .string(g.unitCode)), ("kind", .string(g.kind.rawValue)),
                    ("households", .number(Double(g.households))), ("population", .number(Double(g.population))),
                    ("area_m2", rounded(g.areaSquareMetres, 1)), ("compactness", rounded(g.compactness, 4)),
                    ("band", .string(g.band.rawValue)), ("violations", .array(g.violations.map(PropertyValue.string))),
                    ("notes", .array(g.notes.map(PropertyValue.string))),
                ] + (g.buildings.map { [("buildings", PropertyValue.number(Double($0)))] } ?? [])
                    + (g.homeUnit.map { [("home_unit", PropertyValue.string($0))] } ?? []), geometry: g.geometry)
        }
    }

    public static func microGridFeatures(_ micro: [MicroGrid]) -> [GeoJSONFeature] {
        micro.map { m in
            GeoJSONFeature(
                properties: [
                    ("code", .string(m.code)), ("grid_code", .string(m.gridCode)),
                    ("households", .number(Double(m.households))), ("population", .number(Double(m.population))),
                    ("area_m2", rounded(m.areaSquareMetres, 1)), ("band", .string(m.band.rawValue)),
                ] + (m.buildings.map { [("buildings", PropertyValue.number(Double($0)))] } ?? []), geometry: m.geometry)
        }
    }

    /// `lineage.csv`: one row per new grid and per retired old grid.
    public static func lineageCSV(_ entries: [LineageEntry]) -> Data {
        CSVWriter().encode(
            header: ["unit_code", "code", "status", "previous_codes", "successor_codes", "iou"],
            rows: entries.map { e in
                [
                    e.unitCode, e.code, e.status.rawValue, e.previous.joined(separator: ";"),
                    e.successors.joined(separator: ";"),
                    e.iou.map { String(format: "%.4f", $0) } ?? "",
                ]
            })
    }

    /// Summary figures shared by the JSON report and the printed summary.
    public struct Summary: Sendable {
        public var grids: Int
        public var microGrids: Int
        public var comprehensive: Int
        public var withinBand: Int
        public var households: (min: Int, median: Int, max: Int)
        public var compactness: (mean: Double, min: Double)
        public var microWithinBand: Int
        /// Micro-grids of one building above the band (it cannot be split).
        public var microIndivisible: Int
        public var violations: [(rule: String, count: Int)]
        public var worstGap: Double
        public var worstOverlap: Double
        public var worstExcess: Double
        public var worstMicroGap: Double
        public var worstMicroOverlap: Double
        public var disconnected: [String]
        public var islandUnits: [String]
        public var tolerance: Double
        public var microBand: (min: Int, max: Int)
        public var buildings: Int?
        public var splitBuildings: [String]
        /// With barriers: metres of boundary between grids, and the metres along barriers.
        public var interiorBoundary: Double?
        public var interiorOnBarrier: Double?

        public init(_ result: PartitionResult) {
            grids = result.grids.count
            microGrids = result.microGrids.count
            let comp = result.grids.filter { $0.kind == .comprehensive }
            comprehensive = comp.count
            withinBand = comp.filter { $0.band == .ok }.count
            let hh = comp.map(\.households).sorted()
            households = hh.isEmpty ? (0, 0, 0) : (hh[0], hh[hh.count / 2], hh[hh.count - 1])
            let cs = result.grids.map(\.compactness)
            compactness = cs.isEmpty ? (0, 0) : (cs.reduce(0, +) / Double(cs.count), cs.min()!)
            microWithinBand = result.microGrids.filter { $0.band == .ok }.count
            microIndivisible = result.microGrids.filter { $0.band == .indivisible }.count
            var counts: [String: Int] = [:]
            for g in result.grids { for v in g.violations { counts[v, default: 0] += 1 } }
            violations = counts.keys.sorted().map { ($0, counts[$0]!) }
            worstGap = result.units.map(\.gapSquareMetres).max() ?? 0
            worstOverlap = result.units.map(\.overlapSquareMetres).max() ?? 0
            worstExcess = result.units.map(\.excessSquareMetres).max() ?? 0
            worstMicroGap = result.units.map(\.microGapSquareMetres).max() ?? 0
            worstMicroOverlap = result.units.map(\.microOverlapSquareMetres).max() ?? 0
            disconnected = result.units.flatMap { $0.disconnectedGrids + $0.disconnectedMicroGrids }
            islandUnits = result.units.filter { $0.unitParts > 1 }.map(\.unitCode)
            tolerance = result.rules.coverageTolerance.value
            microBand = (result.rules.microHouseholdsMin.value, result.rules.microHouseholdsMax.value)
            let counted = result.units.compactMap(\.buildings)
            buildings = counted.isEmpty ? nil : counted.reduce(0, +)
            splitBuildings = result.units.flatMap(\.splitBuildings)
            let withBarriers = result.units.filter { $0.interiorBoundaryMetres != nil }
            if !withBarriers.isEmpty {
                interiorBoundary = withBarriers.reduce(0) { $0 + $1.interiorBoundaryMetres! }
                interiorOnBarrier = withBarriers.reduce(0) { $0 + $1.interiorOnBarrierMetres! }
            }
        }

        /// Share of the boundary between grids that runs along barriers (units crossed by barriers).
        public var barrierShare: Double? {
            guard let total = interiorBoundary, let on = interiorOnBarrier else { return nil }
            return total > 0 ? min(1, on / total) : 1
        }

        public var hardRulesHold: Bool {
            disconnected.isEmpty && splitBuildings.isEmpty
                && [worstGap, worstOverlap, worstExcess, worstMicroGap, worstMicroOverlap].allSatisfy {
                    $0 <= tolerance
                }
        }
    }

    public static func reportJSON(_ result: PartitionResult, inputs: [String]) -> Data {
        let s = Summary(result)
        let share = s.comprehensive > 0 ? Double(s.withinBand) / Double(s.comprehensive) : 0
        let microShare = s.microGrids > 0 ? Double(s.microWithinBand) / Double(s.microGrids) : 0
        let units: [PropertyValue] = result.units.map { u in
            .object([
                ("unit_code", .string(u.unitCode)), ("name", .string(u.unitName)), ("grids", .number(Double(u.grids))),
                ("microgrids", .number(Double(u.microGrids))),
                ("requested_grids", u.requestedGrids.map { .number(Double($0)) } ?? .null),
                ("gap_m2", rounded(u.gapSquareMetres, 3)), ("excess_m2", rounded(u.excessSquareMetres, 3)),
                ("overlap_m2", rounded(u.overlapSquareMetres, 3)), ("micro_gap_m2", rounded(u.microGapSquareMetres, 3)),
                ("micro_excess_m2", rounded(u.microExcessSquareMetres, 3)),
                ("micro_overlap_m2", rounded(u.microOverlapSquareMetres, 3)),
                ("unit_parts", .number(Double(u.unitParts))),
                ("disconnected", .array((u.disconnectedGrids + u.disconnectedMicroGrids).map(PropertyValue.string))),
                ("interior_boundary_m", u.interiorBoundaryMetres.map { rounded($0, 1) } ?? .null),
                ("interior_on_barrier_m", u.interiorOnBarrierMetres.map { rounded($0, 1) } ?? .null),
            ])
        }
        let missed: [PropertyValue] = result.grids.filter { !$0.violations.isEmpty }.map { g in
            .object([
                ("code", .string(g.code)), ("households", .number(Double(g.households))),
                ("population", .number(Double(g.population))), ("band", .string(g.band.rawValue)),
                ("violations", .array(g.violations.map(PropertyValue.string))),
                ("notes", .array(g.notes.map(PropertyValue.string))),
            ])
        }
        let root: PropertyValue = .object([
            ("inputs", .array(inputs.map(PropertyValue.string))),
            ("measured_in", result.projection.map { .string($0.description) } ?? .null),
            (
                "summary",
                .object([
                    ("grids", .number(Double(s.grids))), ("microgrids", .number(Double(s.microGrids))),
                    ("comprehensive_grids", .number(Double(s.comprehensive))),
                    ("share_within_band", rounded(share, 4)),
                    ("households_min", .number(Double(s.households.min))),
                    ("households_median", .number(Double(s.households.median))),
                    ("households_max", .number(Double(s.households.max))),
                    ("compactness_mean", rounded(s.compactness.mean, 4)),
                    ("compactness_min", rounded(s.compactness.min, 4)),
                    ("microgrids_share_within_band", rounded(microShare, 4)),
                    ("microgrids_indivisible", .number(Double(s.microIndivisible))),
                    ("violations_by_rule", .object(s.violations.map { ($0.rule, .number(Double($0.count))) })),
                    ("boundary_share_on_barriers", s.barrierShare.map { rounded($0, 4) } ?? .null),
                    ("runtime_s", rounded(result.seconds, 2)),
                ])
            ),
            (
                "hard_rules",
                .object([
                    ("hold", .bool(s.hardRulesHold)),
                    ("tolerance_m2", .number(result.rules.coverageTolerance.value)),
                    ("worst_gap_m2", rounded(s.worstGap, 3)), ("worst_excess_m2", rounded(s.worstExcess, 3)),
                    ("worst_overlap_m2", rounded(s.worstOverlap, 3)),
                    ("worst_micro_gap_m2", rounded(s.worstMicroGap, 3)),
                    ("worst_micro_overlap_m2", rounded(s.worstMicroOverlap, 3)),
                    ("disconnected", .array(s.disconnected.map(PropertyValue.string))),
                    ("units_with_islands", .array(s.islandUnits.map(PropertyValue.string))),
                    ("buildings", s.buildings.map { .number(Double($0)) } ?? .null),
                    ("buildings_not_whole_in_one_microgrid", .array(s.splitBuildings.map(PropertyValue.string))),
                ])
            ),
            (
                "rules",
                .array(
                    result.rules.described.map {
                        .object([
                            ("name", .string($0.name)), ("value", .string($0.value)),
                            ("provenance", .string($0.provenance)),
                        ])
                    })
            ),
            ("grids_missing_targets", .array(missed)),
            ("units", .array(units)),
        ])
        var out = JSONText()
        out.value(root)
        out.raw("\n")
        return Data(out.bytes)
    }

    /// "; N is a single building above the band (indivisible)" after a micro-grid band count, or "".
    static func indivisibleNote(_ n: Int) -> String {
        n == 0 ? "" : "; \(n) \(n == 1 ? "is a single building" : "are single buildings") above the band (indivisible)"
    }

    public static func summaryText(_ result: PartitionResult, out folder: String) -> String {
        let s = Summary(result)
        func pct(_ a: Int, _ b: Int) -> String { b == 0 ? "-" : String(format: "%.1f%%", Double(a) / Double(b) * 100) }
        var lines = [
            "partitioned \(result.units.count) units into \(s.grids) grids (\(s.comprehensive) comprehensive) and "
                + "\(s.microGrids) micro-grids in \(String(format: "%.1f", result.seconds)) s",
            "households per comprehensive grid: min \(s.households.min), median \(s.households.median), max "
                + "\(s.households.max); within band: \(s.withinBand) of \(s.comprehensive) "
                + "(\(pct(s.withinBand, s.comprehensive)))",
            "micro-grids within \(s.microBand.min)–\(s.microBand.max) households: \(s.microWithinBand) of "
                + "\(s.microGrids) (\(pct(s.microWithinBand, s.microGrids)))"
                + indivisibleNote(s.microIndivisible),
            "compactness (Polsby–Popper): mean \(String(format: "%.3f", s.compactness.mean)), min "
                + "\(String(format: "%.3f", s.compactness.min))",
            "hard rules: \(s.hardRulesHold ? "hold" : "BROKEN") — worst gap \(String(format: "%.3f", s.worstGap)) "
                + "m², overlap \(String(format: "%.3f", s.worstOverlap)) m², outside "
                + "\(String(format: "%.3f", s.worstExcess)) m² per unit; disconnected: \(s.disconnected.count); "
                + "units with islands: \(s.islandUnits.count)",
        ]
        if let share = s.barrierShare, let total = s.interiorBoundary {
            lines.append(
                String(
                    format: "boundaries between grids along barriers: %.1f%% of %.1f km (in units that barriers cross)",
                    share * 100, total / 1000))
        }
        if let b = s.buildings {
            lines.append(
                "buildings: \(b), each wholly in one micro-grid: "
                    + "\(s.splitBuildings.isEmpty ? "yes" : "NO (\(s.splitBuildings.count) not)")"
            )
        }
        if !s.violations.isEmpty {
            lines.append(
                "targets missed: " + s.violations.map { "\($0.rule) ×\($0.count)" }.joined(separator: ", ")
                    + " (reasons in report.json)")
        }
        if let lineage = result.lineage {
            var counts: [String: Int] = [:]
            for e in lineage { counts[e.status.rawValue, default: 0] += 1 }
            let order = ["unchanged", "reshaped", "split", "merged", "new", "retired"]
            lines.append(
                "lineage: " + order.map { "\($0) \(counts[$0] ?? 0)" }.joined(separator: ", ") + " (lineage.csv)")
        }
        lines.append(
            "wrote \(folder)/grids.geojson, microgrids.geojson, report.json, plan.gpkg"
                + (result.lineage == nil ? "" : ", lineage.csv"))
        return lines.joined(separator: "\n") + "\n"
    }
}
