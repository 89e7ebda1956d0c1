import Foundation
import GridPlanGeometry
import GridPlanGeometryValues

/// Splits a connected polygon into `k` connected parts of equal weight by recursive
/// bisection with straight cuts.
///
/// Each cut divides the weight in the ratio ⌊k/2⌋ : ⌈k/2⌉. Its position is found by regula
/// falsi (Illinois) on the weight below the cut line. Its direction is taken from north–south,
/// east–west, the principal axis and its perpendicular, then every 15°. The chosen direction is the one
/// that keeps both sides in one piece with the shortest cut, which gives compact parts and
/// short shared boundaries. The second side is the difference from the first, so both share
/// the cut's exact vertices. When no direction keeps both sides whole (a spiral, say), the
/// pieces cut off on one side go to the other, which they touch along the cut.
///
/// Geometry stays in lon/lat: every overlay runs on the unit's own coordinates, snap-rounded to
/// a fine fixed grid, with no transform back; what is written is exactly what was computed. The affine `frame` only
/// builds the cutting half-plane (an affine map sends half-planes to half-planes) and
/// measures cut lengths. Weight is area (households spread evenly); an affine map scales all
/// areas alike, so area ratios are exact to 1e-7.
struct RecursiveBisection {
    let context: GEOSContext
    let frame: LocalFrame
    /// Snap-rounding grid of every cut, in degrees (see ``PartitionPrecision``).
    let gridSize: Double
    /// Buildings of the unit. Empty: weight is area. Otherwise weight is the sites'
    /// households, cuts fall between sites, and no footprint is ever cut.
    var sites: [CutSite] = []
    /// Barrier lines (roads, rivers) inside the unit. Cut length along them is free, and cuts
    /// that run wholly along them are tried (see ``BarrierCuts``).
    var barriers: BarrierLines?
    /// Households per part the caller aims for, and households per unit of weight (area mode:
    /// households spread evenly). A cut that trades exact balance for a shorter or
    /// barrier-following line must keep the mean of both sides in this band.
    var band: ClosedRange<Double>?
    var householdsPerWeight = 1.0

    /// Share of a metre of cut along a barrier that is not counted: enough that boundaries take
    /// a road instead of a straight line somewhat shorter, not so much that a long staircase
    /// of blocks beats a straight cut a quarter its length.
    static let barrierDiscount = 0.75

    /// Barrier lines clipped to a unit (lon/lat) and a thin zone around them that counts as "on the barrier".
    struct BarrierLines {
        var lines: NativeGeometry
        var zone: NativeGeometry
    }

    /// A building as the splitter sees it.
    struct CutSite {
        /// Point inside the building, in the frame (for ordering along a direction) and lon/lat.
        var framePoint: Position
        var point: NativeGeometry
        /// Footprint clipped to the unit (lon/lat) and its rings in the frame (closed).
        var footprint: NativeGeometry?
        var frameRings: [[Position]]
        var weight: Double
    }

    struct Cut {
        var below: NativeGeometry
        var above: NativeGeometry
        var length: Double
        var connected: Bool
        var belowSites: [Int] = []
        var aboveSites: [Int] = []
        /// |weight below − target|, in weight units (sites) or lon/lat area units (area mode).
        var imbalance: Double = 0
        /// Weight below the cut, when known exactly (nil: the area of `below`).
        var belowWeight: Double?
        /// Metres of the cut that run along a barrier.
        var onBarrier: Double = 0
        /// What the choice minimises: cut length, with metres along barriers at a quarter of the price.
        var cost: Double { length - RecursiveBisection.barrierDiscount * onBarrier }
    }

    /// Splits `piece` holding the sites `members` (indices into `sites`) into `k` parts and
    /// says which sites each part holds. With sites, a part holding one building is not cut
    /// further ("a micro-grid of one building").
    func split(_ piece: NativeGeometry, into k: Int, members: [Int]) throws -> [(NativeGeometry, [Int])] {
        let k = sites.isEmpty ? k : min(k, members.count)
        guard k > 1 else { return [(piece, members)] }
        let k1 = k / 2
        // A degenerate piece (no extent) cannot be cut: it stays whole and the caller sees fewer parts.
        guard let cut = try bestCut(piece, parts: (k1, k), members: members) else { return [(piece, members)] }
        return try split(cut.below, into: k1, members: cut.belowSites)
            + split(cut.above, into: k - k1, members: cut.aboveSites)
    }

