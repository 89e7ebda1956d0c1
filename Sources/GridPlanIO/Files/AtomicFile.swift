import Foundation
import GridPlanModel

/// Writes a file so that readers see either the old content or the complete new content,
/// never a half-written file: write to a temporary file in the same folder, then rename.
public enum AtomicFile {
    /// Renaming onto a device or pipe (/dev/null, a FIFO) would replace it with a plain file.
    static func refuseSpecialFile(_ path: String) throws {
        var info = stat()
        if lstat(path, &info) == 0, (info.st_mode & S_IFMT) != S_IFREG, (info.st_mode & S_IFMT) != S_IFLNK,
            (info.st_mode & S_IFMT) != S_IFDIR
        {
            throw InputError(
                file: path, rule: "output.not-a-file",
                "is not a regular file (a device, pipe or socket); choose another output name")
        }
    }

    public static func write(_ data: Data, to path: String) throws {
        try refuseSpecialFile(path)
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent()
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue
        else {
            throw InputError(
                file: path, rule: "output.folder-missing", "cannot write: folder \(folder.path) does not exist")
        }
        let temporary = folder.appendingPathComponent(
            ".\(url.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        do {
            try data.write(to: temporary)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw InputError(file: path, rule: "output.unwritable", "cannot write: \(StorageFailure.describe(error))")
        }
        // rename(2) replaces the target atomically; it returns -1 on failure with errno set.
        if rename(temporary.path, url.path) != 0 {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw InputError(file: path, rule: "output.unwritable", "cannot write: \(reason)")
        }
    }

    /// Builds a file at a temporary path beside `path` with `body`, then renames it into place;
    /// if `body` throws, nothing at `path` changes and the temporary file is removed.
    public static func build(_ path: String, rule: String, _ body: (String) throws -> Void) throws {
        try refuseSpecialFile(path)
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
            .path
        defer { try? FileManager.default.removeItem(atPath: temporary) }
        do {
            try body(temporary)
        } catch {
            throw StorageFailure.writeError(error, file: path, rule: rule)
        }
        // rename(2) returns -1 on failure with errno set.
        if rename(temporary, path) != 0 {
            throw InputError(file: path, rule: rule, "cannot write: \(String(cString: strerror(errno)))")
        }
    }
}
