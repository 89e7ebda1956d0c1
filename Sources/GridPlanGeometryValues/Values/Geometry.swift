/// A coordinate pair. In lon/lat data `x` is longitude and `y` latitude; in projected data
/// they are easting and northing in metres. Names, never positions, carry the axis order.
public struct Position: Sendable, Hashable {
    public var x: Double
    public var y: Double
    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }
}

/// A closed ring: first position equals last.
public typealias Ring = [Position]

/// A geometry as a Swift value (Sendable, no C). GEOS work converts it to a ``NativeGeometry``
/// inside one context and back; Z and M are not kept.
public indirect enum Geometry: Sendable, Equatable {
    case point(Position)
    case multiPoint([Position])
    case lineString([Position])
    case multiLineString([[Position]])
    case polygon([Ring])
    case multiPolygon([[Ring]])
    case collection([Geometry])

    /// The RFC 7946 type name.
    public var typeName: String {
        switch self {
        case .point: "Point"
        case .multiPoint: "MultiPoint"
        case .lineString: "LineString"
        case .multiLineString: "MultiLineString"
        case .polygon: "Polygon"
        case .multiPolygon: "MultiPolygon"
        case .collection: "GeometryCollection"
        }
    }

    public var isPolygonal: Bool {
        switch self {
        case .polygon, .multiPolygon: true
        default: false
        }
    }

    public var isPuntal: Bool {
        switch self {
        case .point, .multiPoint: true
        default: false
        }
    }

    /// Polygons of a polygonal geometry (one for a Polygon, each part of a MultiPolygon,
    /// the polygonal members of a collection).
    public var polygons: [[Ring]] {
        switch self {
        case .polygon(let rings): [rings]
        case .multiPolygon(let polygons): polygons
        case .collection(let members): members.flatMap(\.polygons)
        default: []
        }
    }

    /// The line strings of a (multi)line or a collection's lines.
    public var lines: [[Position]] {
        switch self {
        case .lineString(let line): [line]
        case .multiLineString(let lines): lines
        case .collection(let members): members.flatMap(\.lines)
        default: []
        }
    }

    /// Calls `body` with every position, in order.
    public func forEachPosition(_ body: (Position) throws -> Void) rethrows {
        switch self {
        case .point(let p): try body(p)
        case .multiPoint(let ps), .lineString(let ps): for p in ps { try body(p) }
        case .multiLineString(let lines): for l in lines { for p in l { try body(p) } }
        case .polygon(let rings): for r in rings { for p in r { try body(p) } }
        case .multiPolygon(let polys): for poly in polys { for r in poly { for p in r { try body(p) } } }
        case .collection(let members): for m in members { try m.forEachPosition(body) }
        }
    }

    /// The same geometry with every position replaced by `transform(position)`.
    public func mapPositions(_ transform: (Position) throws -> Position) rethrows -> Geometry {
        switch self {
        case .point(let p): return .point(try transform(p))
        case .multiPoint(let ps): return .multiPoint(try ps.map(transform))
        case .lineString(let ps): return .lineString(try ps.map(transform))
        case .multiLineString(let ls): return .multiLineString(try ls.map { try $0.map(transform) })
        case .polygon(let rs): return .polygon(try rs.map { try $0.map(transform) })
        case .multiPolygon(let ps): return .multiPolygon(try ps.map { try $0.map { try $0.map(transform) } })
        case .collection(let ms): return .collection(try ms.map { try $0.mapPositions(transform) })
        }
    }

    /// The geometry with points put evenly into every segment longer than `step`, where GEOS
    /// 3.11's densifier puts them: a segment of length L gets ⌊L / step⌋ + 1 equal pieces,
    /// repeated points are dropped. (GEOS also buffers an invalid polygon by 0, which this does
    /// not: give it valid polygons.) A `step` that is not a positive number densifies nothing.
    public func densified(maxSegmentLength step: Double) -> Geometry {
        guard step > 0 else { return self }
        func dense(_ points: [Position]) -> [Position] {
            guard points.count > 1 else { return points }
            var out: [Position] = []
            out.reserveCapacity(points.count)
            func add(_ p: Position) { if out.last != p { out.append(p) } }
            for (p, q) in zip(points, points.dropFirst()) {
                add(p)
                let (dx, dy) = (q.x - p.x, q.y - p.y)
                let length = (dx * dx + dy * dy).squareRoot()
                // More pieces than a double can place distinctly would only repeat points.
                guard length / step >= 1, length / step < 1e9 else { continue }
                let count = Int(length / step) + 1
                let piece = length / Double(count)
                for j in 1..<count {
                    let fraction = (Double(j) * piece) / length
                    add(Position(x: p.x + fraction * dx, y: p.y + fraction * dy))
                }
            }
            add(points[points.count - 1])
            return out
        }
        switch self {
        case .point, .multiPoint: return self
        case .lineString(let ps): return .lineString(dense(ps))
        case .multiLineString(let ls): return .multiLineString(ls.map(dense))
        case .polygon(let rs): return .polygon(rs.map(dense))
        case .multiPolygon(let ps): return .multiPolygon(ps.map { $0.map(dense) })
        case .collection(let ms): return .collection(ms.map { $0.densified(maxSegmentLength: step) })
        }
    }

    public var positionCount: Int {
        var n = 0
        forEachPosition { _ in n += 1 }
        return n
    }

    /// The bounding box, or nil for an empty geometry.
    public var boundingBox: BoundingBox? {
        var box: BoundingBox?
        forEachPosition { p in
            if box == nil { box = BoundingBox(minX: p.x, minY: p.y, maxX: p.x, maxY: p.y) } else { box!.extend(p) }
        }
        return box
    }

    /// Polygon rings re-oriented by the RFC 7946 right-hand rule: exteriors counter-clockwise,
    /// holes clockwise (orientation judged in the plane of the coordinates).
    public func rightHandRule() -> Geometry {
        func orient(_ rings: [Ring]) -> [Ring] {
            rings.enumerated().map { index, ring in
                let ccw = Geometry.signedArea(ring) > 0
                return (index == 0) == ccw ? ring : Array(ring.reversed())
            }
        }
        switch self {
        case .polygon(let rs): return .polygon(orient(rs))
        case .multiPolygon(let ps): return .multiPolygon(ps.map(orient))
        case .collection(let ms): return .collection(ms.map { $0.rightHandRule() })
        default: return self
        }
    }

    /// Shoelace area in the plane of the coordinates; positive for counter-clockwise rings.
    /// Used for orientation only; areas in m² come from ``NativeGeometry/area()`` in a metric CRS.
    public static func signedArea(_ ring: Ring) -> Double {
        guard ring.count >= 3 else { return 0 }
        var sum = 0.0
        let origin = ring[0]  // subtract an origin to keep precision at lon/lat magnitudes
        for i in 0..<(ring.count - 1) {
            let a = ring[i], b = ring[i + 1]
            sum += (a.x - origin.x) * (b.y - origin.y) - (b.x - origin.x) * (a.y - origin.y)
        }
        return sum / 2
    }

    /// Where segments ab and cd meet (one point for collinear overlaps), or nil; in doubles.
    public static func segmentIntersection(_ a: Position, _ b: Position, _ c: Position, _ d: Position) -> Position? {
        func within(_ p: Position, _ a: Position, _ b: Position) -> Bool {
            p.x >= min(a.x, b.x) && p.x <= max(a.x, b.x) && p.y >= min(a.y, b.y) && p.y <= max(a.y, b.y)
        }
        let r = (x: b.x - a.x, y: b.y - a.y), s = (x: d.x - c.x, y: d.y - c.y)
        let denominator = r.x * s.y - r.y * s.x
        let q = (x: c.x - a.x, y: c.y - a.y)
        if denominator == 0 {
            // Parallel: collinear overlaps meet at the first shared point.
            guard q.x * r.y - q.y * r.x == 0 else { return nil }
            for p in [c, d, a, b] where within(p, a, b) && within(p, c, d) { return p }
            return nil
        }
        let t = (q.x * s.y - q.y * s.x) / denominator, u = (q.x * r.y - q.y * r.x) / denominator
        guard t >= 0, t <= 1, u >= 0, u <= 1 else { return nil }
        return Position(x: a.x + t * r.x, y: a.y + t * r.y)
    }

    /// Distance in the plane from `p` to segment ab.
    public static func distance(_ p: Position, toSegment a: Position, _ b: Position) -> Double {
        let d = (x: b.x - a.x, y: b.y - a.y)
        let length2 = d.x * d.x + d.y * d.y
        var t = length2 > 0 ? ((p.x - a.x) * d.x + (p.y - a.y) * d.y) / length2 : 0
        t = min(1, max(0, t))
        let q = (x: a.x + t * d.x - p.x, y: a.y + t * d.y - p.y)
        return (q.x * q.x + q.y * q.y).squareRoot()
    }

    /// Distance in the plane between segments ab and cd (0 when they meet).
    public static func distance(segment a: Position, _ b: Position, toSegment c: Position, _ d: Position) -> Double {
        if segmentIntersection(a, b, c, d) != nil { return 0 }
        return min(
            distance(a, toSegment: c, d), distance(b, toSegment: c, d), distance(c, toSegment: a, b),
            distance(d, toSegment: a, b))
    }

    /// Whether polygons `a` and `b` (each a list of rings: shell, then holes) are certainly
    /// apart: every edge of one is farther than `margin` from every edge of the other and
    /// neither holds a vertex of the other. In doubles, so `margin` must dwarf their rounding
    /// (1e-9° against ~1e-14° errors): then the answer true is exact, and false means only
    /// "maybe touching or overlapping" (ask an exact predicate).
    public static func polygonsApart(_ a: [[Ring]], _ b: [[Ring]], margin: Double) -> Bool {
        let ringsA = a.flatMap { $0 }, ringsB = b.flatMap { $0 }
        guard let boxA = BoundingBox(around: ringsA.joined()), let boxB = BoundingBox(around: ringsB.joined()) else {
            return false
        }
        // Only edges near the other's box can come within the margin.
        func near(_ p: Position, _ q: Position, _ box: BoundingBox) -> Bool {
            max(p.x, q.x) >= box.minX - margin && min(p.x, q.x) <= box.maxX + margin
                && max(p.y, q.y) >= box.minY - margin && min(p.y, q.y) <= box.maxY + margin
        }
        for ra in ringsA {
            for (p, q) in zip(ra, ra.dropFirst()) where near(p, q, boxB) {
                for rb in ringsB {
                    for (c, d) in zip(rb, rb.dropFirst()) where near(c, d, boxA) {
                        if distance(segment: p, q, toSegment: c, d) <= margin { return false }
                    }
                }
            }
        }
        // No edges meet: one is inside the other only if a vertex of it is.
        if let v = ringsA.first?.first, b.contains(where: { polygonContains($0, v) }) { return false }
        if let v = ringsB.first?.first, a.contains(where: { polygonContains($0, v) }) { return false }
        return true
    }

    /// Whether `p` lies inside the polygon of `rings` (shell, then holes) by the even–odd rule;
    /// a point on an edge may go either way. For quick filters: exact predicates are GEOS's.
    public static func polygonContains(_ rings: [Ring], _ p: Position) -> Bool {
        var inside = false
        for ring in rings {
            for (a, b) in zip(ring, ring.dropFirst()) where (a.y > p.y) != (b.y > p.y) {
                let x = a.x + (p.y - a.y) / (b.y - a.y) * (b.x - a.x)
                if x > p.x { inside.toggle() }
            }
        }
        return inside
    }
}