    /// Length in metres (in the frame) of a lon/lat geometry.
    func metricLength(_ g: NativeGeometry) throws -> Double {
        try NativeGeometry(frame.forward(g.value()), in: context).length()
    }

    private func bestCut(_ piece: NativeGeometry, parts: (below: Int, all: Int), members: [Int]) throws -> Cut? {
        let fraction = Double(parts.below) / Double(parts.all)
        let positions = try framePositions(piece)
        let axis = principalAngle(positions)
        let perimeter = try metricLength(piece)
        let barrierCuts = try barriers.flatMap {
            try BarrierCuts(piece: piece, barriers: $0, bisection: self, members: members)
        }
        let total = sites.isEmpty ? try piece.area() : members.reduce(0) { $0 + sites[$1].weight }
        let unit = 0.1 * total * min(fraction, 1 - fraction)
        // Within the band when balanced exactly: then both sides must stay in it.
        let band = self.band.flatMap { $0.contains(total * householdsPerWeight / Double(parts.all)) ? $0 : nil }
        var best: Cut?
        /// `optional`: a barrier cut, taken only when balanced (it must not cost the balance).
        func consider(_ made: Cut?, optional: Bool = false) throws {
            guard var cut = made else { return }
            if let barrierCuts { cut.onBarrier = try barrierCuts.metresOnBarrier(cut) }
            if band != nil && cut.belowWeight == nil && sites.isEmpty { cut.belowWeight = try cut.below.area() }
            // Connected first; then balance: a cut is balanced when it is within a tenth of the
            // smaller side's weight and keeps both sides' mean part in the band; then a clearly
            // cheaper cut, so ties go to the earlier candidate.
            func bucket(_ c: Cut) -> Double {
                var inBand = true
                if let band, let w = c.belowWeight {
                    inBand =
                        band.contains(w * householdsPerWeight / Double(parts.below))
                        && band.contains((total - w) * householdsPerWeight / Double(parts.all - parts.below))
                }
                return c.imbalance <= unit && inBand ? 0 : 1 + (c.imbalance / max(1e-300, unit)).rounded(.down)
            }
            if optional && bucket(cut) > 0 { return }
            if best == nil || (cut.connected && !best!.connected)
                || (cut.connected == best!.connected && bucket(cut) < bucket(best!))
                || (cut.connected == best!.connected && bucket(cut) == bucket(best!)
                    && cut.cost < best!.cost - 1e-9 * max(1, best!.length))
            {
                best = cut
            }
        }
        func straight(_ angle: Double) throws -> Cut? {
            sites.isEmpty
                ? try cutAt(piece, positions: positions, perimeter: perimeter, angle: angle, fraction: fraction)
                : try cutBetweenSites(piece, members: members, perimeter: perimeter, angle: angle, fraction: fraction)
        }
        // North–south and east–west cuts first (streets often run that way, and they are
        // the natural cuts of grid-aligned shapes), then the principal axis and its
        // perpendicular, which is ill-defined for square-ish shapes and so comes second.
        let main = [0, Double.pi / 2, axis, axis + .pi / 2]
        for angle in main { try consider(straight(angle)) }
        if let barrierCuts {
            for angle in main {
                for cut in try barrierCuts.cuts(angle: angle, fraction: fraction, perimeter: perimeter) {
                    try consider(cut, optional: true)
                }
            }
        }
        if best?.connected != true {
            for m in 1..<12 where m != 6 { try consider(straight(axis + Double(m) * .pi / 12)) }
        }
        guard var chosen = best else { return nil }
        if !chosen.connected { chosen = try reattachOrphans(chosen, members: members) }
        return chosen
    }

