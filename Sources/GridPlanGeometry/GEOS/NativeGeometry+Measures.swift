import CGEOS
import GridPlanGeometryValues

extension NativeGeometry {
    /// Planar area in the units of the coordinates squared. For m², project first
    /// (see ``LocalProjection``); never call this on degrees.
    public func area() throws -> Double {
        var result = 0.0
        // GEOSArea_r returns 0 on exception.
        guard GEOSArea_r(context.handle, pointer, &result) != 0 else { throw context.failure("GEOSArea_r") }
        return result
    }

    /// Planar length (perimeter for polygons) in coordinate units.
    public func length() throws -> Double {
        var result = 0.0
        // GEOSLength_r returns 0 on exception.
        guard GEOSLength_r(context.handle, pointer, &result) != 0 else { throw context.failure("GEOSLength_r") }
        return result
    }

    /// Minimum planar distance to `other`, in coordinate units.
    public func distance(to other: NativeGeometry) throws -> Double {
        var result = 0.0
        // GEOSDistance_r returns 0 on exception.
        guard GEOSDistance_r(context.handle, pointer, other.pointer, &result) != 0 else {
            throw context.failure("GEOSDistance_r")
        }
        return result
    }

    public func isEmpty() throws -> Bool {
        try predicate("GEOSisEmpty_r", GEOSisEmpty_r(context.handle, pointer))
    }

    /// Number of coordinates.
    public func coordinateCount() throws -> Int {
        // GEOSGetNumCoordinates_r returns -1 on exception.
        let n = GEOSGetNumCoordinates_r(context.handle, pointer)
        guard n >= 0 else { throw context.failure("GEOSGetNumCoordinates_r") }
        return Int(n)
    }

    /// Number of member geometries (1 for a single geometry).
    public func memberCount() throws -> Int {
        // GEOSGetNumGeometries_r returns -1 on exception.
        let n = GEOSGetNumGeometries_r(context.handle, pointer)
        guard n >= 0 else { throw context.failure("GEOSGetNumGeometries_r") }
        return Int(n)
    }

    /// A copy of member `index` (for collections), owned by the caller.
    public func member(_ index: Int) throws -> NativeGeometry {
        // GEOSGetGeometryN_r returns a borrowed pointer, NULL on exception; GEOSGeom_clone_r
        // returns NULL on exception.
        guard let borrowed = GEOSGetGeometryN_r(context.handle, pointer, Int32(index)) else {
            throw context.failure("GEOSGetGeometryN_r")
        }
        return try NativeGeometry.wrap(GEOSGeom_clone_r(context.handle, borrowed), context, "GEOSGeom_clone_r")
    }

    /// The bounding box, nil when empty.
    public func boundingBox() throws -> BoundingBox? {
        if try isEmpty() { return nil }
        var box = BoundingBox(minX: 0, minY: 0, maxX: 0, maxY: 0)
        // GEOSGeom_get{X,Y}{Min,Max}_r return 0 on exception.
        guard GEOSGeom_getXMin_r(context.handle, pointer, &box.minX) != 0,
            GEOSGeom_getYMin_r(context.handle, pointer, &box.minY) != 0,
            GEOSGeom_getXMax_r(context.handle, pointer, &box.maxX) != 0,
            GEOSGeom_getYMax_r(context.handle, pointer, &box.maxY) != 0
        else { throw context.failure("GEOSGeom_getXMin_r") }
        return box
    }

    // MARK: predicates

    /// Maps GEOS's char predicate convention (1 true, 0 false, 2 exception).
    func predicate(_ function: String, _ result: CChar) throws -> Bool {
        switch result {
        case 1: return true
        case 0: return false
        default: throw context.failure(function)
        }
    }

    public func intersects(_ other: NativeGeometry) throws -> Bool {
        // GEOSIntersects_r returns 2 on exception.
        try predicate("GEOSIntersects_r", GEOSIntersects_r(context.handle, pointer, other.pointer))
    }

    /// Whether the interiors meet (DE-9IM `T********`): two footprints that overlap, not two
    /// that only share a wall. A predicate, so no overlay is computed.
    public func interiorsIntersect(_ other: NativeGeometry) throws -> Bool {
        // GEOSRelatePattern_r returns 2 on exception.
        try predicate("GEOSRelatePattern_r", GEOSRelatePattern_r(context.handle, pointer, other.pointer, "T********"))
    }

    public func contains(_ other: NativeGeometry) throws -> Bool {
        // GEOSContains_r returns 2 on exception.
        try predicate("GEOSContains_r", GEOSContains_r(context.handle, pointer, other.pointer))
    }

    public func covers(_ other: NativeGeometry) throws -> Bool {
        // GEOSCovers_r returns 2 on exception.
        try predicate("GEOSCovers_r", GEOSCovers_r(context.handle, pointer, other.pointer))
    }

    /// Exact structural equality within `tolerance` per coordinate.
    public func equalsExact(_ other: NativeGeometry, tolerance: Double = 0) throws -> Bool {
        // GEOSEqualsExact_r returns 2 on exception.
        try predicate("GEOSEqualsExact_r", GEOSEqualsExact_r(context.handle, pointer, other.pointer, tolerance))
    }

    /// Topological equality (same point set).
    public func equalsTopologically(_ other: NativeGeometry) throws -> Bool {
        // GEOSEquals_r returns 2 on exception.
        try predicate("GEOSEquals_r", GEOSEquals_r(context.handle, pointer, other.pointer))
    }
}
