import Foundation
import GridPlanGeometryValues

/// An affine frame of lon/lat around a unit: x = Δlon·cos φ₀·111,320 m, y = Δlat·110,574 m.
/// Being affine, it maps straight lon/lat edges (RFC 7946) to straight lines and back, so
/// cut vertices land exactly on the unit's own edges; within a unit (a few km) it is metric
/// to better than 0.1 %, enough for balancing, compactness and cut lengths. Reported areas
/// come from the equal-area projection instead.
struct LocalFrame: Sendable {
    let origin: Position
    let scaleX: Double
    let scaleY: Double

    init(around box: BoundingBox) {
        origin = box.center
        scaleX = Degrees.metresOfLongitude(atLatitude: origin.y)
        scaleY = Degrees.metresOfLatitude
    }

    func forward(_ p: Position) -> Position {
        Position(x: (p.x - origin.x) * scaleX, y: (p.y - origin.y) * scaleY)
    }

    func inverse(_ p: Position) -> Position {
        Position(x: p.x / scaleX + origin.x, y: p.y / scaleY + origin.y)
    }

    func forward(_ g: Geometry) -> Geometry { g.mapPositions(forward) }
    func inverse(_ g: Geometry) -> Geometry { g.mapPositions(inverse) }
}
