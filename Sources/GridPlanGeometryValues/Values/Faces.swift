/// The faces of a planar arrangement, traced in Swift over line work that is already noded
/// (segments meet only at shared end points, as a snap-rounded union leaves them).
extension Geometry {
    /// Every bounded face of noded `lines`, as polygons (shell, then holes), in a deterministic
    /// order. Dangles and cut edges bound no face and are dropped, as GEOS's polygonizer does;
    /// a ring of lines inside a face is a hole of that face and a face of its own. Vertices are
    /// matched by exact position, so the lines must be noded on one precision grid.
    ///
    /// Half-edges leave each vertex in angular order; following, from each half-edge, the next
    /// one clockwise at its end walks the boundary of the face on its left. A walk that meets a
    /// vertex twice is split there into simple rings: counter-clockwise rings are shells,
    /// clockwise ones holes (of the shell on the same walk, or else of the smallest shell of
    /// another connected piece that holds them; the outermost boundary has none and is dropped).
    public static func faces(ofNoded lines: [[Position]]) -> [[Ring]] {
        let segments = lines.reduce(0) { $0 + max(0, $1.count - 1) }
        var vertices = VertexNumbering(expected: segments)
        // Undirected edges, once each.
        var ends: [(Int, Int)] = []
        var seen = KeyNumbering(expected: segments)
        for line in lines {
            for (p, q) in zip(line, line.dropFirst()) where p != q {
                let (a, b) = (vertices.number(p).number, vertices.number(q).number)
                if seen.number(KeyNumbering.pair(a, b)).inserted { ends.append((a, b)) }
            }
        }
        let positions = vertices.keys
        var alive = [Bool](repeating: true, count: ends.count)
        // The edges at each vertex, in edge order: `incident[incidentStart[v]..<incidentStart[v + 1]]`.
        var incidentStart = [Int](repeating: 0, count: positions.count + 1)
        for (a, b) in ends {
            incidentStart[a + 1] += 1
            incidentStart[b + 1] += 1
        }
        for v in positions.indices { incidentStart[v + 1] += incidentStart[v] }
        var incidentList = [Int](repeating: 0, count: 2 * ends.count)
        var filled = incidentStart
        for (e, (a, b)) in ends.enumerated() {
            incidentList[filled[a]] = e
            filled[a] += 1
            incidentList[filled[b]] = e
            filled[b] += 1
        }
        func incident(_ v: Int) -> ArraySlice<Int> { incidentList[incidentStart[v]..<incidentStart[v + 1]] }
        var degree = positions.indices.map { incidentStart[$0 + 1] - incidentStart[$0] }
        // Drops dangles: edges with an end no other edge meets, repeatedly.
        func pruneDangles() {
            var stack = degree.indices.filter { degree[$0] == 1 }
            while let v = stack.popLast() {
                guard degree[v] == 1, let e = incident(v).first(where: { alive[$0] }) else { continue }
                alive[e] = false
                degree[ends[e].0] -= 1
                degree[ends[e].1] -= 1
                if degree[ends[e].0] == 1 { stack.append(ends[e].0) }
                if degree[ends[e].1] == 1 { stack.append(ends[e].1) }
            }
        }
        pruneDangles()
        // Half-edge h = 2e runs a→b along edge e, h = 2e+1 back; `next` walks the face on the left.
        let halfCount = 2 * ends.count
        func origin(_ h: Int) -> Int { h & 1 == 0 ? ends[h >> 1].0 : ends[h >> 1].1 }
        var next = [Int](repeating: -1, count: halfCount)
        var walkOf = [Int](repeating: -1, count: halfCount)
        var walks: [[Int]] = []
        while true {
            // Around each vertex, its outgoing half-edges counter-clockwise by angle from the +x
            // axis: the upper half-plane first, then by cross product (exact order for distinct
            // directions). After the twin of h (around h's end), the half-edge just before it,
            // cyclically, follows h.
            var around: [(dx: Double, dy: Double, h: Int)] = []
            for v in positions.indices where degree[v] > 0 {
                around.removeAll(keepingCapacity: true)
                let p = positions[v]
                for e in incident(v) where alive[e] {
                    let h = ends[e].0 == v ? 2 * e : 2 * e + 1
                    let q = positions[origin(h ^ 1)]
                    around.append((q.x - p.x, q.y - p.y, h))
                }
                // Insertion sort: a vertex has a few edges.
                for i in around.indices.dropFirst() {
                    let item = around[i]
                    var j = i
                    while j > 0 && Self.counterClockwiseBefore(item, around[j - 1]) {
                        around[j] = around[j - 1]
                        j -= 1
                    }
                    around[j] = item
                }
                for i in around.indices {
                    let previous = i == 0 ? around.count - 1 : i - 1
                    next[around[i].h ^ 1] = around[previous].h
                }
            }
            walks = []
            for h in 0..<halfCount { walkOf[h] = -1 }
            for h in 0..<halfCount where alive[h >> 1] && walkOf[h] < 0 {
                var walk: [Int] = []
                var g = h
                while walkOf[g] < 0 {
                    walkOf[g] = walks.count
                    walk.append(g)
                    g = next[g]
                }
                walks.append(walk)
            }
            // A cut edge has the same face on both sides: drop it (and the dangles it leaves), walk again.
            let cuts = ends.indices.filter { alive[$0] && walkOf[2 * $0] == walkOf[2 * $0 + 1] }
            if cuts.isEmpty { break }
            for e in cuts {
                alive[e] = false
                degree[ends[e].0] -= 1
                degree[ends[e].1] -= 1
            }
            pruneDangles()
        }

        // Connected pieces, to keep a piece's outer boundary from being taken for a hole of its own faces.
        var piece = [Int](repeating: -1, count: positions.count)
        for start in positions.indices where piece[start] < 0 && degree[start] > 0 {
            piece[start] = start
            var stack = [start]
            while let v = stack.popLast() {
                for e in incident(v) where alive[e] {
                    let w = ends[e].0 == v ? ends[e].1 : ends[e].0
                    if piece[w] < 0 {
                        piece[w] = start
                        stack.append(w)
                    }
                }
            }
        }

        // Each walk split into simple rings where it meets a vertex again.
        var shells: [(ring: Ring, area: Double, walk: Int)] = []
        var shellOfWalk = [Int](repeating: -1, count: walks.count)
        var holes: [(ring: Ring, walk: Int)] = []
        var at = [Int](repeating: -1, count: positions.count)
        var stack: [Int] = []
        // A ring of `count` vertices or more (closed: its first vertex again at the end) is a
        // shell (counter-clockwise) or a hole (clockwise) of walk w.
        func keep(_ vertices: ArraySlice<Int>, closedBy last: Int, walk w: Int) {
            guard vertices.count + 1 >= 4 else { return }
            var ring: Ring = []
            ring.reserveCapacity(vertices.count + 1)
            for u in vertices { ring.append(positions[u]) }
            ring.append(positions[last])
            let area = signedArea(ring)
            if area > 0 {
                shellOfWalk[w] = shells.count
                shells.append((ring, area, w))
            } else if area < 0 {
                holes.append((ring, w))
            }
        }
        for (w, walk) in walks.enumerated() {
            stack.removeAll(keepingCapacity: true)
            for h in walk {
                let v = origin(h)
                if at[v] >= 0 {
                    let i = at[v]
                    keep(stack[i...], closedBy: v, walk: w)
                    for u in stack[i...] { at[u] = -1 }
                    stack.removeSubrange(i...)
                }
                at[v] = stack.count
                stack.append(v)
            }
            for u in stack { at[u] = -1 }
            if let first = stack.first { keep(stack[...], closedBy: first, walk: w) }
        }
        var polygons: [[Ring]] = shells.map { [$0.ring] }
        // Holes of a walk without a shell are a piece's outer boundary: the smallest shell of another piece holding
        // them.
        let boxes = shells.map { BoundingBox(around: $0.ring)! }
        let tree = STRTree(boxes: boxes)
        for hole in holes {
            if shellOfWalk[hole.walk] >= 0 {
                polygons[shellOfWalk[hole.walk]].append(hole.ring)
                continue
            }
            let p = hole.ring[0]
            let own = piece[vertices.find(p)!]
            var best: Int?
            for s in tree.query(BoundingBox(minX: p.x, minY: p.y, maxX: p.x, maxY: p.y)).sorted()
            where piece[origin(walks[shells[s].walk][0])] != own && polygonContains([shells[s].ring], p) {
                if best == nil || shells[s].area < shells[best!].area { best = s }
            }
            if let s = best { polygons[s].append(hole.ring) }
        }
        return polygons
    }

    /// Whether direction `a` comes before `b` counter-clockwise from the +x axis (the upper
    /// half-plane, +x included, first; then by cross product).
    @inline(__always)
    private static func counterClockwiseBefore(
        _ a: (dx: Double, dy: Double, h: Int), _ b: (dx: Double, dy: Double, h: Int)
    ) -> Bool {
        let (upperA, upperB) = (a.dy > 0 || (a.dy == 0 && a.dx > 0), b.dy > 0 || (b.dy == 0 && b.dx > 0))
        if upperA != upperB { return upperA }
        return a.dx * b.dy - a.dy * b.dx > 0
    }
}
