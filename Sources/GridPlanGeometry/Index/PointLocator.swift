import GridPlanGeometryValues

/// Which of a set of polygons holds a point: an STR tree on their boxes, then a prepared
/// `covers` test on the few candidates (each polygon prepared the first time it is asked).
/// Not `Sendable`: it holds GEOS objects of one context.
public final class PointLocator {
    private let polygons: [Geometry]
    private let tree: STRTree
    private let context: GEOSContext
    private var prepared: [Int: PreparedGeometry] = [:]

    public init(_ polygons: [Geometry], context: GEOSContext) {
        self.polygons = polygons
        self.context = context
        tree = STRTree(boxes: polygons.map(\.boundingBox))
    }

    /// The lowest index of a polygon covering the point (boundary included), or nil.
    public func locate(_ p: Position) throws -> Int? {
        // Candidates in ascending order; the GEOS point is made only when there are some.
        let candidates = tree.query(BoundingBox(minX: p.x, minY: p.y, maxX: p.x, maxY: p.y))
        guard !candidates.isEmpty else { return nil }
        let point = try NativeGeometry(.point(p), in: context)
        for i in candidates {
            if prepared[i] == nil { prepared[i] = try PreparedGeometry(NativeGeometry(polygons[i], in: context)) }
            if try prepared[i]!.covers(point) { return i }
        }
        return nil
    }
}
