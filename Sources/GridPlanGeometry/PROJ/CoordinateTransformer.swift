import CPROJ
import Glibc
import GridPlanGeometryValues

/// Collects PROJ's log lines for one context. Referenced through `app_data`, so it must
/// outlive the context: the transformer holds it.
final class ProjLog {
    var messages: [String] = []
}

/// A PROJ transformation between two CRSs with axis order normalised to x = longitude /
/// easting, y = latitude / northing (`proj_normalize_for_visualization`).
///
/// Not `Sendable`: a PROJ context must not be used by two threads at once. Make one per task.
public final class CoordinateTransformer {
    public let source: String
    public let target: String
    private let context: OpaquePointer
    private let transformation: OpaquePointer
    private let log: ProjLog

    public convenience init(from source: String, to target: String) throws {
        try self.init(source: source, target: target) { context in
            // proj_create_crs_to_crs returns NULL on failure (unknown CRS, no operation).
            guard let raw = proj_create_crs_to_crs(context, source, target, nil) else {
                return (nil, "proj_create_crs_to_crs(\(source), \(target))")
            }
            // proj_normalize_for_visualization returns NULL on failure; the raw PJ is ours to destroy.
            let normalized = proj_normalize_for_visualization(context, raw)
            proj_destroy(raw)
            return (normalized, "proj_normalize_for_visualization")
        }
    }

    /// A transformation given as a PROJ pipeline (positions in and out as the pipeline says):
    /// made without PROJ's database, so in microseconds where a CRS-to-CRS search takes tens of
    /// milliseconds. `source` and `target` name the two sides for messages.
    public convenience init(pipeline: String, source: String, target: String) throws {
        try self.init(source: source, target: target) { context in
            // As argv words without their '+': proj_create would open PROJ's database (~2.5 ms)
            // to read a definition that needs none. proj_create_argv returns NULL on a bad one.
            var words = pipeline.split(separator: " ").map { strdup(String($0.drop { $0 == "+" })) }
            defer { for w in words { free(w) } }
            return (proj_create_argv(context, Int32(words.count), &words), "proj_create_argv(\(pipeline))")
        }
    }

    /// Makes PROJ do, now, what its first transformation in a process does once: even a
    /// pipeline that needs no database opens proj.db and reads its schema (~4.5 ms here;
    /// later transformers, in any context or thread, take ~0.1 ms). Called on a core that would
    /// otherwise wait (while input files are read), so that the first real transformer does
    /// not pay it. Returns whether PROJ made the (empty) pipeline; failure is not an error
    /// here: a real transformer reports its own.
    @discardableResult
    public static func prepareLibrary() -> Bool {
        (try? CoordinateTransformer(pipeline: "+proj=noop", source: "noop", target: "noop")) != nil
    }

    private init(source: String, target: String, make: (OpaquePointer) -> (OpaquePointer?, String)) throws {
        self.source = source
        self.target = target
        let log = ProjLog()
        // proj_context_create returns NULL when out of memory.
        guard let context = proj_context_create() else {
            throw GeometryLibraryError.proj(function: "proj_context_create", code: 0, messages: [])
        }
        // proj_log_func returns nothing. Installing it also stops PROJ writing to stderr.
        proj_log_func(context, Unmanaged.passUnretained(log).toOpaque()) { appData, _, message in
            guard let appData, let message else { return }
            Unmanaged<ProjLog>.fromOpaque(appData).takeUnretainedValue().messages.append(String(cString: message))
        }
        let (made, function) = make(context)
        guard let made else {
            let code = proj_context_errno(context)
            var messages = log.messages
            if messages.isEmpty, code != 0, let text = proj_context_errno_string(context, code) {
                messages = [String(cString: text)]
            }
            proj_context_destroy(context)
            throw GeometryLibraryError.proj(function: function, code: code, messages: messages)
        }
        self.context = context
        self.transformation = made
        self.log = log
    }

    deinit {
        // PROJ objects reference their context: destroy the PJ first. No proj_cleanup():
        // it clears process-wide caches.
        proj_destroy(transformation)
        proj_context_destroy(context)
    }

    /// Transforms positions forward (source → target) or back.
    public func transform(_ positions: [Position], inverse: Bool = false) throws -> [Position] {
        if positions.isEmpty { return [] }
        var xs = positions.map(\.x)
        var ys = positions.map(\.y)
        log.messages.removeAll()
        proj_errno_reset(transformation)
        let stride = MemoryLayout<Double>.stride
        // proj_trans_generic returns how many points it transformed; failures set errno and
        // leave HUGE_VAL in the output, so errno and finiteness are both checked.
        let done = xs.withUnsafeMutableBufferPointer { xb in
            ys.withUnsafeMutableBufferPointer { yb in
                proj_trans_generic(
                    transformation, inverse ? PJ_INV : PJ_FWD,
                    xb.baseAddress, stride, xb.count,
                    yb.baseAddress, stride, yb.count,
                    nil, 0, 0, nil, 0, 0)
            }
        }
        let code = proj_errno(transformation)
        if let bad = (0..<xs.count).first(where: { !xs[$0].isFinite || !ys[$0].isFinite })
            ?? (done == xs.count ? nil : 0)
        {
            var messages = log.messages
            if let text = proj_context_errno_string(context, code), code != 0 { messages.append(String(cString: text)) }
            let p = positions[bad]
            messages.append("at (\(p.x), \(p.y))")
            throw GeometryLibraryError.proj(function: "proj_trans_generic", code: code, messages: messages)
        }
        return (0..<xs.count).map { Position(x: xs[$0], y: ys[$0]) }
    }

    public func transform(_ position: Position, inverse: Bool = false) throws -> Position {
        try transform([position], inverse: inverse)[0]
    }

    /// Transforms every position of a geometry.
    public func transform(_ geometry: Geometry, inverse: Bool = false) throws -> Geometry {
        var flat: [Position] = []
        flat.reserveCapacity(geometry.positionCount)
        geometry.forEachPosition { flat.append($0) }
        let moved = try transform(flat, inverse: inverse)
        var index = 0
        return geometry.mapPositions { _ in
            defer { index += 1 }
            return moved[index]
        }
    }

    /// The PROJ version string.
    public static var projVersion: String {
        String(cString: proj_info().version)
    }
}
