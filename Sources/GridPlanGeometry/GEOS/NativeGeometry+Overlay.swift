import CGEOS
import GridPlanGeometryValues

extension NativeGeometry {
    // Every function here returns a new geometry owned by the caller; GEOS returns NULL on
    // exception, which `wrap` (or `robust`) turns into the collected error.

    public func union(_ other: NativeGeometry) throws -> NativeGeometry {
        try robust(
            { GEOSUnion_r(context.handle, pointer, other.pointer) },
            { GEOSUnionPrec_r(context.handle, pointer, other.pointer, $0) }, "GEOSUnion_r")
    }

    /// Grid size of the snap-rounding retry: 1e-10 coordinate units (about 10 µm in degrees).
    static let fallbackGridSize = 1e-10

    /// Runs a floating-precision overlay; if GEOS cannot node it (a TopologyException on
    /// nearly coincident edges), retries once with snap-rounding on a tiny fixed grid, which
    /// always nodes. Both failures are reported when the retry fails too.
    private func robust(
        _ floating: () -> OpaquePointer?, _ snapped: (Double) -> OpaquePointer?, _ function: String
    ) throws
        -> NativeGeometry
    {
        if let result = floating() { return NativeGeometry(owning: result, in: context) }
        let first = context.failure(function)
        // The *Prec_r variants return NULL on exception too.
        if let result = snapped(Self.fallbackGridSize) { return NativeGeometry(owning: result, in: context) }
        let second = context.failure(function.replacingOccurrences(of: "_r", with: "Prec_r"))
        guard case .geos(_, let a) = first, case .geos(let f, let b) = second else { throw second }
        throw GeometryLibraryError.geos(function: f, messages: a + b)
    }

    /// Union of all members (dissolve).
    public func unaryUnion() throws -> NativeGeometry {
        try robust(
            { GEOSUnaryUnion_r(context.handle, pointer) },
            { GEOSUnaryUnionPrec_r(context.handle, pointer, $0) }, "GEOSUnaryUnion_r")
    }

    public func intersection(_ other: NativeGeometry) throws -> NativeGeometry {
        try robust(
            { GEOSIntersection_r(context.handle, pointer, other.pointer) },
            { GEOSIntersectionPrec_r(context.handle, pointer, other.pointer, $0) }, "GEOSIntersection_r")
    }

    public func difference(_ other: NativeGeometry) throws -> NativeGeometry {
        try robust(
            { GEOSDifference_r(context.handle, pointer, other.pointer) },
            { GEOSDifferencePrec_r(context.handle, pointer, other.pointer, $0) }, "GEOSDifference_r")
    }

    public func centroid() throws -> NativeGeometry {
        try .wrap(GEOSGetCentroid_r(context.handle, pointer), context, "GEOSGetCentroid_r")
    }

    /// A point guaranteed to lie inside the geometry (unlike the centroid of a C shape).
    public func pointOnSurface() throws -> NativeGeometry {
        try .wrap(GEOSPointOnSurface_r(context.handle, pointer), context, "GEOSPointOnSurface_r")
    }

    /// A point inside the geometry (``pointOnSurface()``), or nil when the geometry is empty:
    /// the one way to ask, so that every caller decides what an empty geometry means.
    public func interiorPoint() throws -> Position? {
        guard case .point(let p) = try pointOnSurface().value() else { return nil }
        return p
    }

