import GridPlanGeometryValues
import GridPlanModel

/// A building ready for partitioning: where it is, the unit it belongs to, and its households.
public struct BuildingSite: Sendable, Equatable {
    public var id: String
    public var unitCode: String
    /// A point inside the building (its point-on-surface; the point itself for point data).
    public var point: Position
    /// The footprint, lon/lat; nil for point data.
    public var footprint: Geometry?
    public var households: Int
    public var population: Int
    /// Whether households were given (true) or spread from the unit total (false).
    public var householdsGiven: Bool
}

/// Households per building: given values are kept; where they are missing, what the unit's
/// total leaves over is spread in proportion to floor area (footprint m² × storeys; points
/// count as the median footprint of the unit, or 1). Population follows the same shares.
/// A unit whose total is missing, or smaller than its buildings' given households, takes the
/// buildings' sum.
public enum BuildingHouseholds {
    public static func assign(
        units: [TerritorialUnit], buildings: [Building], unitOf: [String?], footprints: [Double?], points: [Position?]
    ) -> (sites: [BuildingSite], unitTotals: [String: (households: Int, population: Int)], notes: [Diagnostic]) {
        var byUnit: [String: [Int]] = [:]
        // A building is in a unit only when it has a point (an empty geometry is placed nowhere).
        for (i, code) in unitOf.enumerated() { if let code, points[i] != nil { byUnit[code, default: []].append(i) } }
        var sites: [BuildingSite] = []
        var totals: [String: (households: Int, population: Int)] = [:]
        var notes: [Diagnostic] = []
        for unit in units where !unit.kind.isContainer {
            guard let members = byUnit[unit.code], !members.isEmpty else { continue }
            let known = members.filter { buildings[$0].households != nil }
            let unknown = members.filter { buildings[$0].households == nil }
            let givenSum = known.reduce(0) { $0 + buildings[$1].households! }
            let unitHouseholds: Int
            if unknown.isEmpty {
                unitHouseholds = givenSum
                if let stated = unit.households, stated != givenSum {
                    notes.append(
                        Diagnostic(
                            .warning, rule: "households.buildings-differ", file: "", feature: unit.reference,
                            message:
                                "the unit states \(stated) households; its \(members.count) buildings hold "
                                + "\(givenSum), which is used "
                                + "(fix the unit or the buildings' households if \(stated) is right)"))
                }
            } else {
                unitHouseholds = max(unit.households ?? givenSum, givenSum)
                if let stated = unit.households, givenSum > stated {
                    notes.append(
                        Diagnostic(
                            .warning, rule: "households.buildings-differ", file: "", feature: unit.reference,
                            message:
                                "the unit states \(stated) households, but \(known.count) of its buildings already "
                                + "hold \(givenSum); "
                                + "\(givenSum) is used and its \(unknown.count) buildings without a figure get none"))
                }
            }
            let sortedFootprints = members.compactMap { footprints[$0] }.sorted()
            let typical = sortedFootprints.isEmpty ? 1 : sortedFootprints[sortedFootprints.count / 2]
            let floorAreas = unknown.map { (footprints[$0] ?? typical) * buildings[$0].effectiveLevels }
            let spread = LargestRemainder.apportion(
                unitHouseholds - givenSum,
                weights: floorAreas.allSatisfy { $0 == 0 } ? floorAreas.map { _ in 1 } : floorAreas)
            var households = [Int: Int]()
            for i in known { households[i] = buildings[i].households! }
            for (j, i) in unknown.enumerated() { households[i] = spread[j] }
            let unitPopulation = unit.population ?? Int((Double(unitHouseholds) * 2.8).rounded())
            let population = LargestRemainder.apportion(
                unitPopulation, weights: members.map { Double(households[$0]!) })
            totals[unit.code] = (unitHouseholds, unitPopulation)
            for (j, i) in members.enumerated() {
                let b = buildings[i]
                sites.append(
                    BuildingSite(
                        id: b.id, unitCode: unit.code, point: points[i]!,
                        footprint: b.geometry.isPolygonal ? b.geometry : nil,
                        households: households[i]!, population: b.population ?? population[j],
                        householdsGiven: b.households != nil))
            }
        }
        return (sites, totals, notes)
    }
}
