/// The metric CRS in which GridPlan measures: a Lambert azimuthal equal-area projection on
/// the WGS84 ellipsoid centred on the data. Areas are exact (equal-area); within a city
/// (≤ ~200 km from the centre) distances and shapes are distorted by well under 1%.
/// Every area and distance GridPlan reports is measured here, never in degrees.
public struct LocalProjection: Sendable, Hashable, CustomStringConvertible {
    public let centre: Position

    public init(centre: Position) {
        // Rounded so the same data always gives the same CRS definition text.
        self.centre = Position(x: (centre.x * 1000).rounded() / 1000, y: (centre.y * 1000).rounded() / 1000)
    }

    /// Centred on the middle of `box` (lon/lat).
    public init(around box: BoundingBox) {
        self.init(centre: box.center)
    }

    /// The PROJ definition.
    public var definition: String {
        "+proj=laea +lat_0=\(centre.y) +lon_0=\(centre.x) +x_0=0 +y_0=0 +ellps=WGS84 +units=m +no_defs +type=crs"
    }

    public var description: String {
        "Lambert azimuthal equal-area centred at \(centre.x)°E \(centre.y)°N (WGS84 ellipsoid, metres)"
    }
}
