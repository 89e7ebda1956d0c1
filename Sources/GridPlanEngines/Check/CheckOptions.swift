/// Tolerances of the check.
public struct CheckOptions: Sendable {
    /// Overlaps, gaps and parts outside a parent smaller than this many m² are ignored
    /// (digitising noise along shared boundaries).
    public var areaTolerance: Double
    /// Skip the gap rule (e.g. for units known to cover only part of their parent).
    public var checkGaps: Bool

    public init(areaTolerance: Double = 1.0, checkGaps: Bool = true) {
        self.areaTolerance = areaTolerance
        self.checkGaps = checkGaps
    }
}
