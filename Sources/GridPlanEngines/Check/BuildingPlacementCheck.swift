import GridPlanGeometry
import GridPlanModel

/// Rules `building.outside-units` and `building.split`: every building must fall in exactly
/// one unit (by its point, or by its footprint's area, which may not straddle a boundary by
/// more than 5%).
struct BuildingPlacementCheck {
    let file: String
    let buildings: [Building]
    /// Buildings already reported as invalid.
    let skipping: Set<Int>
    let units: MeasuredLayer
    let unitReferences: [FeatureReference]

    func run() throws -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        for (k, building) in buildings.enumerated() where !skipping.contains(k) {
            let native = try units.native(building.geometry)
            guard let box = try native.boundingBox() else { continue }
            var shares: [(Int, Double)] = []
            // Shares are ratios of lon/lat areas: the local scale cancels out.
            let footprint = building.geometry.isPolygonal ? try native.area() : 0
            for u in units.tree.query(box) {
                guard let unit = units.geometries[u], try unit.intersects(native) else { continue }
                shares.append((u, footprint > 0 ? try unit.intersection(native).area() / footprint : 1))
            }
            let location: Position? = try units.location(of: native)
            if shares.isEmpty {
                diagnostics.append(
                    Diagnostic(
                        .warning, rule: "building.outside-units", file: file, feature: building.reference,
                        message: "lies in no unit; it will not be counted", location: location))
            } else if footprint > 0, shares.filter({ $0.1 > 0.05 }).count > 1 {
                let names = shares.filter { $0.1 > 0.05 }.map { "\(unitReferences[$0.0]) \(Int(($0.1 * 100).rounded()))%" }
                diagnostics.append(
                    Diagnostic(
                        .warning, rule: "building.split", file: file, feature: building.reference,
                        related: shares.map { unitReferences[$0.0] },
                        message: "straddles units (\(names.joined(separator: ", "))); it will go to the one with the largest share",
                        location: location))
            }
        }
        return diagnostics
    }
}
