import Foundation
import GRDB
import GridPlanModel

/// What went wrong when SQLite or the file system refused a read or write, in words a planner
/// can act on (the SQL statement and GRDB's wording are left out).
public enum StorageFailure {
    public static func describe(_ error: Error) -> String {
        if let error = error as? DatabaseError {
            switch error.resultCode {
            case .SQLITE_FULL:
                return "the disk is full (no space left to write); free some space, or choose another --out"
            case .SQLITE_BUSY, .SQLITE_LOCKED:
                return "another gridplan command has held the plan for over 30 s; wait for it to finish and run again"
            case .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_CANTOPEN, .SQLITE_AUTH:
                return "cannot open or write this file (read-only, or no permission on it or its folder)"
            case .SQLITE_CORRUPT, .SQLITE_NOTADB:
                return
                    "the file is damaged or is not an SQLite database; restore it from a backup, or run the command "
                    + "that made it again"
            case .SQLITE_IOERR:
                return
                    "the disk refused a read or write (\(error.message ?? "I/O error")); check the disk and free space"
            default:
                return "SQLite error \(error.resultCode.rawValue): \(error.message ?? "unknown")"
            }
        }
        if let error = error as? CocoaError {
            if let underlying = error.userInfo[NSUnderlyingErrorKey] as? NSError,
                underlying.domain == NSPOSIXErrorDomain
            {
                return String(cString: strerror(Int32(underlying.code)))
            }
            switch error.code {
            case .fileWriteOutOfSpace:
                return "the disk is full (no space left to write); free some space, or choose another --out"
            case .fileWriteNoPermission, .fileReadNoPermission: return "no permission on this file or its folder"
            case .fileWriteVolumeReadOnly: return "the disk is read-only"
            case .fileNoSuchFile, .fileReadNoSuchFile: return "no such file or folder"
            default: return error.localizedDescription
            }
        }
        if let error = error as? InputError { return error.message }
        return "\(error)"
    }

    /// A failed write of `file` as an input error: one already named passes through.
    static func writeError(_ error: Error, file: String, rule: String) -> InputError {
        error as? InputError ?? InputError(file: file, rule: rule, "cannot write: \(describe(error))")
    }

    /// `body`, with SQLite failures turned into an input error naming `file`.
    static func naming<T>(_ file: String, rule: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as DatabaseError {
            throw InputError(file: file, rule: rule, describe(error))
        }
    }
}
