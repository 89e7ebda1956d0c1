import GridPlanGeometryValues

/// Straight boundaries between parts where the buildings allow it.
///
/// Parts made of building cells (Voronoi cells of footprints) have the cells' outlines: where
/// two parts meet, the boundary zigzags round every building on the way. That lengthens it and
/// lowers the parts' compactness, and no planner would draw it so. Here each stretch of a
/// boundary between two parts, from one node (where three or more parts or the outline meet,
/// or a point on a barrier line) to the next, is simplified greedily: from each vertex kept,
/// the farthest vertex j it may be joined to by a straight segment (found by halving), where
/// the stretch from vertex i to vertex j may become one straight segment when nothing but the
/// line changes:
/// - no building lies in the region between the old stretch and the segment (the lobes
///   between them where the segment crosses the stretch, by the even–odd rule), so every
///   building stays in its part, whole; and the segment keeps `clearance` metres from every
///   building of the two parts;
/// - the segment crosses or touches no other boundary (of the two parts, the stretch itself
///   included) and no vertex of one lies in that region (so the parts stay simple polygons that
///   tile the same ground, and no part is squeezed to nothing);
/// Both parts get the same line, so the parts still tile the same ground, and the
/// boundary between parts of different containers (grids) is a boundary between parts too, so
/// containers whose outlines are their parts' lose the same vertices. Boundaries on the
/// outline (one part) and points on barrier lines (pinned) never move: a boundary along a road
/// stays on it.
///
/// Pure, deterministic (the stretches are taken in the order their first edges come in the
/// parts' rings), in the metric frame of the unit; positions are compared exactly.
enum BoundarySmoothing {
    struct Part {
        /// The rings (closed, lon/lat) of the part's polygons, shells and holes.
        var rings: [Ring]
        /// The obstacles (buildings) the part holds, as indices into the obstacles.
        var obstacles: [Int]
    }

    struct Obstacle {
        /// Outline rings in the frame (closed); empty for a building known by its point only.
        var rings: [[Position]]
        /// A point inside it, in the frame.
        var point: Position
        var box: BoundingBox
    }

    struct Result {
        /// Vertices (lon/lat) no longer on any boundary: drop them from every ring holding them.
        var removed: Set<Position>
        /// Per pair of parts (a < b) whose boundary changed: its length in metres before and after.
        var shortened: [(a: Int, b: Int, before: Double, after: Double)]
    }

    /// Metres within which two boundary points count as touching.
    static let touching = 1e-5
    /// The most vertices of a boundary one straight segment replaces.
    static let span = 64

