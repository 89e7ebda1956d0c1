import CGEOS
import GridPlanGeometryValues

/// A GEOS geometry owned by Swift: destroyed with `GEOSGeom_destroy_r` when released.
/// It keeps its context alive; like the context it is not `Sendable`.
public final class NativeGeometry {
    public let context: GEOSContext
    let pointer: OpaquePointer

    /// Takes ownership of `pointer`, which must have been made in `context`.
    init(owning pointer: OpaquePointer, in context: GEOSContext) {
        self.pointer = pointer
        self.context = context
    }

    deinit {
        GEOSGeom_destroy_r(context.handle, pointer)
    }

    /// Builds the GEOS form of a value geometry. Empty parts become GEOS empties.
    public convenience init(_ value: Geometry, in context: GEOSContext) throws {
        let pointer = try NativeGeometry.make(value, context)
        self.init(owning: pointer, in: context)
    }

    /// Wraps a GEOS-returned pointer, turning NULL into the collected GEOS error.
    static func wrap(_ pointer: OpaquePointer?, _ context: GEOSContext, _ function: String) throws -> NativeGeometry {
        guard let pointer else { throw context.failure(function) }
        return NativeGeometry(owning: pointer, in: context)
    }

    // MARK: value -> GEOS

    private static func sequence(_ positions: [Position], _ context: GEOSContext) throws -> OpaquePointer {
        var buffer = [Double]()
        buffer.reserveCapacity(positions.count * 2)
        for p in positions {
            buffer.append(p.x)
            buffer.append(p.y)
        }
        // GEOSCoordSeq_copyFromBuffer_r returns NULL on exception.
        let seq = buffer.withUnsafeBufferPointer { raw in
            GEOSCoordSeq_copyFromBuffer_r(context.handle, raw.baseAddress, UInt32(positions.count), 0, 0)
        }
        guard let seq else { throw context.failure("GEOSCoordSeq_copyFromBuffer_r") }
        return seq
    }

    private static func ring(_ positions: [Position], _ context: GEOSContext) throws -> OpaquePointer {
        guard positions.count >= 4, positions.first == positions.last else {
            throw GeometryLibraryError.invalidArgument(
                "a polygon ring needs at least 4 positions with the first equal to the last (got \(positions.count))")
        }
        let seq = try sequence(positions, context)
        // GEOSGeom_createLinearRing_r takes ownership of seq; returns NULL on exception.
        guard let ring = GEOSGeom_createLinearRing_r(context.handle, seq) else {
            throw context.failure("GEOSGeom_createLinearRing_r")
        }
        return ring
    }

    private static func polygon(_ rings: [Ring], _ context: GEOSContext) throws -> OpaquePointer {
        guard let shellPositions = rings.first else {
            // GEOSGeom_createEmptyPolygon_r returns NULL on exception.
            guard let empty = GEOSGeom_createEmptyPolygon_r(context.handle) else {
                throw context.failure("GEOSGeom_createEmptyPolygon_r")
            }
            return empty
        }
        let shell = try ring(shellPositions, context)
        var holes: [OpaquePointer?] = []
        do {
            for r in rings.dropFirst() { holes.append(try ring(r, context)) }
        } catch {
            GEOSGeom_destroy_r(context.handle, shell)
            for h in holes { GEOSGeom_destroy_r(context.handle, h) }
            throw error
        }
        // GEOSGeom_createPolygon_r takes ownership of shell and holes; returns NULL on exception.
        let made = holes.withUnsafeMutableBufferPointer { buffer in
            GEOSGeom_createPolygon_r(context.handle, shell, buffer.baseAddress, UInt32(buffer.count))
        }
        guard let made else { throw context.failure("GEOSGeom_createPolygon_r") }
        return made
    }

    private static func collection(
        _ type: GEOSGeomTypes, _ parts: [OpaquePointer?], _ context: GEOSContext
    ) throws
        -> OpaquePointer
    {
        var parts = parts
        // GEOSGeom_createCollection_r takes ownership of the parts; returns NULL on exception.
        let made = parts.withUnsafeMutableBufferPointer { buffer in
            GEOSGeom_createCollection_r(context.handle, Int32(type.rawValue), buffer.baseAddress, UInt32(buffer.count))
        }
        guard let made else { throw context.failure("GEOSGeom_createCollection_r") }
        return made
    }

    private static func makeAll<T>(
        _ items: [T], _ context: GEOSContext, _ make: (T) throws -> OpaquePointer
    ) throws
        -> [OpaquePointer?]
    {
        var made: [OpaquePointer?] = []
        made.reserveCapacity(items.count)
        do {
            for item in items { made.append(try make(item)) }
        } catch {
            for m in made { GEOSGeom_destroy_r(context.handle, m) }
            throw error
        }
        return made
    }

