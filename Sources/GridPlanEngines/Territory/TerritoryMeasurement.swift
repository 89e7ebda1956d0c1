import Foundation
import GridPlanGeometry
import GridPlanGeometryValues
import GridPlanModel

/// Areas of units and footprints in m², and the unit each building belongs to (the base
/// unit holding its point, or the largest share of its footprint). Made once per run: the
/// check reads the shares for its placement rules, the partition and the plan the owners.
public struct TerritoryMeasurement: Sendable {
    /// A base unit (an index into the measured units) holding part of a building.
    public struct UnitShare: Sendable, Equatable {
        public var unit: Int
        /// Share of the footprint's area inside the unit; 1 for a point building.
        public var share: Double
    }

    public var unitAreas: [Double]
    public var buildingUnits: [String?]
    public var footprintAreas: [Double?]
    /// A point inside each building (point-on-surface), lon/lat; nil for an empty geometry (the
    /// centre of its box for a building left out as invalid).
    public var buildingPoints: [Position?]
    /// The base units each building touches, in index order.
    public var buildingShares: [[UnitShare]]
    public var projection: LocalProjection?

    /// `skipping`: buildings not to place (invalid footprints, whose overlays could fail);
    /// they get no unit and no shares.
    public static func measure(
        units: [TerritorialUnit], buildings: [Building], skipping: Set<Int> = []
    ) throws
        -> TerritoryMeasurement
    {
        guard let box = BoundingBox.union(units.compactMap(\.geometry.boundingBox)) else {
            return TerritoryMeasurement(
                unitAreas: [], buildingUnits: buildings.map { _ in nil }, footprintAreas: buildings.map { _ in nil },
                buildingPoints: buildings.map { $0.geometry.boundingBox?.center },
                buildingShares: buildings.map { _ in [] }, projection: nil)
        }
        let projection = LocalProjection(around: box)
        @Sendable func loaded() throws -> MeasuredLayer {
            let layer = try MeasuredLayer(projection: projection, context: GEOSContext())
            try layer.load(units.map(\.geometry))
            return layer
        }
        let layer = try loaded()
        let areas = try layer.geometries.map { try $0.map(layer.squareMetres) ?? 0 }
        // Buildings are placed in contiguous chunks, one per core, each worker with its own
        // GEOS context, PROJ transformer and prepared units; the chunks are joined in order.
        let workers = buildings.count < 2_000 ? 1 : max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8))
        let bounds = (0...workers).map { $0 * buildings.count / workers }
        let placed = ConcurrentSlots<Result<[Placed], Error>>(count: workers)
        if workers == 1 {
            placed.set(
                0,
                Result {
                    try place(buildings[...], offset: 0, units: units, areas: areas, layer: layer, skipping: skipping)
                })
        } else {
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                placed.set(
                    w,
                    Result {
                        try place(
                            buildings[bounds[w]..<bounds[w + 1]], offset: bounds[w], units: units, areas: areas,
                            layer: loaded(), skipping: skipping)
                    })
            }
        }
        var owners: [String?] = [], footprints: [Double?] = [], points: [Position?] = [], shares: [[UnitShare]] = []
        for w in 0..<workers {
            for p in try placed.get(w)!.get() {
                owners.append(p.owner)
                footprints.append(p.footprint)
                points.append(p.point)
                shares.append(p.shares)
            }
        }
        return TerritoryMeasurement(
            unitAreas: areas, buildingUnits: owners, footprintAreas: footprints, buildingPoints: points,
            buildingShares: shares,
            projection: projection)
    }

    /// One building's placement.
    struct Placed: Sendable {
        var owner: String?
        var footprint: Double?
        var point: Position?
        var shares: [UnitShare]
    }

    /// Places `buildings` (indices from `offset` in the whole list) in `units`, measured by `layer`.
    private static func place(
        _ buildings: ArraySlice<Building>, offset: Int, units: [TerritorialUnit], areas: [Double], layer: MeasuredLayer,
        skipping: Set<Int>
    ) throws -> [Placed] {
        var result: [Placed] = []
        result.reserveCapacity(buildings.count)
        var prepared = [PreparedGeometry?](repeating: nil, count: units.count)
        for (k, building) in zip(offset..., buildings) {
            guard !skipping.contains(k) else {
                result.append(
                    Placed(owner: nil, footprint: nil, point: building.geometry.boundingBox?.center, shares: []))
                continue
            }
            let native = try layer.native(building.geometry)
            let point = try layer.location(of: native)
            let footprint = building.geometry.isPolygonal ? try native.area() : 0
            let footprintArea = building.geometry.isPolygonal ? try layer.squareMetres(building.geometry) : nil
            var touched: [UnitShare] = []
            if let b = try native.boundingBox() {
                for u in layer.tree.query(b).sorted() where !units[u].kind.isContainer {
                    guard let unit = layer.geometries[u] else { continue }
                    // Prepared once per unit: most footprints lie well inside one unit and need
                    // no overlay (share 1); only those on a boundary are intersected.
                    if prepared[u] == nil { prepared[u] = try PreparedGeometry(unit) }
                    guard try prepared[u]!.intersects(native) else { continue }
                    let inside = try prepared[u]!.containsProperly(native)
                    touched.append(
                        UnitShare(
                            unit: u,
                            share: footprint > 0 && !inside ? try unit.intersection(native).area() / footprint : 1))
                }
            }
            // The unit with the largest share; on a tie (a park inside a village holds the
            // building as fully as the village does) the smaller, more specific unit.
            var best: (code: String, share: Double, area: Double)?
            for t in touched {
                let area = areas[t.unit]
                if best == nil || t.share > best!.share * (1 + 1e-9)
                    || (t.share >= best!.share * (1 - 1e-9) && area < best!.area)
                {
                    best = (units[t.unit].code, t.share, area)
                }
            }
            result.append(Placed(owner: best?.code, footprint: footprintArea, point: point, shares: touched))
        }
        return result
    }
}
