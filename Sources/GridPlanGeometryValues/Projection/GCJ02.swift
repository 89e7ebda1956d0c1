import Foundation

/// GCJ-02, the obfuscated datum of Chinese map platforms (Amap, Tencent, DataV), which PROJ
/// does not know. Implements the public offset formula (Krasovsky ellipsoid constants,
/// polynomial-plus-sine offset) and its inverse by fixed-point iteration. Outside mainland
/// China's rough box no offset is applied, as the platforms do.
public enum GCJ02 {
    private static let semiMajorAxis = 6_378_245.0
    private static let eccentricitySquared = 0.006_693_421_622_965_943_23

    /// True where the platforms apply the offset (a coarse box around mainland China).
    public static func isOffsetApplied(_ p: Position) -> Bool {
        p.x >= 72.004 && p.x <= 137.8347 && p.y >= 0.8293 && p.y <= 55.8271
    }

    private static func latitudeOffset(_ x: Double, _ y: Double) -> Double {
        var r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * sqrt(abs(x))
        r += (20.0 * sin(6.0 * x * .pi) + 20.0 * sin(2.0 * x * .pi)) * 2.0 / 3.0
        r += (20.0 * sin(y * .pi) + 40.0 * sin(y / 3.0 * .pi)) * 2.0 / 3.0
        r += (160.0 * sin(y / 12.0 * .pi) + 320.0 * sin(y * .pi / 30.0)) * 2.0 / 3.0
        return r
    }

    private static func longitudeOffset(_ x: Double, _ y: Double) -> Double {
        var r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * sqrt(abs(x))
        r += (20.0 * sin(6.0 * x * .pi) + 20.0 * sin(2.0 * x * .pi)) * 2.0 / 3.0
        r += (20.0 * sin(x * .pi) + 40.0 * sin(x / 3.0 * .pi)) * 2.0 / 3.0
        r += (150.0 * sin(x / 12.0 * .pi) + 300.0 * sin(x / 30.0 * .pi)) * 2.0 / 3.0
        return r
    }

    /// The (Δlon, Δlat) in degrees that GCJ-02 adds to a WGS84 position.
    static func offset(_ wgs: Position) -> (dx: Double, dy: Double) {
        let x = wgs.x - 105.0, y = wgs.y - 35.0
        var dLat = latitudeOffset(x, y)
        var dLon = longitudeOffset(x, y)
        let radLat = wgs.y / 180.0 * .pi
        var magic = sin(radLat)
        magic = 1 - eccentricitySquared * magic * magic
        let sqrtMagic = sqrt(magic)
        dLat = (dLat * 180.0) / ((semiMajorAxis * (1 - eccentricitySquared)) / (magic * sqrtMagic) * .pi)
        dLon = (dLon * 180.0) / (semiMajorAxis / sqrtMagic * cos(radLat) * .pi)
        return (dLon, dLat)
    }

    /// WGS84 → GCJ-02.
    public static func fromWGS84(_ wgs: Position) -> Position {
        guard isOffsetApplied(wgs) else { return wgs }
        let d = offset(wgs)
        return Position(x: wgs.x + d.dx, y: wgs.y + d.dy)
    }

    /// GCJ-02 → WGS84 by iterating w ← g − offset(w) until the forward image of w matches g
    /// within 1e-9° (the offset varies slowly, so this converges in a handful of steps).
    public static func toWGS84(_ gcj: Position) -> Position {
        guard isOffsetApplied(gcj) else { return gcj }
        var wgs = gcj
        for _ in 0..<30 {
            let forward = fromWGS84(wgs)
            let ex = forward.x - gcj.x, ey = forward.y - gcj.y
            if abs(ex) < 1e-9 && abs(ey) < 1e-9 { break }
            wgs = Position(x: wgs.x - ex, y: wgs.y - ey)
        }
        return wgs
    }
}
