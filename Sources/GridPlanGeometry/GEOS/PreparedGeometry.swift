import CGEOS
import GridPlanGeometryValues

/// A geometry prepared for many predicate tests against it (GEOSPrepare_r): indexes its
/// edges once, so testing thousands of small footprints against one unit is fast. Holds its
/// source geometry alive, as GEOS requires; not `Sendable`.
public final class PreparedGeometry {
    public let geometry: NativeGeometry
    private let pointer: OpaquePointer

    public init(_ geometry: NativeGeometry) throws {
        // GEOSPrepare_r returns NULL on exception.
        guard let prepared = GEOSPrepare_r(geometry.context.handle, geometry.pointer) else {
            throw geometry.context.failure("GEOSPrepare_r")
        }
        self.geometry = geometry
        self.pointer = prepared
    }

    deinit {
        GEOSPreparedGeom_destroy_r(geometry.context.handle, pointer)
    }

    /// Whether `other` lies inside, boundary included.
    public func covers(_ other: NativeGeometry) throws -> Bool {
        // GEOSPreparedCovers_r returns 2 on exception.
        try geometry.predicate(
            "GEOSPreparedCovers_r", GEOSPreparedCovers_r(geometry.context.handle, pointer, other.pointer))
    }

    /// Whether `other` meets it (boundary included).
    public func intersects(_ other: NativeGeometry) throws -> Bool {
        // GEOSPreparedIntersects_r returns 2 on exception.
        try geometry.predicate(
            "GEOSPreparedIntersects_r", GEOSPreparedIntersects_r(geometry.context.handle, pointer, other.pointer))
    }

    /// Whether `other` lies in the interior.
    public func containsProperly(_ other: NativeGeometry) throws -> Bool {
        // GEOSPreparedContainsProperly_r returns 2 on exception.
        try geometry.predicate(
            "GEOSPreparedContainsProperly_r",
            GEOSPreparedContainsProperly_r(geometry.context.handle, pointer, other.pointer))
    }
}
