import CGEOS
import GridPlanGeometryValues

/// One reentrant GEOS context (`GEOS_init_r`) that collects the messages GEOS reports.
///
/// Not `Sendable`: a GEOS context must be used by one thread at a time. Create one per task
/// or per pipeline step and let every ``NativeGeometry`` made in it die with it.
public final class GEOSContext {
    let handle: GEOSContextHandle_t
    /// Messages GEOS passed to the error handler since the last ``failure(_:)``.
    private(set) var pendingMessages: [String] = []

    public init() throws {
        // GEOS_init_r returns NULL when the context cannot be allocated.
        guard let handle = GEOS_init_r() else {
            throw GeometryLibraryError.geos(function: "GEOS_init_r", messages: [])
        }
        self.handle = handle
        // The handler cannot capture; it finds this object through userdata, which stays
        // valid because the handler is only called while `self` (owner of `handle`) lives.
        // GEOSContext_setErrorMessageHandler_r returns the previous handler; nothing to check.
        _ = GEOSContext_setErrorMessageHandler_r(
            handle,
            { message, userData in
                guard let message, let userData else { return }
                let context = Unmanaged<GEOSContext>.fromOpaque(userData).takeUnretainedValue()
                context.pendingMessages.append(String(cString: message))
            },
            Unmanaged.passUnretained(self).toOpaque()
        )
    }

    deinit {
        GEOS_finish_r(handle)
    }

    /// The error for a failed call of `function`, carrying and clearing GEOS's messages.
    func failure(_ function: String) -> GeometryLibraryError {
        defer { pendingMessages.removeAll() }
        return .geos(function: function, messages: pendingMessages)
    }

    /// The GEOS version string, e.g. "3.11.1-CAPI-1.17.1".
    public static var version: String {
        String(cString: GEOSversion())
    }
}
