import Foundation
import GridPlanGeometry
import GridPlanGeometryValues

/// The atoms a unit's grids are made of: street blocks (the unit cut by its barrier lines:
/// roads, rivers, railways), each divided into building cells (the Voronoi cells of its
/// buildings' points, within the block). Atoms tile the unit; each holds the buildings whose
/// point it covers. Neighbouring atoms are linked by the length of boundary they share, at a
/// fraction of the price when that boundary is a barrier (between different blocks), so that
/// cutting along a road is cheap and cutting through a block is dear.
///
/// All of it is one planar arrangement: the blocks' outlines (the unit's outline and the
/// barriers, without their dangles), every block's Voronoi edges and the outlines of the
/// footprints those lines reach are noded together (in doubles, then rounded to the grid and
/// mended, see ``NativeGeometry/noded(_:gridSize:in:)``; in two halves when there is enough of
/// it, on two cores when `parallel`, see ``ArrangementHalves``) and their faces traced
/// (``Geometry/faces(ofNoded:)``).
/// An atom is a connected set of faces: those of one cell, where a footprint that reaches out of its own cell takes the
/// faces it covers with it (so a group of atoms never splits a building). Faces meet along identical edges, so
/// neighbours are found by hashing edges and a grid's polygon is the coverage union of its faces, with no overlay.
struct StreetBlockAtoms {
    let context: GEOSContext
    let gridSize: Double
    /// The buildings (groups of overlapping footprints) being placed.
    private let sites: [RecursiveBisection.CutSite]
    /// Faces of the arrangement (lon/lat polygons), tiling the unit.
    private var faces: [NativeGeometry] = []
    /// The faces of each atom.
    private(set) var faceSets: [[Int]] = []
    /// Building groups (indices into ``BuildingGroups``) of each atom.
    private(set) var groups: [[Int]] = []
    /// Households (or any additive weight) of each atom.
    private(set) var weights: [Double] = []
    /// A point inside each atom, in the metric frame.
    private(set) var points: [Position] = []
    /// Pairs of atoms that share boundary: its length in metres, and how much of it runs
    /// between different street blocks (along a barrier line).
    private(set) var edges: [(a: Int, b: Int, metres: Double, alongBarrier: Double)] = []
    /// Free links that tie islands to their nearest atom elsewhere.
    private var bridges: [(Int, Int, Double)] = []
    /// Area of each atom (m²) and the length of the unit's outline it holds (m).
    private(set) var areas: [Double] = []
    private(set) var outlines: [Double] = []

    var count: Int { faceSets.count }
    /// How far (degrees; 1e-10° is ~11 µm) a block's Voronoi edges reach past its outline,
    /// where they were clipped to it: the arrangement is noded in floating precision, which
    /// joins an edge to the outline only if it crosses it (see ``Geometry/clip(_:to:overshoot:)``).
    /// A hundred times the partition's grid, so that rounding to the grid keeps the crossing.
    static let clipOvershoot = 1e-10

    /// In how many pieces the arrangement was noded (2: on two cores, see ``ArrangementHalves``).
    private(set) var halves = 1

