import GridPlanGeometry
import GridPlanModel

/// Geometries of many features held in one GEOS context, in a local equal-area projection,
/// with an STR tree over their boxes. Engines build one per step and throw it away; it is
/// not `Sendable` because GEOS objects are bound to their thread.
final class ProjectedLayer {
    let context: GEOSContext
    let projection: LocalProjection
    private let toMetric: CoordinateTransformer
    /// Native geometries in metres (repaired when the source was invalid), by feature.
    private(set) var geometries: [NativeGeometry?] = []
    private(set) var boxes: [BoundingBox?] = []
    private(set) var tree = STRTree(boxes: [])

    init(projection: LocalProjection, context: GEOSContext) throws {
        self.context = context
        self.projection = projection
        self.toMetric = try projection.makeTransformer()
    }

    /// Projects and indexes `geometries` (lon/lat). Invalid ones are repaired for
    /// measurement only; the caller reports their invalidity.
    func load(_ values: [Geometry]) throws {
        geometries = try values.map { value in
            let native = try NativeGeometry(toMetric.transform(value), in: context)
            return try native.isValid() ? native : native.makeValid()
        }
        boxes = try geometries.map { try $0?.boundingBox() }
        tree = STRTree(boxes: boxes)
    }

    func project(_ value: Geometry) throws -> NativeGeometry {
        try NativeGeometry(toMetric.transform(value), in: context)
    }

    /// A projected point back in lon/lat.
    func lonLat(_ metric: Position) throws -> Position {
        try toMetric.transform(metric, inverse: true)
    }

    /// A representative lon/lat location inside `geometry` (projected).
    func location(of geometry: NativeGeometry) throws -> Position? {
        guard try !geometry.isEmpty(), case .point(let p) = try geometry.pointOnSurface().value() else { return nil }
        return try lonLat(p)
    }

    /// The polygonal parts of `geometry` with area above `minimumArea` m².
    func parts(of geometry: NativeGeometry, minimumArea: Double) throws -> [NativeGeometry] {
        guard try !geometry.isEmpty() else { return [] }
        let count = try geometry.memberCount()
        var result: [NativeGeometry] = []
        for i in 0..<count {
            let part = count == 1 ? geometry : try geometry.member(i)
            if try part.area() > minimumArea { result.append(part) }
        }
        return result
    }
}
