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
            var best: (code: String, share: Double)?
            for u in layer.tree.query(b) where !units[u].kind.isContainer {
                guard let unit = layer.geometries[u], try unit.intersects(native) else { continue }
                let share = building.geometry.isPolygonal ? try unit.intersection(native).area() : 1
                if best == nil || share > best!.share { best = (units[u].code, share) }
            }
            owners.append(best?.code)
        }
        return TerritoryMeasurement(
            unitAreas: areas, buildingUnits: owners, footprintAreas: footprints, buildingPoints: points, projection: projection)
    }
}
