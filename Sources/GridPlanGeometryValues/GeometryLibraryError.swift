/// A failure reported by a C library (GEOS or PROJ), with the messages the library gave.
/// Domain and input problems are `InputError` (GridPlanModel) instead.
public enum GeometryLibraryError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A GEOS call failed; `messages` are what GEOS passed to the context's error handler.
    case geos(function: String, messages: [String])
    /// A PROJ call failed; `code` is PROJ's errno, `messages` what PROJ logged.
    case proj(function: String, code: Int32, messages: [String])
    /// A GDAL call failed; `messages` are what GDAL reported while it ran.
    case gdal(function: String, messages: [String])
    /// Input a geometry routine cannot accept (checked before calling C).
    case invalidArgument(String)

    public var description: String {
        switch self {
        case .geos(let function, let messages):
            return "GEOS \(function) failed" + (messages.isEmpty ? "" : ": " + messages.joined(separator: "; "))
        case .proj(let function, let code, let messages):
            return "PROJ \(function) failed (\(code))"
                + (messages.isEmpty ? "" : ": " + messages.joined(separator: "; "))
        case .gdal(let function, let messages):
            return "GDAL \(function) failed" + (messages.isEmpty ? "" : ": " + messages.joined(separator: "; "))
        case .invalidArgument(let text):
            return text
        }
    }
}
