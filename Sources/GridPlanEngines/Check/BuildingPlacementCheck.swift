import GridPlanGeometryValues
import GridPlanModel

/// Rules `building.outside-units` and `building.split`: every building must fall in exactly
/// one unit (by its point, or by its footprint's area, which may not straddle a boundary by
/// more than 5%). Reads the placement the run made once (``TerritoryMeasurement``).
struct BuildingPlacementCheck {
    let file: String
    let buildings: [Building]
    /// Buildings already reported as invalid.
    let skipping: Set<Int>
    /// Each building's shares and point, from the run's placement.
    let shares: ArraySlice<[TerritoryMeasurement.UnitShare]>
    let points: ArraySlice<Position?>
    let unitReferences: [FeatureReference]

    func run() -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        for (k, building) in buildings.enumerated() where !skipping.contains(k) {
            let touched = shares[shares.startIndex + k]
            let location = points[points.startIndex + k]
            let polygonal = building.geometry.isPolygonal
            if touched.isEmpty {
                diagnostics.append(
                    Diagnostic(
                        .warning, rule: "building.outside-units", file: file, feature: building.reference,
                        message: "lies in no unit; it will not be counted", location: location))
            } else if polygonal, touched.filter({ $0.share > 0.05 }).count > 1 {
                let names = touched.filter { $0.share > 0.05 }.map {
                    "\(unitReferences[$0.unit]) \(Int(($0.share * 100).rounded()))%"
                }
                diagnostics.append(
                    Diagnostic(
                        .warning, rule: "building.split", file: file, feature: building.reference,
                        related: touched.map { unitReferences[$0.unit] },
                        message:
                            "straddles units (\(names.joined(separator: ", "))); it will go to the one with the "
                            + "largest share",
                        location: location))
            }
        }
        return diagnostics
    }
}
