import Foundation

/// Metres per degree on the WGS 84 ellipsoid near the surface, for local frames, search boxes
/// and cells (not for reported lengths and areas, which come from PROJ): one home, so that
/// every flat-earth shortcut uses the same figures.
public enum Degrees {
    /// Metres per degree of latitude (the mean over the latitudes China spans; 110,574 m at
    /// the equator, 111,694 m at the poles).
    public static let metresOfLatitude = 110_574.0
    /// Metres per degree of longitude at the equator.
    public static let metresOfLongitudeAtEquator = 111_320.0

    /// Metres per degree of longitude at `latitude` (degrees).
    public static func metresOfLongitude(atLatitude latitude: Double) -> Double {
        cos(latitude * .pi / 180) * metresOfLongitudeAtEquator
    }
}