    static func make(_ value: Geometry, _ context: GEOSContext) throws -> OpaquePointer {
        switch value {
        case .point(let p):
            let seq = try sequence([p], context)
            // GEOSGeom_createPoint_r takes ownership of seq; returns NULL on exception.
            guard let point = GEOSGeom_createPoint_r(context.handle, seq) else {
                throw context.failure("GEOSGeom_createPoint_r")
            }
            return point
        case .multiPoint(let ps):
            let parts = try makeAll(ps, context) { try make(.point($0), context) }
            return try collection(GEOS_MULTIPOINT, parts, context)
        case .lineString(let ps):
            guard ps.count != 1 else {
                throw GeometryLibraryError.invalidArgument("a line string needs at least 2 positions (got 1)")
            }
            let seq = try sequence(ps, context)
            // GEOSGeom_createLineString_r takes ownership of seq; returns NULL on exception.
            guard let line = GEOSGeom_createLineString_r(context.handle, seq) else {
                throw context.failure("GEOSGeom_createLineString_r")
            }
            return line
        case .multiLineString(let lines):
            let parts = try makeAll(lines, context) { try make(.lineString($0), context) }
            return try collection(GEOS_MULTILINESTRING, parts, context)
        case .polygon(let rings):
            return try polygon(rings, context)
        case .multiPolygon(let polys):
            let parts = try makeAll(polys, context) { try polygon($0, context) }
            return try collection(GEOS_MULTIPOLYGON, parts, context)
        case .collection(let members):
            let parts = try makeAll(members, context) { try make($0, context) }
            return try collection(GEOS_GEOMETRYCOLLECTION, parts, context)
        }
    }

    // MARK: GEOS -> value

    /// The value form of this geometry.
    public func value() throws -> Geometry {
        try NativeGeometry.read(pointer, context)
    }

    private static func positions(_ geometry: OpaquePointer, _ context: GEOSContext) throws -> [Position] {
        // GEOSGeom_getCoordSeq_r returns a borrowed sequence, NULL on exception.
        guard let seq = GEOSGeom_getCoordSeq_r(context.handle, geometry) else {
            throw context.failure("GEOSGeom_getCoordSeq_r")
        }
        var size: UInt32 = 0
        // GEOSCoordSeq_getSize_r returns 0 on exception.
        guard GEOSCoordSeq_getSize_r(context.handle, seq, &size) != 0 else {
            throw context.failure("GEOSCoordSeq_getSize_r")
        }
        if size == 0 { return [] }
        var buffer = [Double](repeating: 0, count: Int(size) * 2)
        // GEOSCoordSeq_copyToBuffer_r returns 0 on exception.
        let ok = buffer.withUnsafeMutableBufferPointer { raw in
            GEOSCoordSeq_copyToBuffer_r(context.handle, seq, raw.baseAddress, 0, 0)
        }
        guard ok != 0 else { throw context.failure("GEOSCoordSeq_copyToBuffer_r") }
        return (0..<Int(size)).map { Position(x: buffer[2 * $0], y: buffer[2 * $0 + 1]) }
    }

    private static func rings(_ polygon: OpaquePointer, _ context: GEOSContext) throws -> [Ring] {
        // GEOSisEmpty_r returns 2 on exception.
        let empty = GEOSisEmpty_r(context.handle, polygon)
        guard empty != 2 else { throw context.failure("GEOSisEmpty_r") }
        if empty == 1 { return [] }
        // GEOSGetExteriorRing_r returns a borrowed ring, NULL on exception.
        guard let shell = GEOSGetExteriorRing_r(context.handle, polygon) else {
            throw context.failure("GEOSGetExteriorRing_r")
        }
        var result = [try positions(shell, context)]
        // GEOSGetNumInteriorRings_r returns -1 on exception.
        let holeCount = GEOSGetNumInteriorRings_r(context.handle, polygon)
        guard holeCount >= 0 else { throw context.failure("GEOSGetNumInteriorRings_r") }
        for i in 0..<holeCount {
            // GEOSGetInteriorRingN_r returns a borrowed ring, NULL on exception.
            guard let hole = GEOSGetInteriorRingN_r(context.handle, polygon, i) else {
                throw context.failure("GEOSGetInteriorRingN_r")
            }
            result.append(try positions(hole, context))
        }
        return result
    }

    private static func members(_ geometry: OpaquePointer, _ context: GEOSContext) throws -> [OpaquePointer] {
        // GEOSGetNumGeometries_r returns -1 on exception.
        let count = GEOSGetNumGeometries_r(context.handle, geometry)
        guard count >= 0 else { throw context.failure("GEOSGetNumGeometries_r") }
        return try (0..<count).map { i in
            // GEOSGetGeometryN_r returns a borrowed member, NULL on exception.
            guard let member = GEOSGetGeometryN_r(context.handle, geometry, i) else {
                throw context.failure("GEOSGetGeometryN_r")
            }
            return member
        }
    }

    static func read(_ geometry: OpaquePointer, _ context: GEOSContext) throws -> Geometry {
        // GEOSGeomTypeId_r returns -1 on exception.
        let type = GEOSGeomTypeId_r(context.handle, geometry)
        switch type {
        case Int32(GEOS_POINT.rawValue):
            let ps = try positions(geometry, context)
            guard let p = ps.first else { return .multiPoint([]) }  // empty point: no value form
            return .point(p)
        case Int32(GEOS_LINESTRING.rawValue), Int32(GEOS_LINEARRING.rawValue):
            return .lineString(try positions(geometry, context))
        case Int32(GEOS_POLYGON.rawValue):
            let rs = try rings(geometry, context)
            return rs.isEmpty ? .multiPolygon([]) : .polygon(rs)
        case Int32(GEOS_MULTIPOINT.rawValue):
            return .multiPoint(try members(geometry, context).flatMap { try positions($0, context) })
        case Int32(GEOS_MULTILINESTRING.rawValue):
            return .multiLineString(try members(geometry, context).map { try positions($0, context) })
        case Int32(GEOS_MULTIPOLYGON.rawValue):
            return .multiPolygon(try members(geometry, context).map { try rings($0, context) }.filter { !$0.isEmpty })
        case Int32(GEOS_GEOMETRYCOLLECTION.rawValue):
            return .collection(try members(geometry, context).map { try read($0, context) })
        default:
            throw context.failure("GEOSGeomTypeId_r")
        }
    }
}
