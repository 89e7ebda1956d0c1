import Foundation
import GridPlanGeometry
import GridPlanGeometryValues
import GridPlanModel

/// The GeoPackage geometry blob (OGC 12-128, §2.1.3): "GP", version 0, flags, srs_id, an
/// optional envelope, then standard WKB. We always write little-endian with an xy envelope.
public enum GeoPackageGeometry {
    /// flags: bit 0 = little-endian; bits 1–3 = envelope kind (1: minx, maxx, miny, maxy);
    /// bit 4 = empty geometry.
    public static func encode(_ geometry: Geometry, srsID: Int32 = 4326, context: GEOSContext) throws -> Data {
        let wkb: Data
        if case .point(let p) = geometry {
            // A point's WKB is fixed (little-endian, type 1, x, y): skip GEOS, which matters
            // for a roster of 100,000 people.
            var point = Data([0x01])
            append(UInt32(1), to: &point)
            append(p.x.bitPattern, to: &point)
            append(p.y.bitPattern, to: &point)
            wkb = point
        } else {
            wkb = try NativeGeometry(geometry, in: context).wkb()
        }
        var out = Data([0x47, 0x50, 0x00])
        guard let box = geometry.boundingBox else {
            out.append(0x01 | 0x10)  // little-endian, no envelope, empty
            append(UInt32(bitPattern: srsID), to: &out)
            out.append(wkb)
            return out
        }
        out.append(0x01 | (1 << 1))
        append(UInt32(bitPattern: srsID), to: &out)
        for v in [box.minX, box.maxX, box.minY, box.maxY] { append(v.bitPattern, to: &out) }
        out.append(wkb)
        return out
    }

    /// Decodes a blob written by any GeoPackage writer (either byte order, any envelope).
    public static func decode(_ blob: Data, context: GEOSContext) throws -> (geometry: Geometry, srsID: Int32) {
        let bytes = [UInt8](blob)
        guard bytes.count >= 8, bytes[0] == 0x47, bytes[1] == 0x50 else {
            throw InputError(rule: "gpkg.geometry", "not a GeoPackage geometry blob (no \"GP\" magic)")
        }
        let flags = bytes[3]
        let littleEndian = flags & 1 == 1
        let envelopeDoubles = [0, 4, 6, 6, 8][Int(min((flags >> 1) & 0x07, 4))]
        var raw: UInt32 = 0
        for k in 0..<4 { raw |= UInt32(bytes[4 + k]) << (littleEndian ? 8 * k : 8 * (3 - k)) }
        let start = 8 + envelopeDoubles * 8
        guard bytes.count > start else {
            throw InputError(rule: "gpkg.geometry", "GeoPackage geometry blob is truncated")
        }
        let native = try NativeGeometry(wkb: Data(bytes[start...]), in: context)
        return (try native.value(), Int32(bitPattern: raw))
    }

    private static func append<T: FixedWidthInteger>(_ value: T, to data: inout Data) {
        withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) }
    }
}
