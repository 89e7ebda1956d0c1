import GridPlanGeometry
import GridPlanGeometryValues
import GridPlanModel

/// Geometries of many features in one GEOS context, with an STR tree over their boxes.
///
/// Topology (overlay, predicates) is computed in lon/lat, where GeoJSON's edges are straight
/// (RFC 7946 §3.1.1); only sizes are measured in metres, by densifying a result and
/// projecting it to a local equal-area CRS. Projecting first would bend shared boundaries
/// digitised with different vertices and invent slivers. Not `Sendable` (GEOS objects).
final class MeasuredLayer {
    let context: GEOSContext
    let projection: LocalProjection
    private let toMetric: CoordinateTransformer
    /// Lon/lat geometries (repaired when the source was invalid), by feature.
    private(set) var geometries: [NativeGeometry?] = []
    private(set) var boxes: [BoundingBox?] = []
    private(set) var tree = STRTree(boxes: [])
    /// 0.0005° ≈ 55 m: segments longer than this are densified before projection.
    static let densifyStep = 0.0005

    init(projection: LocalProjection, context: GEOSContext) throws {
        self.context = context
        self.projection = projection
        self.toMetric = try projection.makeTransformer()
    }

    /// Builds and indexes `values`. Invalid ones are repaired for measurement only; the
    /// caller reports their invalidity.
    func load(_ values: [Geometry]) throws {
        geometries = try values.map { value in
            let native = try NativeGeometry(value, in: context)
            return try native.isValid() ? native : native.makeValid()
        }
        boxes = try geometries.map { try $0?.boundingBox() }
        tree = STRTree(boxes: boxes)
    }

    func native(_ value: Geometry) throws -> NativeGeometry {
        try NativeGeometry(value, in: context)
    }

    /// Area in m² in the local equal-area projection (of a valid geometry).
    func squareMetres(_ geometry: NativeGeometry) throws -> Double {
        guard try !geometry.isEmpty() else { return 0 }
        return try squareMetres(geometry.value())
    }

    /// Area in m² of a valid lon/lat geometry, densified in Swift: GEOS's densifier places the
    /// same points but tests every polygon's validity first, which cost more than the rest.
    func squareMetres(_ value: Geometry) throws -> Double {
        guard value.boundingBox != nil else { return 0 }
        let dense = value.densified(maxSegmentLength: Self.densifyStep)
        return try NativeGeometry(toMetric.transform(dense), in: context).area()
    }

    /// A representative lon/lat location inside `geometry`.
    func location(of geometry: NativeGeometry) throws -> Position? {
        try geometry.isEmpty() ? nil : geometry.interiorPoint()
    }

    /// The polygonal parts of `geometry` larger than `minimumArea` m², with their areas.
    func parts(of geometry: NativeGeometry, minimumArea: Double) throws -> [(NativeGeometry, Double)] {
        guard try !geometry.isEmpty() else { return [] }
        let count = try geometry.memberCount()
        var result: [(NativeGeometry, Double)] = []
        for i in 0..<count {
            let part = count == 1 ? geometry : try geometry.member(i)
            let area = try squareMetres(part)
            if area > minimumArea { result.append((part, area)) }
        }
        return result
    }
}
