/// Tolerances of the check.
public struct CheckOptions: Sendable {
    /// Overlaps, gaps and parts outside a parent smaller than this many m² are ignored
    /// (digitising noise along shared boundaries).
    public var areaTolerance: Double
    /// Skip the gap rule (e.g. for units known to cover only part of their parent).
    public var checkGaps: Bool
    /// Repair invalid unit boundaries and building footprints (GEOS make-valid) before the
    /// rules run, reporting each repair as a warning, instead of refusing them.
    public var repair: Bool

    public init(areaTolerance: Double = 1.0, checkGaps: Bool = true, repair: Bool = false) {
        self.areaTolerance = areaTolerance
        self.checkGaps = checkGaps
        self.repair = repair
    }
}