    init(
        shape: NativeGeometry, groups buildingGroups: BuildingGroups, barrierLines: NativeGeometry?,
        blocks made: [Geometry]? = nil, frame: LocalFrame, context: GEOSContext, gridSize: Double,
        parallel: Bool = false, splitFrom: Int = ArrangementHalves.minimumVertices
    ) throws {
        self.context = context
        self.gridSize = gridSize
        sites = buildingGroups.cutSites
        // The street blocks: `made` when the caller has them already (the faces
        // ``StreetBlocks/faces(of:lines:gridSize:context:)`` gives for the same shape and lines).
        let blocks =
            try made.map { try $0.map { try NativeGeometry($0, in: context) } }
            ?? barrierLines.map { try StreetBlocks.faces(of: shape, lines: $0, gridSize: gridSize, context: context) }
            ?? [shape]
        let blockValues = try made ?? blocks.map { try $0.value() }
        let blockLocator = PointLocator(blockValues, context: context)
        let sitePoints: [Position] = try sites.map { site in
            guard case .point(let p) = try site.point.value() else { return frame.inverse(site.framePoint) }
            return p
        }

        // Cells: per block, one for each distinct building point (one for a block without any).
        var siteBlock = [Int](repeating: 0, count: sites.count)
        var blockPoints = [[Position]](repeating: [], count: blocks.count)
        var siteCell = [Int](repeating: 0, count: sites.count)
        var pointIndex = [[Position: Int]](repeating: [:], count: blocks.count)
        for s in sites.indices {
            // One block (no barriers) holds every site: no need to look.
            let b =
                blocks.count == 1
                ? 0
                : try blockLocator.locate(sitePoints[s]) ?? Self.nearest(sitePoints[s], among: blocks, context: context)
            siteBlock[s] = b
            let p = sites[s].framePoint
            if let i = pointIndex[b][p] {
                siteCell[s] = i
            } else {
                siteCell[s] = blockPoints[b].count
                pointIndex[b][p] = blockPoints[b].count
                blockPoints[b].append(p)
            }
        }
        var cellBase = [Int](repeating: 0, count: blocks.count)
        var cellCount = 0
        for b in blocks.indices {
            cellBase[b] = cellCount
            cellCount += max(1, blockPoints[b].count)
        }
        let cellOfSite = sites.indices.map { cellBase[siteBlock[$0]] + siteCell[$0] }

        // Each block's Voronoi edges, clipped to the block (with `parallel`, half of the blocks
        // on another core, with its own GEOS context; the edges are the same either way).
        func voronoiEdges(of b: Int, in context: GEOSContext) throws -> [[Position]] {
            // Voronoi edges in the metric frame (the frame is a scaling of lon/lat, so they map
            // back exactly), from the Delaunay triangles, reaching a metre past the block's box.
            let framePiece = frame.forward(blockValues[b])
            let sites = try NativeGeometry(.multiPoint(blockPoints[b]), in: context)
            let triangles = try sites.delaunayTriangles().value().polygons.map { $0[0] }
            var edges: [[Position]] = []
            if triangles.isEmpty {
                // Points on one line (or two): GEOS's own diagram.
                edges = try sites.voronoiDiagram(envelope: NativeGeometry(framePiece, in: context), onlyEdges: true)
                    .value().lines
            } else if let box = framePiece.boundingBox {
                let margin = box.expanded(by: 1)
                edges = Geometry.voronoiEdges(delaunay: triangles, within: margin)
            }
            edges = edges.map { $0.map(frame.inverse) }
            // One block (no barriers): the edges need no clip, as the faces outside the unit are
            // dropped below; with several, each block's edges must stay out of its neighbours
            // (clipped in doubles: the noding below joins their ends to the outline).
            return blocks.count == 1
                ? edges : Geometry.clip(edges, to: blockValues[b].polygons, overshoot: Self.clipOvershoot)
        }
        let withCells = blocks.indices.filter { blockPoints[$0].count > 1 }
        var cellEdges = [[[Position]]](repeating: [], count: blocks.count)
        if parallel && withCells.count > 1 {
            let other = try GEOSContext()
            let made = try alternatelySideBySide(withCells.count) { items, side in
                try items.map { try voronoiEdges(of: withCells[$0], in: side == 0 ? context : other) }
            }
            for (b, edges) in zip(withCells, made) { cellEdges[b] = edges }
        } else {
            for b in withCells { cellEdges[b] = try voronoiEdges(of: b, in: context) }
        }
        // The arrangement is noded in one piece, or in two halves of the blocks (see
        // ArrangementHalves), each half with the outlines of its blocks, their Voronoi edges and
        // the footprints these reach. Whether it is split depends on the input alone, so that
        // the output does not depend on the number of cores; `parallel` only runs the halves
        // side by side.
        let split = ArrangementHalves(blocks: blockValues, cellEdges: cellEdges, frame: frame, splitFrom: splitFrom)
        let footprintRings = try sites.map { try $0.footprint?.value().polygons ?? [] }
        // Each half's lines (chained) on its own core with `parallel`.
        var halfLines: [[[Position]]]
        if parallel && split.members.count == 2 {
            let (first, second) = sideBySide({ split.lines(ofHalf: 0) }, { split.lines(ofHalf: 1) })
            halfLines = [first, second]
        } else {
            halfLines = split.members.indices.map { split.lines(ofHalf: $0) }
        }
        // Footprints these lines cross (or hold a piece of) are drawn in too, to go whole to
        // their cell. Each half's segments are indexed once; with `parallel`, the halves' footprints
        // are looked at in two chunks each, side by side, so that one half (a unit without
        // barriers) also keeps both cores busy.
        let chunks = parallel ? 2 : 1
        let bounds = (0...chunks).map { $0 * footprintRings.count / chunks }
        let indexes = ConcurrentSlots<SegmentIndex>(count: halfLines.count)
        let reachedInChunk = ConcurrentSlots<[Int]>(count: halfLines.count * chunks)
        let search = Unshared(value: (footprintRings, halfLines))
        let index: @Sendable (Int) -> Void = { h in indexes.set(h, SegmentIndex(search.value.1[h])) }
        let find: @Sendable (Int) -> Void = { j in
            let (h, c) = (j / chunks, j % chunks)
            reachedInChunk.set(j, indexes.get(h)!.reached(search.value.0, in: bounds[c]..<bounds[c + 1]))
        }
        if parallel {
            DispatchQueue.concurrentPerform(iterations: halfLines.count, execute: index)
            DispatchQueue.concurrentPerform(iterations: halfLines.count * chunks, execute: find)
        } else {
            halfLines.indices.forEach(index)
            halfLines.indices.forEach(find)
        }
        var reachedAnywhere = Set<Int>()
        for h in halfLines.indices {
            for s in (0..<chunks).flatMap({ reachedInChunk.get(h * chunks + $0)! }) {
                reachedAnywhere.insert(s)
                halfLines[h] += footprintRings[s].flatMap { $0 }.filter { $0.count > 1 }
            }
        }
        let intruders = reachedAnywhere.sorted()
        let halfFaces = try split.faces(of: halfLines, gridSize: gridSize, context: context, parallel: parallel)
        halves = halfFaces.count
        // Each polygon's area, a point inside it and its block (nil: the point lies in no block),
        // or nil when it is not a face inside the unit; with `parallel`, every other polygon on
        // a second core (its own GEOS context, prepared shape and block locator).
        let polygons = halfFaces.enumerated().flatMap { h, polygons in polygons.map { (half: h, polygon: $0) } }
        typealias Probe = (face: NativeGeometry?, area: Double, point: Position, block: Int?)
        func probe(
            _ items: [Int], in context: GEOSContext, _ shape: PreparedGeometry, _ locator: PointLocator
        )
            throws -> [Probe?]
        {
            try items.map { i in
                let face = try NativeGeometry(.polygon(polygons[i].polygon), in: context)
                let area = try face.area()
                guard area > 0, let p = try face.interiorPoint(),
                    try shape.covers(NativeGeometry(.point(p), in: context))
                else { return nil }
                // One block: every face inside the unit is in it (the same test as the shape's).
                return (face, area, p, blocks.count == 1 ? 0 : try locator.locate(p))
            }
        }
        let preparedShape = try PreparedGeometry(shape)
        let probes: [Probe?]
        if parallel && polygons.count > 1 {
            let other = try GEOSContext()
            let theirs = (try PreparedGeometry(shape.cloned(in: other)), PointLocator(blockValues, context: other))
            // The second core's faces belong to its context: only their figures come back.
            probes = try alternatelySideBySide(polygons.count) { items, side in
                side == 0
                    ? try probe(items, in: context, preparedShape, blockLocator)
                    : try probe(items, in: other, theirs.0, theirs.1).map {
                        $0.map { (nil, $0.area, $0.point, $0.block) }
                    }
            }
        } else {
            probes = try probe(Array(polygons.indices), in: context, preparedShape, blockLocator)
        }
        var faceValues: [Geometry] = [], inner: [Position] = [], faceArea: [Double] = [], faceBlock: [Int] = []
        for (i, probe) in probes.enumerated() {
            guard let probe else { continue }
            let b = try probe.block ?? Self.nearest(probe.point, among: blocks, context: context)
            // A half's faces outside its own blocks are the other half's.
            guard split.half[b] == polygons[i].half else { continue }
            faces.append(try probe.face ?? NativeGeometry(.polygon(polygons[i].polygon), in: context))
            faceValues.append(.polygon(polygons[i].polygon))
            inner.append(probe.point)
            faceArea.append(probe.area)
            faceBlock.append(b)
        }
        guard !faces.isEmpty else {
            throw GeometryLibraryError.geos(
                function: "GEOSUnaryUnionPrec_r",
                messages: ["the unit's outline, noded with its lines, encloses no face"])
        }

        // The cell each face belongs to: the footprint's that covers it, else its block's nearest point.
        let footprintLocator = PointLocator(try intruders.map { try sites[$0].footprint!.value() }, context: context)
        var faceCell = [Int](repeating: 0, count: faces.count)
        var faceFootprint = [Int?](repeating: nil, count: faces.count)
        // The building points of each block, for the nearest one to a face.
        var nearestIn = [PlanarNearest?](repeating: nil, count: blocks.count)
        for f in faces.indices {
            let b = faceBlock[f]
            if let i = try footprintLocator.locate(inner[f]) {
                faceFootprint[f] = i
                faceCell[f] = cellOfSite[intruders[i]]
            } else if blockPoints[b].count <= 1 {
                faceCell[f] = cellBase[b]
            } else {
                if nearestIn[b] == nil { nearestIn[b] = PlanarNearest(blockPoints[b]) }
                faceCell[f] = cellBase[b] + nearestIn[b]!.nearest(to: frame.forward(inner[f]))!
            }
        }

        // Faces sharing an edge (the same two vertices in both), with its length in metres.
        let segmentCount = faceValues.reduce(0) { n, face in
            face.polygons.reduce(n) { $0 + $1.reduce(0) { $0 + $1.count } }
        }
        var vertices = VertexNumbering(expected: segmentCount / 2)
        var segments = KeyNumbering(expected: segmentCount / 2)
        // The first face each segment was found in (an edge found once lies on the unit's outline).
        var firstFace: [Int] = []
        var pairs = KeyNumbering(expected: 4 * faces.count)
        var shared: [Double] = []
        var faceOutline = [Double](repeating: 0, count: faces.count)
        for f in faces.indices {
            for ring in faceValues[f].polygons.flatMap({ $0 }) {
                for (p, q) in zip(ring, ring.dropFirst()) where p != q {
                    let segment = segments.number(
                        KeyNumbering.pair(vertices.number(p).number, vertices.number(q).number))
                    let (u, v) = (frame.forward(p), frame.forward(q))
                    let metres = ((u.x - v.x) * (u.x - v.x) + (u.y - v.y) * (u.y - v.y)).squareRoot()
                    guard !segment.inserted else {
                        firstFace.append(f)
                        faceOutline[f] += metres
                        continue
                    }
                    let g = firstFace[segment.number]
                    guard g != f else { continue }
                    faceOutline[g] -= metres
                    let pair = pairs.number(KeyNumbering.pair(f, g))
                    if pair.inserted { shared.append(metres) } else { shared[pair.number] += metres }
                }
            }
        }
        let pairKeys = pairs.keys
        let faceEdges = pairKeys.indices.sorted { pairKeys[$0] < pairKeys[$1] }.map {
            (a: Int(pairKeys[$0] >> 32), b: Int(pairKeys[$0] & 0xffff_ffff), metres: shared[$0])
        }

        // Atoms: the connected pieces of each cell.
        var pieces = UnionFind(count: faces.count)
        for e in faceEdges where faceCell[e.a] == faceCell[e.b] { pieces.join(e.b, into: e.a) }
        // A footprint of several parts (a repaired bow-tie, say) keeps its parts in one atom.
        var footprintFace: [Int: Int] = [:]
        for f in faces.indices {
            guard let i = faceFootprint[f] else { continue }
            if let first = footprintFace[i] { pieces.join(f, into: first) } else { footprintFace[i] = f }
        }
        var atomOf = [Int](repeating: -1, count: faces.count)
        var atomOfRoot: [Int: Int] = [:]
        for f in faces.indices {
            let root = pieces.root(f)
            let atom = atomOfRoot[root] ?? faceSets.count
            if atom == faceSets.count {
                atomOfRoot[root] = atom
                faceSets.append([])
            }
            atomOf[f] = atom
            faceSets[atom].append(f)
        }
        let cellAtoms = Dictionary(grouping: faceSets.indices) { faceCell[faceSets[$0][0]] }

        // Buildings: in the atom holding their point (their cell's, or the footprint's that covers it).
        groups = [[Int]](repeating: [], count: faceSets.count)
        var faceLocator: PointLocator?
        for s in sites.indices {
            var cell = cellOfSite[s]
            if let i = try footprintLocator.locate(sitePoints[s]) { cell = cellOfSite[intruders[i]] }
            if let candidates = cellAtoms[cell], candidates.count == 1 {
                groups[candidates[0]].append(s)
                continue
            }
            // The cell fell apart or lost every face: find the face by geometry.
            if faceLocator == nil { faceLocator = PointLocator(faceValues, context: context) }
            let f =
                try faceLocator!.locate(sitePoints[s]) ?? Self.nearest(sitePoints[s], among: faces, context: context)
            groups[atomOf[f]].append(s)
        }

        // The graph: weights, a point inside each atom (its largest face's), edges.
        weights = groups.map { $0.reduce(0) { $0 + sites[$1].weight } }
        points = faceSets.map { set in frame.forward(inner[set.max { (faceArea[$0], $1) < (faceArea[$1], $0) }!]) }
        var between: [Int64: (metres: Double, along: Double)] = [:]
        for e in faceEdges {
            let (a, b) = (atomOf[e.a], atomOf[e.b])
            guard a != b else { continue }
            let key = Int64(min(a, b)) << 32 | Int64(max(a, b))
            var entry = between[key] ?? (0, 0)
            entry.metres += e.metres
            if faceBlock[e.a] != faceBlock[e.b] { entry.along += e.metres }
            between[key] = entry
        }
        let keys = between.keys.sorted().filter { between[$0]!.metres > 0.01 }
        edges = keys.map {
            (a: Int($0 >> 32), b: Int($0 & 0xffff_ffff), metres: between[$0]!.metres, alongBarrier: between[$0]!.along)
        }
        let scale = frame.scaleX * frame.scaleY
        areas = faceSets.map { $0.reduce(0) { $0 + faceArea[$1] * scale } }
        outlines = faceSets.map { $0.reduce(0) { $0 + max(0, faceOutline[$1]) } }
        bridges = Self.islandBridges(points: points, edges: edges.map { ($0.a, $0.b, $0.metres) })
    }

