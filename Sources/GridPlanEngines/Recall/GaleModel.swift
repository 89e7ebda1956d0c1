import Foundation
import GridPlanGeometry
import GridPlanGeometryValues
import GridPlanModel

/// Where gale-force winds blow at a given time, estimated from a best track that gives only
/// the centre and the maximum sustained wind: a symmetric modified Rankine vortex
/// V(r) = Vmax·(Rmax/r)^x beyond the radius of maximum wind, with Rmax from the Willoughby,
/// Darling & Rahn (2006) regression on Vmax and latitude. The gale radius is where V falls
/// to the gale threshold: R = Rmax·(Vmax/Vgale)^(1/x). Fixes are interpolated linearly in
/// time; before the first fix and after the last there is no storm (the track says nothing).
/// An assumption (K), flagged as such in the rules: the storm's forward motion, which makes
/// the right-hand side windier, and land friction are not modelled.
public struct GaleModel: Sendable {
    public let track: TyphoonTrack
    public let galeKnots: Double
    public let exponent: Double

    public init(track: TyphoonTrack, galeKnots: Double, exponent: Double) {
        self.track = track
        self.galeKnots = galeKnots
        self.exponent = exponent
    }

    /// Radius of gale-force winds, metres, for a maximum wind (knots) at a latitude; 0 when
    /// the storm itself is below gale force.
    public static func galeRadiusMetres(
        windKnots: Double, latitude: Double, galeKnots: Double, exponent: Double
    ) -> Double {
        guard windKnots > galeKnots else { return 0 }
        let vmax = windKnots * 0.514444  // m/s
        let rmaxKm = 46.4 * exp(-0.0155 * vmax + 0.0169 * abs(latitude))
        return rmaxKm * 1_000 * pow(windKnots / galeKnots, 1 / exponent)
    }

    /// The storm's centre and gale radius at `time`, or nil outside the track.
    public func state(at time: Date) -> (centre: Position, galeRadius: Double)? {
        let fixes = track.fixes
        guard let first = fixes.first, let last = fixes.last, time >= first.time, time <= last.time else { return nil }
        // The last fix at or before `time` (fixes are few: a binary search keeps this cheap in loops).
        var low = 0, high = fixes.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if fixes[mid].time <= time { low = mid } else { high = mid - 1 }
        }
        let a = fixes[low], b = fixes[min(low + 1, fixes.count - 1)]
        let span = b.time.timeIntervalSince(a.time)
        let f = span > 0 ? time.timeIntervalSince(a.time) / span : 0
        let centre = Position(
            x: a.centre.x + (b.centre.x - a.centre.x) * f, y: a.centre.y + (b.centre.y - a.centre.y) * f)
        let wind: Double
        switch (a.windKnots, b.windKnots) {
        case (let wa?, let wb?): wind = wa + (wb - wa) * f
        case (let w?, nil), (nil, let w?): wind = w
        case (nil, nil): wind = 0
        }
        return (
            centre, Self.galeRadiusMetres(windKnots: wind, latitude: centre.y, galeKnots: galeKnots, exponent: exponent)
        )
    }

    public func hasGale(at p: Position, time: Date) -> Bool {
        guard let s = state(at: time), s.galeRadius > 0 else { return false }
        return greatCircleMetres(p, s.centre) <= s.galeRadius
    }

    /// The first time from `start` to the end of the track, in `step` seconds, that gales
    /// reach `p`; nil when they never do.
    public func galeArrival(at p: Position, from start: Date, step: TimeInterval = 600) -> Date? {
        guard let end = track.fixes.last?.time else { return nil }
        var t = max(start, track.fixes[0].time)
        while t <= end {
            if hasGale(at: p, time: t) { return t }
            t += step
        }
        return nil
    }

    /// The last time in the track.
    public var end: Date? { track.fixes.last?.time }
}

/// A route as a polyline with cumulative distances on the WGS84 ellipsoid, to find where a
/// vessel is at a time.
struct Voyage: Sendable {
    let points: [Position]
    let cumulative: [Double]
    let speed: Double  // m/s

    init(points: [Position], speedKnots: Double) {
        self.points = points
        var c = [0.0]
        for k in 1..<max(1, points.count) { c.append(c[k - 1] + Geodesic.metres(points[k - 1], points[k])) }
        cumulative = c
        speed = speedKnots * 1852 / 3600
    }

    var metres: Double { cumulative.last ?? 0 }
    /// The first and last legs (from the vessel to open water, and from open water into the
    /// port); the rest is the open-water part.
    var approachMetres: Double {
        guard points.count >= 3 else { return metres }
        return cumulative[1] + (cumulative[cumulative.count - 1] - cumulative[cumulative.count - 2])
    }
    var seconds: TimeInterval { metres / speed }

    func position(atMetres s: Double) -> Position {
        guard points.count > 1 else { return points[0] }
        if s <= 0 { return points[0] }
        if s >= metres { return points[points.count - 1] }
        var low = 0, high = cumulative.count - 1
        while high - low > 1 {
            let mid = (low + high) / 2
            if cumulative[mid] <= s { low = mid } else { high = mid }
        }
        let span = cumulative[high] - cumulative[low]
        let f = span > 0 ? (s - cumulative[low]) / span : 0
        let a = points[low], b = points[high]
        return Position(x: a.x + (b.x - a.x) * f, y: a.y + (b.y - a.y) * f)
    }

    /// True when a vessel that waits at its position until `departure` and then sails the
    /// route is never inside the gale radius, checked every `step` seconds of waiting and of
    /// sailing and on arrival.
    func isSafe(departing departure: Date, waitingFrom now: Date, gale: GaleModel, step: TimeInterval = 600) -> Bool {
        var t = now
        while t < departure {
            if gale.hasGale(at: points[0], time: t) { return false }
            t += step
        }
        var elapsed = 0.0
        while elapsed < seconds {
            if gale.hasGale(at: position(atMetres: elapsed * speed), time: departure + elapsed) { return false }
            elapsed += step
        }
        return !gale.hasGale(at: points[points.count - 1], time: departure + seconds)
    }

    /// The latest departure, from `now` on, after which the vessel still reaches port before
    /// gales catch it: `.none` when even leaving now is unsafe, `.unbounded` when gales never
    /// reach it within the track. Hourly scan, then 10-minute refinement (assumes that once
    /// a departure is too late, later ones are too, which holds for an approaching storm).
    func latestDeparture(now: Date, gale: GaleModel) -> Departure {
        guard isSafe(departing: now, waitingFrom: now, gale: gale) else { return .none }
        guard let end = gale.end, end > now else { return .unbounded }
        var good = now
        while good + 3_600 <= end, isSafe(departing: good + 3_600, waitingFrom: now, gale: gale) { good += 3_600 }
        if good + 3_600 > end {
            return isSafe(departing: end, waitingFrom: now, gale: gale)
                ? .unbounded : refine(good, now: now, gale: gale)
        }
        return refine(good, now: now, gale: gale)
    }

    private func refine(_ good: Date, now: Date, gale: GaleModel) -> Departure {
        var best = good
        var t = good + 600
        while t < good + 3_600, isSafe(departing: t, waitingFrom: now, gale: gale) {
            best = t
            t += 600
        }
        return .at(best)
    }

    enum Departure: Equatable {
        case none
        case at(Date)
        case unbounded
    }
}
