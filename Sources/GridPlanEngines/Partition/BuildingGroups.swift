import GridPlanGeometry
import GridPlanGeometryValues
import GridPlanModel

/// The buildings of one unit as indivisible groups for the splitter. Footprints that overlap
/// (OSM building parts over their building, say) form one group, so no cut can separate them;
/// each footprint is clipped to the unit first.
struct BuildingGroups {
    var cutSites: [RecursiveBisection.CutSite] = []
    var households: [Int] = []
    var population: [Int] = []
    var memberCount: [Int] = []
    var ids: [[String]] = []
    let context: GEOSContext

    static func make(
        _ sites: [BuildingSite], within shape: NativeGeometry, frame: LocalFrame, context: GEOSContext
    ) throws
        -> BuildingGroups
    {
        var groups = BuildingGroups(context: context)
        guard !sites.isEmpty else { return groups }
        let grid = PartitionPrecision.gridSize
        var footprints: [NativeGeometry?] = []
        // The footprint as a value, where it went in unclipped (for a quick test of pairs below).
        var unclipped: [[[Ring]]?] = []
        // Most footprints lie well inside the unit: a prepared test finds them without an
        // overlay; only those near the boundary are clipped.
        let prepared = try PreparedGeometry(shape)
        for site in sites {
            guard let f = site.footprint else {
                footprints.append(nil)
                unclipped.append(nil)
                continue
            }
            let native = try NativeGeometry(f, in: context)
            if (try? prepared.containsProperly(native)) == true {
                footprints.append(native)
                unclipped.append(f.polygons)
                continue
            }
            unclipped.append(nil)
            let clipped = try native.intersection(shape, gridSize: grid).polygonalPart()
            footprints.append(try clipped.isEmpty() ? nil : clipped)
        }
        // Union-find over overlapping footprints.
        var sets = UnionFind(count: sites.count)
        let boxes = try footprints.map { try $0?.boundingBox() }
        let tree = STRTree(boxes: boxes)
        for i in sites.indices {
            guard let a = footprints[i], let box = boxes[i] else { continue }
            for j in tree.query(box) where j > i {
                guard let b = footprints[j], sets.root(i) != sets.root(j) else { continue }
                // Most footprints whose boxes meet are apart (1e-9°, ~0.1 mm, between them):
                // found in Swift; the others are asked of GEOS.
                if let p = unclipped[i], let q = unclipped[j], Geometry.polygonsApart(p, q, margin: 1e-9) { continue }
                if try a.interiorsIntersect(b) { sets.join(j, into: i) }
            }
        }
        var members: [Int: [Int]] = [:]
        for i in sites.indices { members[sets.root(i), default: []].append(i) }
        for key in members.keys.sorted() {
            let m = members[key]!
            let shapes = m.compactMap { footprints[$0] }
            var footprint: NativeGeometry?
            if !shapes.isEmpty {
                footprint =
                    shapes.count == 1
                    ? shapes[0] : try NativeGeometry.unionAll(shapes, gridSize: grid, in: context).polygonalPart()
            }
            var point = sites[m[0]].point
            if let footprint, let p = try footprint.interiorPoint() { point = p }
            let rings = try footprint?.value().polygons.joined().map { $0.map(frame.forward) } ?? []
            let h = m.reduce(0) { $0 + sites[$1].households }
            groups.cutSites.append(
                RecursiveBisection.CutSite(
                    framePoint: frame.forward(point), point: try NativeGeometry(.point(point), in: context),
                    footprint: footprint, frameRings: rings, weight: Double(h)))
            groups.households.append(h)
            groups.population.append(m.reduce(0) { $0 + sites[$1].population })
            groups.memberCount.append(m.count)
            groups.ids.append(m.map { sites[$0].id })
        }
        return groups
    }

    /// Whether group `g` lies wholly inside `piece` (its footprint, or its point). A residue
    /// below a millionth of the footprint is snap-rounding noise (a 12 m edge on the 1e-12°
    /// grid leaves ~1e-6 m², a millionth of 144 m² is 1.4e-4 m²), not a split building.
    func isInside(_ g: Int, _ piece: NativeGeometry, prepared: PreparedGeometry? = nil) throws -> Bool {
        guard let footprint = cutSites[g].footprint else { return try piece.covers(cutSites[g].point) }
        // Fast paths: inside, or inside up to the boundary (a footprint whose outline is part of
        // its cell's). The overlay below decides only what the exact predicates reject: a
        // footprint whose outline the snap-rounded noding moved by up to a grid step.
        if let prepared, (try? prepared.containsProperly(footprint)) == true { return true }
        if let prepared, (try? prepared.covers(footprint)) == true { return true }
        // In the piece's context: the footprint belongs to the unit's, the piece maybe to another thread's.
        let local = try footprint.cloned(in: piece.context)
        let outside = try local.difference(piece, gridSize: PartitionPrecision.gridSize).area()
        return outside <= 1e-6 * (try local.area())
    }
}