    /// A cut between sites: ordered along the direction, the sites split where the running
    /// weight comes closest to the target; the line runs midway between the two sites on
    /// either side, and any footprint it crosses goes whole to the side of its point.
    private func cutBetweenSites(
        _ piece: NativeGeometry, members: [Int], perimeter: Double, angle: Double, fraction: Double
    )
        throws -> Cut?
    {
        let n = Position(x: cos(angle), y: sin(angle))
        func along(_ p: Position) -> Double { p.x * n.x + p.y * n.y }
        let ordered = members.sorted { (along(sites[$0].framePoint), $0) < (along(sites[$1].framePoint), $1) }
        var weights = ordered.map { sites[$0].weight }
        if weights.allSatisfy({ $0 <= 0 }) { weights = weights.map { _ in 1 } }
        let total = weights.reduce(0, +)
        let target = fraction * total
        var bestCount = 1, bestError = Double.infinity, bestRunning = 0.0, running = 0.0
        for m in 1..<ordered.count {
            running += weights[m - 1]
            let error = abs(running - target)
            if error < bestError - 1e-9 {
                bestError = error
                bestCount = m
                bestRunning = running
            }
        }
        let sLow = along(sites[ordered[bestCount - 1]].framePoint), sHigh = along(sites[ordered[bestCount]].framePoint)
        guard sHigh > sLow else { return nil }  // two sites at the same position along this direction
        let t = (sLow + sHigh) / 2
        let positions = try framePositions(piece)
        var sMin = Double.infinity, uMin = Double.infinity, uMax = -Double.infinity, sMax = -Double.infinity
        for p in positions {
            let sp = along(p), u = -p.x * n.y + p.y * n.x
            sMin = min(sMin, sp)
            sMax = max(sMax, sp)
            uMin = min(uMin, u)
            uMax = max(uMax, u)
        }
        let pad = (sMax - sMin) + (uMax - uMin) + 1
        var below = try piece.intersection(
            halfPlane(normal: n, threshold: t, low: sMin - pad, across: (uMin - pad)...(uMax + pad)), gridSize: gridSize
        ).polygonalPart()
        // Footprints the line crosses go whole to the side of their point.
        var toBelow: [NativeGeometry] = [], toAbove: [NativeGeometry] = []
        for (rank, i) in ordered.enumerated() {
            guard let footprint = sites[i].footprint else { continue }
            let extent = sites[i].frameRings.joined().map(along)
            guard let lo = extent.min(), let hi = extent.max(), lo < t, hi > t else { continue }
            if rank < bestCount { toBelow.append(footprint) } else { toAbove.append(footprint) }
        }
        if !toBelow.isEmpty {
            below = try NativeGeometry.unionAll([below] + toBelow, gridSize: gridSize, in: context).polygonalPart()
        }
        if !toAbove.isEmpty {
            let moved = try NativeGeometry.unionAll(toAbove, gridSize: gridSize, in: context)
            below = try below.difference(moved, gridSize: gridSize).polygonalPart()
        }
        let above = try piece.difference(below, gridSize: gridSize).polygonalPart()
        let length = (try metricLength(below) + metricLength(above) - perimeter) / 2
        let connected = try components(below).count == 1 && components(above).count == 1
        return Cut(
            below: below, above: above, length: length, connected: connected,
            belowSites: Array(ordered[..<bestCount]), aboveSites: Array(ordered[bestCount...]), imbalance: bestError,
            belowWeight: bestRunning)
    }

    /// Which of `members` lie in `part` (by their inside point).
    func sitesIn(_ part: NativeGeometry, _ members: [Int]) throws -> [Int] {
        try members.filter { try part.covers(sites[$0].point) }
    }

    func framePositions(_ piece: NativeGeometry) throws -> [Position] {
        var out: [Position] = []
        try piece.value().forEachPosition { out.append(frame.forward($0)) }
        return out
    }

    /// Direction of the longest extent: the principal axis of the vertex cloud.
    private func principalAngle(_ ps: [Position]) -> Double {
        let n = Double(ps.count)
        let mx = ps.reduce(0) { $0 + $1.x } / n, my = ps.reduce(0) { $0 + $1.y } / n
        var sxx = 0.0, syy = 0.0, sxy = 0.0
        for p in ps {
            let dx = p.x - mx, dy = p.y - my
            sxx += dx * dx
            syy += dy * dy
            sxy += dx * dy
        }
        return 0.5 * atan2(2 * sxy, sxx - syy)
    }

