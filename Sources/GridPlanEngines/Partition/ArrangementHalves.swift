import Foundation
import GridPlanGeometry
import GridPlanGeometryValues

/// A unit's planar arrangement (see ``StreetBlockAtoms``) noded in two halves, on two cores.
///
/// The blocks are ordered along the unit's longer side and cut where half of their line work
/// lies on each side. Each half nodes the outlines of its blocks with their Voronoi edges (and
/// the footprints these reach) in one pass (``NativeGeometry/noded(_:gridSize:in:)``: in Swift,
/// with GEOS, on the half's own context, only where rounding cannot be mended), and the two
/// passes run side by side.
///
/// An outline segment held by both halves (a road between a block of each) comes out of each
/// noding split only at that half's vertices. Every vertex that either half put on such a
/// segment is therefore put into the faces of both (``joined(_:along:tolerance:)``), so that
/// faces still meet along identical edges and neighbours across the cut are found as before.
struct ArrangementHalves {
    /// The half of each block.
    let half: [Int]
    /// The blocks of each half, in block order.
    let members: [[Int]]
    private let cellEdges: [[[Position]]]
    /// Each half's outline segments, once each, in the order its blocks' rings give them.
    private let outlines: [[SegmentEnds]]
    /// Outline segments that both halves hold, with their end points in (x, y) order.
    private let shared: [(Position, Position)]

    /// Below this many vertices of line work a unit is noded in one piece.
    static let minimumVertices = 2_000

    /// Two halves when the blocks hold `splitFrom` vertices of line work or more (and each
    /// half gets a block), else one.
    init(
        blocks: [Geometry], cellEdges: [[[Position]]], frame: LocalFrame, splitFrom: Int = Self.minimumVertices
    ) {
        self.cellEdges = cellEdges
        let weight = blocks.indices.map { b in
            blocks[b].polygons.flatMap { $0 }.reduce(0) { $0 + $1.count } + cellEdges[b].reduce(0) { $0 + $1.count }
        }
        let total = weight.reduce(0, +)
        let boxes = blocks.map(\.boundingBox)
        var side = [Int](repeating: 0, count: blocks.count)
        if blocks.count > 1, total >= splitFrom, let box = BoundingBox.union(boxes.compactMap { $0 }) {
            // Along the longer side (in metres), by the centre of each block's box, until half
            // of the line work is on the first side.
            let alongX = (box.maxX - box.minX) * frame.scaleX >= (box.maxY - box.minY) * frame.scaleY
            let key = boxes.map { b in b.map { alongX ? $0.center.x : $0.center.y } ?? 0 }
            var first = 0
            for b in blocks.indices.sorted(by: { (key[$0], $0) < (key[$1], $1) }) {
                if 2 * first >= total { side[b] = 1 } else { first += weight[b] }
            }
            // A block holding more than half of the line work, last in that order, leaves
            // nothing to the second half: one piece, then.
            if !side.contains(1) { side = side.map { _ in 0 } }
        }
        half = side
        let halves = side.contains(1) ? 2 : 1
        members = (0..<halves).map { h in blocks.indices.filter { side[$0] == h } }
        var outlines = [[SegmentEnds]](repeating: [], count: halves)
        var vertices = VertexNumbering(expected: total)
        var held = (0..<halves).map { _ in KeyNumbering(expected: total / halves) }
        for b in blocks.indices {
            for ring in blocks[b].polygons.flatMap({ $0 }) {
                for (p, q) in zip(ring, ring.dropFirst()) where p != q {
                    let key = KeyNumbering.pair(vertices.number(p).number, vertices.number(q).number)
                    if held[side[b]].number(key).inserted { outlines[side[b]].append(SegmentEnds(p, q)) }
                }
            }
        }
        self.outlines = outlines
        let positions = vertices.keys
        shared =
            halves < 2
            ? []
            : held[0].keys.filter { held[1].find($0) != nil }.map { key in
                let segment = SegmentEnds(positions[Int(key >> 32)], positions[Int(key & 0xffff_ffff)])
                return (segment.a, segment.b)
            }.sorted { ($0.0.x, $0.0.y, $0.1.x, $0.1.y) < ($1.0.x, $1.0.y, $1.1.x, $1.1.y) }
    }

    /// The line work of half `h`: its blocks' outlines (a boundary between two of them once)
    /// and their Voronoi edges, each in chains (the noding's cost grows with the lines).
    func lines(ofHalf h: Int) -> [[Position]] {
        Geometry.chained(outlines[h].map { [$0.a, $0.b] }) + Geometry.chained(members[h].flatMap { cellEdges[$0] })
    }