    /// `pinnedLines`: barrier lines in the frame; boundary points on them (within a millimetre) stay.
    static func straightened(
        parts: [Part], obstacles: [Obstacle], pinnedLines: [[Position]], frame: LocalFrame, clearance: Double = 1
    ) -> Result {
        // Vertices and edges of the parts' rings, with the parts on each edge.
        var vertices = VertexNumbering(expected: 1024)
        var edgeNumbers = KeyNumbering(expected: 1024)
        var edgeEnds: [(Int, Int)] = []
        var edgeOwners: [[Int]] = []
        for (p, part) in parts.enumerated() {
            for ring in part.rings where ring.count >= 4 {
                var previous = vertices.number(ring[0]).number
                for position in ring.dropFirst() {
                    let v = vertices.number(position).number
                    defer { previous = v }
                    guard v != previous else { continue }
                    let (e, inserted) = edgeNumbers.number(KeyNumbering.pair(previous, v))
                    if inserted {
                        edgeEnds.append((previous, v))
                        edgeOwners.append([p])
                    } else if !edgeOwners[e].contains(p) {
                        edgeOwners[e].append(p)
                    }
                }
            }
        }
        let xy = vertices.keys.map(frame.forward)
        let count = xy.count
        var incident = [[Int]](repeating: [], count: count)
        for (e, (a, b)) in edgeEnds.enumerated() {
            incident[a].append(e)
            incident[b].append(e)
        }
        func owners(_ e: Int) -> (Int, Int) {
            let o = edgeOwners[e]
            return o.count == 1 ? (o[0], -1) : o.count == 2 ? (min(o[0], o[1]), max(o[0], o[1])) : (-2, -2)
        }
        // Nodes: where the boundary branches, changes parts, or meets a barrier line.
        var node = [Bool](repeating: false, count: count)
        for v in 0..<count {
            node[v] = incident[v].count != 2 || owners(incident[v][0]) != owners(incident[v][1])
        }
        pin(&node, xy: xy, incident: incident, owners: owners, lines: pinnedLines)
        // Chains: maximal runs of edges between nodes (a loop without a node is a closed chain).
        var chainOf = [Int](repeating: -1, count: edgeEnds.count)
        var chains: [(vertices: [Int], owners: (Int, Int), closed: Bool)] = []
        func other(_ e: Int, _ v: Int) -> Int { edgeEnds[e].0 == v ? edgeEnds[e].1 : edgeEnds[e].0 }
        for start in edgeEnds.indices where chainOf[start] < 0 {
            let c = chains.count
            chainOf[start] = c
            // From one end of `start` away from it, to a node, or back round to `start` (a loop).
            func walk(from end: Int) -> (vertices: [Int], loop: Bool) {
                var (v, e, walked) = (end, start, [Int]())
                while !node[v] {
                    let next = incident[v][0] == e ? incident[v][1] : incident[v][0]
                    if next == start { return (walked, true) }
                    chainOf[next] = c
                    (v, e) = (other(next, v), next)
                    walked.append(v)
                }
                return (walked, false)
            }
            let forward = walk(from: edgeEnds[start].1)
            let backward = forward.loop ? [] : walk(from: edgeEnds[start].0).vertices
            chains.append(
                (
                    backward.reversed() + [edgeEnds[start].0, edgeEnds[start].1] + forward.vertices, owners(start),
                    forward.loop
                ))
        }
        var partChains = [[Int]](repeating: [], count: parts.count)
        for (c, chain) in chains.enumerated() {
            if chain.owners.0 >= 0 { partChains[chain.owners.0].append(c) }
            if chain.owners.1 >= 0 { partChains[chain.owners.1].append(c) }
        }
        // A chain's box never grows: a shortcut lies within the hull of what it replaces.
        let chainBoxes = chains.map { Geometry.lineString($0.vertices.map { xy[$0] }).boundingBox! }
        var current = chains.map(\.vertices)
        var removed = Set<Position>()
        var lengths: [UInt64: (before: Double, after: Double)] = [:]
        var lengthOrder: [UInt64] = []

        func length(_ path: [Int]) -> Double {
            zip(path, path.dropFirst()).reduce(0) { sum, s in
                let (a, b) = (xy[s.0], xy[s.1])
                return sum + ((a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y)).squareRoot()
            }
        }

        for c in chains.indices {
            let chain = chains[c]
            let (left, right) = chain.owners
            let path = chain.vertices
            guard left >= 0, right >= 0, left != right, !chain.closed, path.count >= 3, path[0] != path.last! else {
                continue
            }
            let neighbours = Array(Set(partChains[left] + partChains[right]).subtracting([c])).sorted()
            let holders = parts[left].obstacles + parts[right].obstacles

            // Whether vertices i...j of `path` may become one segment, with the chain so far
            // `kept` (ending at i) and the rest of it after j as it was.
            func straight(_ i: Int, _ j: Int, kept: [Int]) -> Bool {
                let (a, b) = (xy[path[i]], xy[path[j]])
                let (va, vb) = (path[i], path[j])
                var ring = path[i...j].map { xy[$0] }
                ring.append(a)
                let box = Geometry.lineString(ring).boundingBox!
                // Another boundary: no crossing, no touching but at the shared ends, nothing inside.
                let near = box.expanded(by: touching)
                func clear(_ line: ArraySlice<Int>) -> Bool {
                    for (u, w) in zip(line, line.dropFirst()) {
                        let (p, q) = (xy[u], xy[w])
                        // Far from the region's box: neither meets the segment nor lies inside.
                        if max(p.x, q.x) < near.minX || min(p.x, q.x) > near.maxX || max(p.y, q.y) < near.minY
                            || min(p.y, q.y) > near.maxY
                        {
                            continue
                        }
                        let touchesEnd = u == va || u == vb || w == va || w == vb
                        if touchesEnd {
                            if (u == va || u == vb) && (w == va || w == vb) { return false }
                            let loose = u == va || u == vb ? w : u
                            if Geometry.distance(xy[loose], toSegment: a, b) <= touching { return false }
                        } else if Geometry.distance(segment: a, b, toSegment: xy[u], xy[w]) <= touching {
                            return false
                        }
                    }
                    for u in line where u != va && u != vb {
                        let p = xy[u]
                        if p.x >= box.minX && p.x <= box.maxX && p.y >= box.minY && p.y <= box.maxY
                            && Geometry.polygonContains([ring], p)
                        {
                            return false
                        }
                    }
                    return true
                }
                // Buildings: none in the region, none within the clearance of the segment.
                let around = box.expanded(by: clearance)
                for o in holders where obstacles[o].box.intersects(around) {
                    let obstacle = obstacles[o]
                    if obstacle.rings.isEmpty {
                        if Geometry.distance(obstacle.point, toSegment: a, b) < clearance { return false }
                    } else {
                        for outline in obstacle.rings {
                            for (u, w) in zip(outline, outline.dropFirst())
                            where Geometry.distance(segment: a, b, toSegment: u, w) < clearance {
                                return false
                            }
                        }
                    }
                    if Geometry.polygonContains([ring], obstacle.point) { return false }
                }
                if !clear(kept[...]) || !clear(path[j...]) { return false }
                for n in neighbours where chainBoxes[n].intersects(near) {
                    if !clear(current[n][...]) { return false }
                }
                return true
            }

            // From each kept vertex, the farthest end that may be reached in a straight line,
            // at most `span` vertices on (so each test is bounded however long the boundary),
            // found by halving (a farther end is usually blocked when a nearer one is).
            var kept = [0]
            var i = 0
            let last = path.count - 1
            while i < last {
                let before = kept.map { path[$0] }
                let farthest = min(last, i + span)
                var (reach, blocked) = (i + 1, farthest + 1)
                if straight(i, farthest, kept: before) {
                    reach = farthest
                } else {
                    blocked = farthest
                    while blocked - reach > 1 {
                        let middle = (reach + blocked) / 2
                        if straight(i, middle, kept: before) { reach = middle } else { blocked = middle }
                    }
                }
                kept.append(reach)
                i = reach
            }
            guard kept.count < path.count else { continue }
            let straightened = kept.map { path[$0] }
            let keep = Set(straightened)
            for v in path where !keep.contains(v) { removed.insert(vertices.keys[v]) }
            current[c] = straightened
            let key = KeyNumbering.pair(left, right)
            if lengths[key] == nil { lengthOrder.append(key) }
            lengths[key, default: (0, 0)].before += length(path)
            lengths[key, default: (0, 0)].after += length(straightened)
        }
        return Result(
            removed: removed,
            shortened: lengthOrder.map { key in
                (a: Int(key >> 32), b: Int(key & 0xffff_ffff), before: lengths[key]!.before, after: lengths[key]!.after)
            })
    }