    /// The atom graph with a metre along a barrier priced at `barrierPrice` (a metre through a block costs 1).
    func graph(barrierPrice: Double) -> AtomGraph {
        AtomGraph(
            weights: weights, points: points,
            edges: edges.map { ($0.a, $0.b, $0.metres - $0.alongBarrier * (1 - barrierPrice)) } + bridges)
    }

    /// The segments of some lines in an STR tree, to find the footprints they reach.
    private struct SegmentIndex: Sendable {
        let segments: [(Position, Position)]
        let tree: STRTree

        init(_ lines: [[Position]]) {
            var segments: [(Position, Position)] = []
            for line in lines { for (a, b) in zip(line, line.dropFirst()) { segments.append((a, b)) } }
            self.segments = segments
            tree = STRTree(
                boxes: segments.map { a, b in
                    BoundingBox(minX: min(a.x, b.x), minY: min(a.y, b.y), maxX: max(a.x, b.x), maxY: max(a.y, b.y))
                })
        }

        /// The footprints of `range` (polygons as rings, lon/lat) that a segment meets (crosses,
        /// touches, or lies inside), in index order: exact-enough tests in doubles. A touch
        /// found or missed by rounding changes nothing (a footprint drawn in needlessly still
        /// goes whole to its cell); a crossing is far from rounding.
        func reached(_ footprints: [[[Ring]]], in range: Range<Int>) -> [Int] {
            var result: [Int] = []
            for s in range where !footprints[s].isEmpty {
                let polygons = footprints[s]
                guard let box = BoundingBox(around: polygons.joined().joined()) else { continue }
                let hit = tree.contains(intersecting: box) { i in
                    let (a, b) = segments[i]
                    for ring in polygons.joined() {
                        for (p, q) in zip(ring, ring.dropFirst()) where Geometry.segmentIntersection(a, b, p, q) != nil
                        {
                            return true
                        }
                    }
                    // No edge met: the segment is wholly inside or wholly outside.
                    return polygons.contains { Geometry.polygonContains($0, a) }
                }
                if hit { result.append(s) }
            }
            return result
        }
    }