    /// The faces of each half's lines (noded, on a grid of `gridSize`), joined along the
    /// segments both halves hold. With `parallel`, the second half is noded on another core
    /// with its own GEOS context; the faces are the same either way.
    func faces(
        of halfLines: [[[Position]]], gridSize: Double, context: GEOSContext, parallel: Bool
    ) throws -> [[[Ring]]] {
        // One piece: its noding itself on two threads with `parallel`.
        func node(_ lines: [[Position]], _ context: GEOSContext, onTwo: Bool = false) throws -> [[Ring]] {
            Geometry.faces(ofNoded: try NativeGeometry.noded(lines, gridSize: gridSize, in: context, parallel: onTwo))
        }
        guard halfLines.count == 2 else { return try halfLines.map { try node($0, context, onTwo: parallel) } }
        guard parallel else {
            return Self.joined(try halfLines.map { try node($0, context) }, along: shared, tolerance: 2 * gridSize)
        }
        // Each half on its own context; the lines are only read.
        let other = try GEOSContext()
        let faces = try sideBySide({ try node(halfLines[0], context) }, { try node(halfLines[1], other) })
        return Self.joined([faces.0, faces.1], along: shared, tolerance: 2 * gridSize)
    }

    /// `halves` with every vertex that lies on one of `segments` (within `tolerance` of it,
    /// strictly between its ends) in any half added, in order, to every face edge along that
    /// segment in every half.
    static func joined(
        _ halves: [[[Ring]]], along segments: [(Position, Position)], tolerance: Double
    ) -> [[[Ring]]] {
        guard !segments.isEmpty else { return halves }
        let tree = STRTree(
            boxes: segments.map { p, q in
                BoundingBox(
                    minX: min(p.x, q.x) - tolerance, minY: min(p.y, q.y) - tolerance,
                    maxX: max(p.x, q.x) + tolerance, maxY: max(p.y, q.y) + tolerance)
            })
        // Where along segment s a point lies (0 at its first end, 1 at its second), if on it.
        func position(_ v: Position, on s: Int) -> Double? {
            let (p, q) = segments[s]
            let (dx, dy) = (q.x - p.x, q.y - p.y)
            let length = (dx * dx + dy * dy).squareRoot()
            guard length > 0 else { return nil }
            let t = ((v.x - p.x) * dx + (v.y - p.y) * dy) / (length * length)
            let off = abs((v.x - p.x) * dy - (v.y - p.y) * dx) / length
            return off <= tolerance && t > 0 && t < 1 ? t : nil
        }
        // The segments each vertex lies on or ends, and the points on each segment.
        var segmentsAt: [Position: [Int]] = [:]
        var points = [[(t: Double, p: Position)]](repeating: [], count: segments.count)
        for (s, (p, q)) in segments.enumerated() {
            segmentsAt[p, default: []].append(s)
            segmentsAt[q, default: []].append(s)
        }
        var seen = Set<Position>()
        for ring in halves.joined().joined() {
            for v in ring where seen.insert(v).inserted {
                let box = BoundingBox(minX: v.x, minY: v.y, maxX: v.x, maxY: v.y)
                for s in tree.query(box).sorted() {
                    guard segments[s].0 != v && segments[s].1 != v, let t = position(v, on: s) else { continue }
                    segmentsAt[v, default: []].append(s)
                    points[s].append((t, v))
                }
            }
        }
        for s in points.indices { points[s].sort { ($0.t, $0.p.x, $0.p.y) < ($1.t, $1.p.x, $1.p.y) } }
        func t(_ v: Position, _ s: Int) -> Double {
            v == segments[s].0 ? 0 : v == segments[s].1 ? 1 : points[s].first { $0.p == v }?.t ?? 0
        }
        func rewritten(_ ring: Ring) -> Ring {
            var out: Ring = []
            out.reserveCapacity(ring.count)
            for (u, v) in zip(ring, ring.dropFirst()) {
                out.append(u)
                guard let atU = segmentsAt[u], let atV = segmentsAt[v], let s = atU.first(where: atV.contains)
                else { continue }
                let (tu, tv) = (t(u, s), t(v, s))
                let inside = points[s].filter { $0.p != u && $0.p != v && min(tu, tv) < $0.t && $0.t < max(tu, tv) }
                out += (tu < tv ? inside : inside.reversed()).map(\.p)
            }
            if let last = ring.last { out.append(last) }
            return out
        }
        return halves.map { faces in faces.map { polygon in polygon.map(rewritten) } }
    }
}