    /// The centroid (``centroid()``), or nil when the geometry is empty.
    public func centroidPoint() throws -> Position? {
        guard case .point(let p) = try centroid().value() else { return nil }
        return p
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
    public func voronoiDiagram(
        envelope: NativeGeometry? = nil, tolerance: Double = 0, onlyEdges: Bool = false
    ) throws
        -> NativeGeometry
    {
        try .wrap(
            GEOSVoronoiDiagram_r(context.handle, pointer, envelope?.pointer, tolerance, onlyEdges ? 1 : 0),
            context, "GEOSVoronoiDiagram_r")
    }

    /// The Delaunay triangulation of this geometry's vertices, as a collection of triangles
    /// (empty when the vertices are fewer than three or all on one line).
    public func delaunayTriangles() throws -> NativeGeometry {
        try .wrap(GEOSDelaunayTriangulation_r(context.handle, pointer, 0, 0), context, "GEOSDelaunayTriangulation_r")
    }

    /// A copy in GEOS normal form (sorted rings and members), for stable comparisons.
    public func normalized() throws -> NativeGeometry {
        let copy = try NativeGeometry.wrap(GEOSGeom_clone_r(context.handle, pointer), context, "GEOSGeom_clone_r")
        // GEOSNormalize_r returns -1 on exception.
        guard GEOSNormalize_r(context.handle, copy.pointer) != -1 else { throw context.failure("GEOSNormalize_r") }
        return copy
    }

    /// A copy owned by `context`: what another thread (with its own context) works on.
    public func cloned(in context: GEOSContext) throws -> NativeGeometry {
        try NativeGeometry.wrap(GEOSGeom_clone_r(context.handle, pointer), context, "GEOSGeom_clone_r")
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

extension NativeGeometry {
    /// The polygons of this geometry as a Polygon or MultiPolygon, dropping lines and points.
    /// An overlay of polygons may return a collection with lower-dimension leftovers where
    /// parts touch; feeding such a mixed collection into another overlay is not supported
    /// by GEOS 3.11, so every overlay result that is used again passes through here.
    public func polygonalPart() throws -> NativeGeometry {
        // GEOSGeomTypeId_r returns -1 on exception.
        let type = GEOSGeomTypeId_r(context.handle, pointer)
        guard type != -1 else { throw context.failure("GEOSGeomTypeId_r") }
        if type == Int32(GEOS_POLYGON.rawValue) || type == Int32(GEOS_MULTIPOLYGON.rawValue) { return self }
        var polygons: [OpaquePointer?] = []
        func collect(_ g: OpaquePointer) throws {
            let t = GEOSGeomTypeId_r(context.handle, g)
            if t == Int32(GEOS_POLYGON.rawValue) {
                // GEOSGeom_clone_r returns NULL on exception.
                guard let clone = GEOSGeom_clone_r(context.handle, g) else { throw context.failure("GEOSGeom_clone_r") }
                polygons.append(clone)
            } else if t == Int32(GEOS_MULTIPOLYGON.rawValue) || t == Int32(GEOS_GEOMETRYCOLLECTION.rawValue) {
                // GEOSGetNumGeometries_r returns -1 on exception; GEOSGetGeometryN_r NULL.
                let n = GEOSGetNumGeometries_r(context.handle, g)
                guard n >= 0 else { throw context.failure("GEOSGetNumGeometries_r") }
                for i in 0..<n {
                    guard let member = GEOSGetGeometryN_r(context.handle, g, i) else {
                        throw context.failure("GEOSGetGeometryN_r")
                    }
                    try collect(member)
                }
            }
        }
        do {
            try collect(pointer)
        } catch {
            for p in polygons { GEOSGeom_destroy_r(context.handle, p) }
            throw error
        }
        if polygons.count == 1, let only = polygons[0] { return NativeGeometry(owning: only, in: context) }
        // GEOSGeom_createCollection_r takes ownership of the members; returns NULL on exception.
        let made = polygons.withUnsafeMutableBufferPointer { buffer in
            GEOSGeom_createCollection_r(
                context.handle, Int32(GEOS_MULTIPOLYGON.rawValue), buffer.baseAddress, UInt32(buffer.count))
        }
        return try .wrap(made, context, "GEOSGeom_createCollection_r")
    }
}

extension NativeGeometry {
    // Fixed-precision overlay (OverlayNG with snap-rounding): every output vertex lies on a
    // grid of `gridSize`, results are valid at that precision and identical for shared edges,
    // and it does not fail on nearly coincident edges. The *Prec_r calls return NULL on exception.

    public func intersection(_ other: NativeGeometry, gridSize: Double) throws -> NativeGeometry {
        try .wrap(
            GEOSIntersectionPrec_r(context.handle, pointer, other.pointer, gridSize), context, "GEOSIntersectionPrec_r")
    }

    public func difference(_ other: NativeGeometry, gridSize: Double) throws -> NativeGeometry {
        try .wrap(
            GEOSDifferencePrec_r(context.handle, pointer, other.pointer, gridSize), context, "GEOSDifferencePrec_r")
    }

    public func unaryUnion(gridSize: Double) throws -> NativeGeometry {
        try .wrap(GEOSUnaryUnionPrec_r(context.handle, pointer, gridSize), context, "GEOSUnaryUnionPrec_r")
    }

    /// The geometry with coordinates snapped to a grid of `gridSize`, kept valid.
    public func withPrecision(gridSize: Double) throws -> NativeGeometry {
        // GEOSGeom_setPrecision_r returns NULL on exception; flags 0 keeps the result valid.
        try .wrap(GEOSGeom_setPrecision_r(context.handle, pointer, gridSize, 0), context, "GEOSGeom_setPrecision_r")
    }

    /// Union of polygons that form a clean coverage (they meet only along identical edges, as
    /// the faces of one polygonized arrangement do): shared edges are dropped and the rest
    /// linked, with no overlay. GEOS checks the areas and fails on a coverage that is not
    /// clean; this then falls back to the fixed-precision union.
    public static func coverageUnion(
        _ polygons: [NativeGeometry], gridSize: Double, in context: GEOSContext
    ) throws -> NativeGeometry {
        // GEOSCoverageUnion_r returns NULL on exception.
        try collect(polygons, in: context).orUnionOnGrid(gridSize, "GEOSCoverageUnion_r") {
            GEOSCoverageUnion_r(context.handle, $0)
        }
    }

    /// What `call` makes of this geometry, or (when GEOS fails on it and returns NULL) its
    /// unary union snap-rounded on a grid of `gridSize`.
    private func orUnionOnGrid(
        _ gridSize: Double, _ function: String, _ call: (OpaquePointer) -> OpaquePointer?
    ) throws -> NativeGeometry {
        if let result = withExtendedLifetime(self, { call(pointer) }) {
            return NativeGeometry(owning: result, in: context)
        }
        _ = context.failure(function)  // clears the collected message
        return try unaryUnion(gridSize: gridSize)
    }

    /// Line work noded into segments that meet only at their ends (a unary union of lines),
    /// with every vertex on the grid of `gridSize` (as snap-rounding on that grid puts them, so
    /// that a later snap-rounding leaves them where they are): noded in floating precision
    /// first, which GEOS validates (a noding it cannot complete fails), snap-rounded when that
    /// fails, then put on the grid (``Geometry/onGrid(_:gridSize:)``, which leaves snap-rounded
    /// vertices where they are). Floating noding is several times faster than snap-rounding
    /// (GEOS 3.11: 20–25 ms against 75–86 ms for 1,490 road lines, 17,035 vertices), but it
    /// joins only lines that meet exactly: two ends a rounding error apart stay apart. Lines
    /// that end on another by construction (clipped to it in doubles, say) must reach across
    /// it (``Geometry/clip(_:to:overshoot:)``). Rounding can undo a floating noding where a
    /// vertex lies within a rounding step of a segment it does not end (a footprint's corner on
    /// a Voronoi edge, say: the corner moves across the edge and the two cross without a node):
    /// such vertices, within four grid steps, are added to the segment
    /// (``Geometry/nodingNearMisses(_:tolerance:)``), as snap-rounding would; when some remain
    /// after three rounds, the lines are snap-rounded by GEOS instead.
    public static func nodedLines(
        _ geometries: [NativeGeometry], gridSize: Double, in context: GEOSContext
    ) throws -> NativeGeometry {
        let lines = try collect(geometries, in: context)
        // GEOSUnaryUnion_r returns NULL on exception.
        let noded = try lines.orUnionOnGrid(gridSize, "GEOSUnaryUnion_r") { GEOSUnaryUnion_r(context.handle, $0) }
        var rounded = Geometry.onGrid(try noded.value().lines, gridSize: gridSize)
        for _ in 0..<3 {
            let mended = Geometry.nodingNearMisses(rounded, tolerance: 4 * gridSize)
            if mended.added == 0 { return try NativeGeometry(.multiLineString(rounded), in: context) }
            rounded = mended.lines
        }
        let snapped = try lines.unaryUnion(gridSize: gridSize).value().lines
        return try NativeGeometry(.multiLineString(Geometry.onGrid(snapped, gridSize: gridSize)), in: context)
    }

    /// `lines` noded on the grid of `gridSize` (segments meet only at shared end points): in
    /// Swift (``Geometry/noded(_:gridSize:)``), or, where rounding could not be mended there,
    /// by GEOS as ``nodedLines(_:gridSize:in:)`` does. `parallel`: see ``Geometry/noded(_:gridSize:parallel:)``.
    public static func noded(
        _ lines: [[Position]], gridSize: Double, in context: GEOSContext, parallel: Bool = false
    ) throws -> [[Position]] {
        if let noded = Geometry.noded(lines, gridSize: gridSize, parallel: parallel) { return noded }
        return try nodedLines([NativeGeometry(.multiLineString(lines), in: context)], gridSize: gridSize, in: context)
            .value().lines
    }

    /// Union of many geometries at fixed precision.
    public static func unionAll(
        _ geometries: [NativeGeometry], gridSize: Double, in context: GEOSContext
    ) throws -> NativeGeometry {
        try collect(geometries, in: context).unaryUnion(gridSize: gridSize)
    }
}

extension NativeGeometry {
    /// The faces of noded linework: every closed area the lines bound, as a collection of
    /// polygons (a ring inside another gives both the holed polygon and the hole's face).
    /// Lines must be noded first (e.g. by a unary union); dangles and cut edges form no face.
    public func polygonized() throws -> NativeGeometry {
        let made: OpaquePointer? = withExtendedLifetime(self) {
            let members: [OpaquePointer?] = [pointer]
            // GEOSPolygonize_r borrows the inputs and returns a new GeometryCollection; NULL on exception.
            return members.withUnsafeBufferPointer { GEOSPolygonize_r(context.handle, $0.baseAddress, 1) }
        }
        return try .wrap(made, context, "GEOSPolygonize_r")
    }
}