/// An axis-aligned box.
public struct BoundingBox: Sendable, Hashable {
    public var minX: Double
    public var minY: Double
    public var maxX: Double
    public var maxY: Double

    public init(minX: Double, minY: Double, maxX: Double, maxY: Double) {
        self.minX = minX
        self.minY = minY
        self.maxX = maxX
        self.maxY = maxY
    }

    public mutating func extend(_ p: Position) {
        minX = Swift.min(minX, p.x)
        minY = Swift.min(minY, p.y)
        maxX = Swift.max(maxX, p.x)
        maxY = Swift.max(maxY, p.y)
    }

    /// The smallest box holding every position given, or nil when there are none.
    public init?<S: Sequence>(around positions: S) where S.Element == Position {
        var iterator = positions.makeIterator()
        guard let first = iterator.next() else { return nil }
        self.init(minX: first.x, minY: first.y, maxX: first.x, maxY: first.y)
        while let p = iterator.next() { extend(p) }
    }

    /// The smallest box holding every box given, or nil when there are none.
    public static func union<S: Sequence>(_ boxes: S) -> BoundingBox? where S.Element == BoundingBox {
        var result: BoundingBox?
        for b in boxes {
            if result == nil { result = b } else { result!.extend(b) }
        }
        return result
    }

    public mutating func extend(_ other: BoundingBox) {
        minX = Swift.min(minX, other.minX)
        minY = Swift.min(minY, other.minY)
        maxX = Swift.max(maxX, other.maxX)
        maxY = Swift.max(maxY, other.maxY)
    }

    public func intersects(_ other: BoundingBox) -> Bool {
        minX <= other.maxX && other.minX <= maxX && minY <= other.maxY && other.minY <= maxY
    }

    public var center: Position { Position(x: (minX + maxX) / 2, y: (minY + maxY) / 2) }

    /// The box grown by `margin` on every side.
    public func expanded(by margin: Double) -> BoundingBox {
        BoundingBox(minX: minX - margin, minY: minY - margin, maxX: maxX + margin, maxY: maxY + margin)
    }

    /// True when every coordinate could be longitude/latitude in degrees.
    public var isPlausibleLonLat: Bool {
        minX >= -180 && maxX <= 180 && minY >= -90 && maxY <= 90
    }
}
