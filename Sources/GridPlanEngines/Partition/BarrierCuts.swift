import Foundation
import GridPlanGeometry
import GridPlanGeometryValues

/// Cuts of a piece that follow barrier lines (roads, rivers, railways).
///
/// The barriers inside the piece divide it into faces (blocks). Ordered along a direction,
/// the faces are taken from one end until their weight comes closest to the target: the cut
/// then runs wholly along barriers. In area mode a second cut takes the faces wholly below the
/// target and cuts the next face straight at the exact remainder, so the balance is exact and
/// only one block is crossed. The bisection weighs these against straight cuts by the length
/// of cut off the barriers, accepting an imbalance within its balance unit (a tenth of the
/// smaller side's weight).
struct BarrierCuts {
    let bisection: RecursiveBisection
    let piece: NativeGeometry
    let zone: NativeGeometry
    /// Faces tiling the piece (lon/lat), their centres in the frame, weights and sites.
    let faces: [NativeGeometry]
    let centres: [Position]
    let weights: [Double]
    let faceSites: [[Int]]
    /// Metres of the piece's own boundary inside the barrier zone (not part of any cut).
    let boundaryOnBarrier: Double

    /// Nil when no barrier line reaches into the piece.
    init?(
        piece: NativeGeometry, barriers: RecursiveBisection.BarrierLines, bisection: RecursiveBisection, members: [Int]
    ) throws {
        let context = bisection.context
        let inside = try barriers.lines.intersection(piece, gridSize: bisection.gridSize)
        if try inside.isEmpty() { return nil }
        self.bisection = bisection
        self.piece = piece
        zone = barriers.zone
        boundaryOnBarrier = try bisection.metricLength(piece.boundary().intersection(zone))
        let faces = try StreetBlocks.faces(of: piece, lines: inside, gridSize: bisection.gridSize, context: context)
        self.faces = faces
        centres = try faces.map { face in
            guard let p = try face.centroidPoint() else {
                throw GeometryLibraryError.geos(
                    function: "GEOSGetCentroid_r", messages: ["a street block of positive area has no centroid"])
            }
            return bisection.frame.forward(p)
        }
        var faceSites: [[Int]] = faces.map { _ in [] }
        if !bisection.sites.isEmpty && faces.count > 1 {
            let prepared = try faces.map(PreparedGeometry.init)
            for m in members {
                // A site on a shared edge goes to the first face holding it.
                let holder = try prepared.firstIndex { try $0.covers(bisection.sites[m].point) } ?? 0
                faceSites[holder].append(m)
            }
        }
        self.faceSites = faceSites
        if bisection.sites.isEmpty {
            weights = try faces.map { try $0.area() }
        } else {
            var w = faceSites.map { $0.reduce(0) { $0 + bisection.sites[$1].weight } }
            if w.allSatisfy({ $0 <= 0 }) { w = faceSites.map { Double($0.count) } }
            weights = w
        }
    }

    /// Metres of a cut that run inside the barrier zone.
    func metresOnBarrier(_ cut: RecursiveBisection.Cut) throws -> Double {
        let below = try bisection.metricLength(cut.below.boundary().intersection(zone))
        let above = try bisection.metricLength(cut.above.boundary().intersection(zone))
        return max(0, (below + above - boundaryOnBarrier) / 2)
    }

    /// The barrier cuts along the direction `angle` (frame radians) for the weight share `fraction`.
    func cuts(angle: Double, fraction: Double, perimeter: Double) throws -> [RecursiveBisection.Cut] {
        guard faces.count > 1 else { return [] }
        let n = Position(x: cos(angle), y: sin(angle))
        let order = faces.indices.sorted {
            (centres[$0].x * n.x + centres[$0].y * n.y, $0) < (centres[$1].x * n.x + centres[$1].y * n.y, $1)
        }
        let total = weights.reduce(0, +)
        guard total > 0 else { return [] }
        let target = fraction * total
        var prefix = [0.0]
        for f in order { prefix.append(prefix.last! + weights[f]) }
        let m = (1..<faces.count).min { (abs(prefix[$0] - target), $0) < (abs(prefix[$1] - target), $1) }!
        var made = [
            try cut(taking: Array(order[..<m]), partial: nil, perimeter: perimeter, imbalance: abs(prefix[m] - target))
        ]
        // Sites: the weight below is exact (the area of `below` is only known after the cut).
        if !bisection.sites.isEmpty { made[0].belowWeight = prefix[m] }
        // Area mode: whole faces up to the target, then a straight cut through the next face.
        if bisection.sites.isEmpty,
            let j = (0..<faces.count).first(where: { prefix[$0] < target && target < prefix[$0 + 1] })
        {
            let face = faces[order[j]]
            let share = (target - prefix[j]) / weights[order[j]]
            if share > 0.02 && share < 0.98,
                let partial = try bisection.cutAt(
                    face, positions: bisection.framePositions(face), perimeter: bisection.metricLength(face),
                    angle: angle,
                    fraction: share)
            {
                made.append(
                    try cut(taking: Array(order[..<j]), partial: partial.below, perimeter: perimeter, imbalance: 0))
            }
        }
        return made
    }

    private func cut(
        taking taken: [Int], partial: NativeGeometry?, perimeter: Double, imbalance: Double
    ) throws
        -> RecursiveBisection.Cut
    {
        let gridSize = bisection.gridSize, context = bisection.context
        let parts = taken.map { faces[$0] } + (partial.map { [$0] } ?? [])
        // Clipped to the piece: noding may have moved the outline by a grid step.
        var below = try NativeGeometry.unionAll(parts, gridSize: gridSize, in: context)
            .intersection(piece, gridSize: gridSize).polygonalPart()
        let belowSites = taken.flatMap { faceSites[$0] }
        if !bisection.sites.isEmpty {
            // A footprint across a barrier goes whole to the side of its point.
            let isBelow = Set(belowSites)
            let above = try piece.difference(below, gridSize: gridSize).polygonalPart()
            let preparedBelow = try PreparedGeometry(below), preparedAbove = try PreparedGeometry(above)
            var toBelow: [NativeGeometry] = [], toAbove: [NativeGeometry] = []
            for m in faceSites.joined() {
                guard let footprint = bisection.sites[m].footprint else { continue }
                if isBelow.contains(m) {
                    if try !preparedBelow.covers(footprint) { toBelow.append(footprint) }
                } else if try !preparedAbove.covers(footprint) {
                    toAbove.append(footprint)
                }
            }
            if !toBelow.isEmpty {
                below = try NativeGeometry.unionAll([below] + toBelow, gridSize: gridSize, in: context).polygonalPart()
            }
            if !toAbove.isEmpty {
                below = try below.difference(
                    NativeGeometry.unionAll(toAbove, gridSize: gridSize, in: context), gridSize: gridSize
                )
                .polygonalPart()
            }
        }
        let above = try piece.difference(below, gridSize: gridSize).polygonalPart()
        let length = (try bisection.metricLength(below) + bisection.metricLength(above) - perimeter) / 2
        let connected = try bisection.components(below).count == 1 && bisection.components(above).count == 1
        let isBelow = Set(belowSites)
        return RecursiveBisection.Cut(
            below: below, above: above, length: length, connected: connected, belowSites: belowSites,
            aboveSites: faceSites.joined().filter { !isBelow.contains($0) }, imbalance: imbalance)
    }
}