    /// The index of the geometry nearest to a point (a point that snap-rounding left just outside all of them).
    private static func nearest(_ p: Position, among geometries: [NativeGeometry], context: GEOSContext) throws -> Int {
        let point = try NativeGeometry(.point(p), in: context)
        var best = 0, bestDistance = Double.infinity
        for (i, g) in geometries.enumerated() {
            let d = try g.distance(to: point)
            if d < bestDistance { (best, bestDistance) = (i, d) }
        }
        return best
    }

    /// Islands: each piece of the atom graph is tied to its nearest atom elsewhere at no cost,
    /// so islets join a grid while it is balanced, not after.
    private static func islandBridges(points: [Position], edges: [(Int, Int, Double)]) -> [(Int, Int, Double)] {
        var bridges: [(Int, Int, Double)] = []
        let probe = AtomGraph(weights: points.map { _ in 0 }, points: points, edges: edges)
        let all = Array(points.indices)
        var pieces = GraphPartition.components(probe, all, inSet: [Bool](repeating: true, count: points.count))
        while pieces.count > 1 {
            pieces.sort { ($0.count, $0.min()!) > ($1.count, $1.min()!) }
            let small = pieces.removeLast()
            let mine = Set(small)
            var best: (Double, Int, Int)?
            for a in small {
                for b in all where !mine.contains(b) {
                    let dx = probe.points[a].x - probe.points[b].x, dy = probe.points[a].y - probe.points[b].y
                    let d = dx * dx + dy * dy
                    if best == nil || (d, a, b) < best! { best = (d, a, b) }
                }
            }
            guard let (_, a, b) = best else { break }
            bridges.append((a, b, 0))
            let target = pieces.firstIndex { $0.contains(b) }!
            pieces[target] += small
        }
        return bridges
    }