    /// The half-plane {p : p·n ≤ t} (frame coordinates), as a lon/lat polygon large enough to
    /// cover the piece across.
    func halfPlane(
        normal n: Position, threshold t: Double, low: Double, across: ClosedRange<Double>
    ) throws -> NativeGeometry {
        let m = Position(x: -n.y, y: n.x)
        func point(_ s: Double, _ u: Double) -> Position {
            frame.inverse(Position(x: s * n.x + u * m.x, y: s * n.y + u * m.y))
        }
        let ring = [
            point(low, across.lowerBound), point(t, across.lowerBound), point(t, across.upperBound),
            point(low, across.upperBound), point(low, across.lowerBound),
        ]
        return try NativeGeometry(.polygon([ring]), in: context)
    }

    func cutAt(
        _ piece: NativeGeometry, positions: [Position], perimeter: Double, angle: Double, fraction: Double
    )
        throws -> Cut?
    {
        let n = Position(x: cos(angle), y: sin(angle))
        var sMin = Double.infinity, sMax = -Double.infinity, uMin = Double.infinity, uMax = -Double.infinity
        for p in positions {
            let s = p.x * n.x + p.y * n.y, u = -p.x * n.y + p.y * n.x
            sMin = min(sMin, s)
            sMax = max(sMax, s)
            uMin = min(uMin, u)
            uMax = max(uMax, u)
        }
        guard sMax > sMin else { return nil }
        let total = try piece.area()
        let target = fraction * total
        let pad = (sMax - sMin) + (uMax - uMin) + 1
        let across = (uMin - pad)...(uMax + pad)
        func below(_ t: Double) throws -> NativeGeometry {
            try piece.intersection(
                halfPlane(normal: n, threshold: t, low: sMin - pad, across: across), gridSize: gridSize
            ).polygonalPart()
        }
        // Illinois regula falsi on g(t) = area(below t) − target, increasing in t.
        var a = sMin, ga = -target, b = sMax, gb = total - target
        var side = 0
        var t = a + (b - a) * fraction
        var part = try below(t)
        for _ in 0..<60 {
            let g = try part.area() - target
            if abs(g) <= 1e-7 * total { break }
            if g < 0 {
                a = t
                ga = g
                if side == -1 { gb /= 2 }
                side = -1
            } else {
                b = t
                gb = g
                if side == 1 { ga /= 2 }
                side = 1
            }
            t = b - gb * (b - a) / (gb - ga)
            if !(t > a && t < b) { t = (a + b) / 2 }
            part = try below(t)
        }
        let rest = try piece.difference(part, gridSize: gridSize).polygonalPart()
        let length = (try metricLength(part) + metricLength(rest) - perimeter) / 2
        let connected = try components(part).count == 1 && components(rest).count == 1
        return Cut(below: part, above: rest, length: length, connected: connected)
    }

    /// Polygonal members with area, largest first.
    func components(_ g: NativeGeometry) throws -> [NativeGeometry] {
        let count = try g.memberCount()
        var parts: [(NativeGeometry, Double)] = []
        for i in 0..<count {
            let member = try g.member(i)
            let area = try member.area()
            if area > 0 { parts.append((member, area)) }
        }
        return parts.sorted { $0.1 > $1.1 }.map(\.0)
    }

    /// Gives the smaller pieces of each side to the other side, which they border along the cut.
    private func reattachOrphans(_ cut: Cut, members: [Int]) throws -> Cut {
        var below = cut.below, above = cut.above
        for _ in 0..<4 {
            let lower = try components(below), upper = try components(above)
            if lower.count <= 1 && upper.count <= 1 { break }
            guard let mainBelow = lower.first, let mainAbove = upper.first else { break }
            below = try NativeGeometry.unionAll([mainBelow] + upper.dropFirst(), gridSize: gridSize, in: context)
                .polygonalPart()
            above = try NativeGeometry.unionAll([mainAbove] + lower.dropFirst(), gridSize: gridSize, in: context)
                .polygonalPart()
        }
        let connected = try components(below).count == 1 && components(above).count == 1
        // Whole components moved, so no footprint was split; re-read which side holds each site.
        let belowSites = sites.isEmpty ? [] : try sitesIn(below, members)
        let aboveSites = members.filter { !belowSites.contains($0) }
        return Cut(
            below: below, above: above, length: cut.length, connected: connected,
            belowSites: belowSites, aboveSites: aboveSites, imbalance: cut.imbalance)
    }
}