    /// `geometry` (polygonal) without the `removed` vertices: each ring keeps its other vertices in order.
    static func removing(_ removed: Set<Position>, from geometry: Geometry) -> Geometry {
        let polygons = geometry.polygons.map { rings in
            rings.map { ring -> Ring in
                var kept = ring.dropLast().filter { !removed.contains($0) }
                guard kept.count >= 3 else { return ring }
                kept.append(kept[0])
                return kept
            }
        }
        return polygons.count == 1 ? .polygon(polygons[0]) : .multiPolygon(polygons)
    }

    /// Marks as nodes the boundary points between two parts that lie on a barrier line.
    private static func pin(
        _ node: inout [Bool], xy: [Position], incident: [[Int]], owners: (Int) -> (Int, Int), lines: [[Position]]
    ) {
        let candidates = xy.indices.filter { v in
            guard !node[v] else { return false }
            let (a, b) = owners(incident[v][0])
            return a >= 0 && b >= 0
        }
        guard !candidates.isEmpty, !lines.isEmpty else { return }
        let tolerance = 1e-3
        let reach = Geometry.multiPoint(candidates.map { xy[$0] }).boundingBox!.expanded(by: tolerance)
        var segments: [(Position, Position)] = []
        var boxes: [BoundingBox?] = []
        for line in lines {
            for (a, b) in zip(line, line.dropFirst()) {
                let box = Geometry.lineString([a, b]).boundingBox!.expanded(by: tolerance)
                guard box.intersects(reach) else { continue }
                segments.append((a, b))
                boxes.append(box)
            }
        }
        guard !segments.isEmpty else { return }
        let tree = STRTree(boxes: boxes)
        for v in candidates {
            let p = xy[v]
            let near = tree.query(BoundingBox(minX: p.x, minY: p.y, maxX: p.x, maxY: p.y))
            if near.contains(where: { Geometry.distance(p, toSegment: segments[$0].0, segments[$0].1) <= tolerance }) {
                node[v] = true
            }
        }
    }
}