    /// The polygon of a group of atoms: the coverage union of their faces, owned by `context`
    /// (by default the atoms' own; another thread passes its own, and the groups it assembles
    /// must share no atom with another thread's).
    func assemble(_ atoms: [Int], in context: GEOSContext? = nil) throws -> NativeGeometry {
        let members = atoms.flatMap { faceSets[$0] }.sorted()
        if members.count == 1 { return try context.map { try faces[members[0]].cloned(in: $0) } ?? faces[members[0]] }
        return try NativeGeometry.coverageUnion(
            members.map { faces[$0] }, gridSize: gridSize, in: context ?? self.context
        ).polygonalPart()
    }

    /// The building groups held by a set of atoms.
    func members(_ atoms: [Int]) -> [Int] { atoms.flatMap { groups[$0] }.sorted() }

    /// Each set of atoms as one piece: its polygon and its building groups.
    func assembled(_ sets: [[Int]], in context: GEOSContext? = nil) throws -> [(NativeGeometry, [Int])] {
        try sets.map { (try assemble($0, in: context), members($0)) }
    }
}

/// Street blocks: the faces a piece is cut into by barrier lines.
enum StreetBlocks {
    /// Faces of `piece` (lon/lat) cut by `lines`, tiling it (faces outside it or filling its holes dropped).
    static func faces(
        of piece: NativeGeometry, lines: NativeGeometry, gridSize: Double, context: GEOSContext
    ) throws -> [NativeGeometry] {
        if try lines.isEmpty() { return [piece] }
        // Node the barriers with the piece's outline in one pass (no clip first: that would node
        // them twice); the faces inside the piece tile it.
        let noded = try NativeGeometry.noded(
            try lines.value().lines + piece.boundary().value().lines, gridSize: gridSize, in: context)
        let preparedPiece = try PreparedGeometry(piece)
        var faces: [NativeGeometry] = []
        // In the order of their boxes (west to east, then south to north), not in the order the
        // noding gave: the grids then do not depend on how the noding ordered its output.
        let polygons = Geometry.faces(ofNoded: noded)
        let boxes = polygons.map { Geometry.polygon($0).boundingBox ?? BoundingBox(minX: 0, minY: 0, maxX: 0, maxY: 0) }
        func key(_ i: Int) -> (Double, Double, Double, Double, Int) {
            (boxes[i].minX, boxes[i].minY, boxes[i].maxX, boxes[i].maxY, i)
        }
        for i in polygons.indices.sorted(by: { key($0) < key($1) }) {
            let face = try NativeGeometry(.polygon(polygons[i]), in: context)
            guard try face.area() > 0, try preparedPiece.covers(face.pointOnSurface()) else { continue }
            faces.append(face)
        }
        return faces.isEmpty ? [piece] : faces
    }
}
