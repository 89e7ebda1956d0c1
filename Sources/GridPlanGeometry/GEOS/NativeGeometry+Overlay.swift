import CGEOS

extension NativeGeometry {
    // Every function here returns a new geometry owned by the caller; GEOS returns NULL on
    // exception, which `wrap` turns into the collected error.

    public func union(_ other: NativeGeometry) throws -> NativeGeometry {
        try .wrap(GEOSUnion_r(context.handle, pointer, other.pointer), context, "GEOSUnion_r")
    }

    /// Union of all members (dissolve).
    public func unaryUnion() throws -> NativeGeometry {
        try .wrap(GEOSUnaryUnion_r(context.handle, pointer), context, "GEOSUnaryUnion_r")
    }

    public func intersection(_ other: NativeGeometry) throws -> NativeGeometry {
        try .wrap(GEOSIntersection_r(context.handle, pointer, other.pointer), context, "GEOSIntersection_r")
    }

    public func difference(_ other: NativeGeometry) throws -> NativeGeometry {
        try .wrap(GEOSDifference_r(context.handle, pointer, other.pointer), context, "GEOSDifference_r")
    }

    public func centroid() throws -> NativeGeometry {
        try .wrap(GEOSGetCentroid_r(context.handle, pointer), context, "GEOSGetCentroid_r")
    }

    /// A point guaranteed to lie inside the geometry (unlike the centroid of a C shape).
    public func pointOnSurface() throws -> NativeGeometry {
        try .wrap(GEOSPointOnSurface_r(context.handle, pointer), context, "GEOSPointOnSurface_r")
    }

    /// Buffer by `distance` coordinate units with `quadrantSegments` segments per quarter circle.
    public func buffer(_ distance: Double, quadrantSegments: Int32 = 8) throws -> NativeGeometry {
        try .wrap(GEOSBuffer_r(context.handle, pointer, distance, quadrantSegments), context, "GEOSBuffer_r")
    }

    /// Douglas–Peucker simplification that keeps topology valid.
    public func simplifyPreservingTopology(tolerance: Double) throws -> NativeGeometry {
        try .wrap(
            GEOSTopologyPreserveSimplify_r(context.handle, pointer, tolerance), context,
            "GEOSTopologyPreserveSimplify_r")
    }

    /// The boundary (rings of polygons as lines).
    public func boundary() throws -> NativeGeometry {
        try .wrap(GEOSBoundary_r(context.handle, pointer), context, "GEOSBoundary_r")
    }

    /// Voronoi cells of this geometry's vertices. `envelope` extends the diagram (cells are
    /// not clipped to it); `tolerance` snaps nearby sites; `onlyEdges` returns the edges.
    public func voronoiDiagram(envelope: NativeGeometry? = nil, tolerance: Double = 0, onlyEdges: Bool = false) throws
        -> NativeGeometry
    {
        try .wrap(
            GEOSVoronoiDiagram_r(context.handle, pointer, envelope?.pointer, tolerance, onlyEdges ? 1 : 0),
            context, "GEOSVoronoiDiagram_r")
    }

    /// A copy in GEOS normal form (sorted rings and members), for stable comparisons.
    public func normalized() throws -> NativeGeometry {
        let copy = try NativeGeometry.wrap(GEOSGeom_clone_r(context.handle, pointer), context, "GEOSGeom_clone_r")
        // GEOSNormalize_r returns -1 on exception.
        guard GEOSNormalize_r(context.handle, copy.pointer) != -1 else { throw context.failure("GEOSNormalize_r") }
        return copy
    }

    /// Union of many geometries in one call (cascaded), e.g. grid cells into a grid.
    public static func unionAll(_ geometries: [NativeGeometry], in context: GEOSContext) throws -> NativeGeometry {
        let collection = try collect(geometries, in: context)
        return try collection.unaryUnion()
    }

    /// A GeometryCollection holding clones of `geometries`.
    public static func collect(_ geometries: [NativeGeometry], in context: GEOSContext) throws -> NativeGeometry {
        var clones: [OpaquePointer?] = []
        clones.reserveCapacity(geometries.count)
        for g in geometries {
            // GEOSGeom_clone_r returns NULL on exception.
            guard let clone = GEOSGeom_clone_r(context.handle, g.pointer) else {
                for c in clones { GEOSGeom_destroy_r(context.handle, c) }
                throw context.failure("GEOSGeom_clone_r")
            }
            clones.append(clone)
        }
        // GEOSGeom_createCollection_r takes ownership of the clones; returns NULL on exception.
        let made = clones.withUnsafeMutableBufferPointer { buffer in
            GEOSGeom_createCollection_r(
                context.handle, Int32(GEOS_GEOMETRYCOLLECTION.rawValue), buffer.baseAddress, UInt32(buffer.count))
        }
        return try .wrap(made, context, "GEOSGeom_createCollection_r")
    }
}

extension NativeGeometry {
    /// Inserts vertices so no segment is longer than `maxSegmentLength` (coordinate units),
    /// so a lon/lat edge keeps its course when projected.
    public func densified(maxSegmentLength: Double) throws -> NativeGeometry {
        try .wrap(GEOSDensify_r(context.handle, pointer, maxSegmentLength), context, "GEOSDensify_r")
    }
}
