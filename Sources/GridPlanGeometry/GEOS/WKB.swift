import CGEOS
import Foundation
import GridPlanGeometryValues

extension NativeGeometry {
    /// Reads WKB (ISO or extended, either byte order).
    public convenience init(wkb: Data, in context: GEOSContext) throws {
        // GEOSWKBReader_create_r returns NULL on exception.
        guard let reader = GEOSWKBReader_create_r(context.handle) else {
            throw context.failure("GEOSWKBReader_create_r")
        }
        defer { GEOSWKBReader_destroy_r(context.handle, reader) }
        // GEOSWKBReader_read_r returns NULL on exception (malformed bytes).
        let pointer = wkb.withUnsafeBytes { raw in
            GEOSWKBReader_read_r(
                context.handle, reader, raw.bindMemory(to: UInt8.self).baseAddress, raw.count)
        }
        guard let pointer else { throw context.failure("GEOSWKBReader_read_r") }
        self.init(owning: pointer, in: context)
    }

    /// WKB with fixed settings so stored bytes never depend on GEOS defaults or the host:
    /// little-endian (NDR), ISO flavour, 2 dimensions.
    public func wkb() throws -> Data {
        // GEOSWKBWriter_create_r returns NULL on exception.
        guard let writer = GEOSWKBWriter_create_r(context.handle) else {
            throw context.failure("GEOSWKBWriter_create_r")
        }
        defer { GEOSWKBWriter_destroy_r(context.handle, writer) }
        // The three setters return nothing.
        GEOSWKBWriter_setByteOrder_r(context.handle, writer, Int32(GEOS_WKB_NDR.rawValue))
        GEOSWKBWriter_setFlavor_r(context.handle, writer, Int32(GEOS_WKB_ISO.rawValue))
        GEOSWKBWriter_setOutputDimension_r(context.handle, writer, 2)
        var size = 0
        // GEOSWKBWriter_write_r returns NULL on exception; the buffer is freed with GEOSFree_r.
        guard let bytes = GEOSWKBWriter_write_r(context.handle, writer, pointer, &size) else {
            throw context.failure("GEOSWKBWriter_write_r")
        }
        defer { GEOSFree_r(context.handle, bytes) }
        return Data(bytes: bytes, count: size)
    }

    /// WKT, for messages and tests. `precision` decimals, trimmed.
    public func wkt(precision: Int32 = 7) throws -> String {
        // GEOSWKTWriter_create_r returns NULL on exception.
        guard let writer = GEOSWKTWriter_create_r(context.handle) else {
            throw context.failure("GEOSWKTWriter_create_r")
        }
        defer { GEOSWKTWriter_destroy_r(context.handle, writer) }
        GEOSWKTWriter_setRoundingPrecision_r(context.handle, writer, precision)
        GEOSWKTWriter_setTrim_r(context.handle, writer, 1)
        // GEOSWKTWriter_write_r returns NULL on exception; free with GEOSFree_r.
        guard let text = GEOSWKTWriter_write_r(context.handle, writer, pointer) else {
            throw context.failure("GEOSWKTWriter_write_r")
        }
        defer { GEOSFree_r(context.handle, text) }
        return String(cString: text)
    }

    /// Reads WKT.
    public convenience init(wkt: String, in context: GEOSContext) throws {
        // GEOSWKTReader_create_r returns NULL on exception.
        guard let reader = GEOSWKTReader_create_r(context.handle) else {
            throw context.failure("GEOSWKTReader_create_r")
        }
        defer { GEOSWKTReader_destroy_r(context.handle, reader) }
        // GEOSWKTReader_read_r returns NULL on exception (parse error).
        guard let pointer = GEOSWKTReader_read_r(context.handle, reader, wkt) else {
            throw context.failure("GEOSWKTReader_read_r")
        }
        self.init(owning: pointer, in: context)
    }
}
