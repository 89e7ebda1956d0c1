import GridPlanGeometry
import GridPlanModel

/// Areas of units and footprints in m², and the unit each building belongs to (the base
/// unit holding its point, or the largest share of its footprint).
public struct TerritoryMeasurement: Sendable {
    public var unitAreas: [Double]
    public var buildingUnits: [String?]
    public var footprintAreas: [Double?]
    /// A point inside each building (point-on-surface), lon/lat.
    public var buildingPoints: [Position]
    public var projection: LocalProjection?

    public static func measure(units: [TerritorialUnit], buildings: [Building]) throws -> TerritoryMeasurement {
        var box: BoundingBox?
        for u in units {
            if let b = u.geometry.boundingBox {
                if box == nil { box = b } else { box!.extend(b) }
            }
        }
        guard let box else {
            return TerritoryMeasurement(
                unitAreas: [], buildingUnits: buildings.map { _ in nil }, footprintAreas: buildings.map { _ in nil },
                buildingPoints: buildings.map { $0.geometry.boundingBox?.center ?? Position(x: 0, y: 0) }, projection: nil)
        }
        let projection = LocalProjection(around: box)
        let context = try GEOSContext()
        let layer = try MeasuredLayer(projection: projection, context: context)
        try layer.load(units.map(\.geometry))
        let areas = try layer.geometries.map { try $0.map(layer.squareMetres) ?? 0 }
        var owners: [String?] = []
        var footprints: [Double?] = []
        var points: [Position] = []
        for building in buildings {
            let native = try layer.native(building.geometry)
            points.append(try layer.location(of: native) ?? building.geometry.boundingBox?.center ?? Position(x: 0, y: 0))
            footprints.append(building.geometry.isPolygonal ? try layer.squareMetres(native) : nil)
            guard let b = try native.boundingBox() else {
                owners.append(nil)
                continue
            }
            // The unit with the largest share; on a tie (a park inside a village holds the
            // building as fully as the village does) the smaller, more specific unit.
            var best: (code: String, share: Double, area: Double)?
            for u in layer.tree.query(b) where !units[u].kind.isContainer {
                guard let unit = layer.geometries[u], try unit.intersects(native) else { continue }
                let share = building.geometry.isPolygonal ? try unit.intersection(native).area() : 1
                let area = areas[u]
                if best == nil || share > best!.share * (1 + 1e-9)
                    || (share >= best!.share * (1 - 1e-9) && area < best!.area)
                {
                    best = (units[u].code, share, area)
                }
            }
            owners.append(best?.code)
        }
        return TerritoryMeasurement(
            unitAreas: areas, buildingUnits: owners, footprintAreas: footprints, buildingPoints: points, projection: projection)
    }
}
