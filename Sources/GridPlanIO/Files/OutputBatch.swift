import Foundation
import GridPlanModel

/// A command's output files as one unit: readers end with all the new files or all the old
/// ones, never a mix.
///
/// Every file is first written beside its target under a stage name (`.NAME.stage-TOKEN`).
/// `commit` then writes a journal naming every stage and target, and renames the stages into
/// place. A command killed during the renames leaves its journal; the next command that opens
/// the same plan, or writes into the same folder, finishes the renames. Stages and temporary
/// files of a process that died before its journal was complete are removed.
///
/// When the command also changes a plan (`staff`, `testing`, `recall`), the plan's transaction
/// is the commit point: the journal names the plan and is written before the transaction, the
/// transaction stores the batch's token in the run it records, and a journal whose token the
/// plan does not hold is rolled back (its stages are removed, the old files stay).
public final class OutputBatch {
    /// Unique per batch: the process id (to tell a dead writer from a live one) and a random part.
    public let token: String
    private var entries: [(stage: String?, target: String)] = []
    private var createdFolders: [String] = []
    private var swept: Set<String> = []
    private var protected: [(path: String, why: String)] = []
    private var open = true

    public init() {
        token = "\(getpid())-" + String(UInt64.random(in: 0...UInt64.max), radix: 16)
    }

    /// Refuses (when a file is staged) any target that is this file, under any name.
    public func protect(_ path: String, because why: String) {
        protected.append((path, why))
    }

    /// Creates `path` as a folder if needed (removed again if the batch is discarded while it is empty).
    public func folder(_ path: String) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw InputError(
                    file: path, rule: "output.not-a-folder", "exists and is not a folder; choose another --out")
            }
            return
        }
        // The folders to make, and the nearest existing ancestor, which must be a folder (named, not errno 20).
        var missing: [String] = []
        var step = URL(fileURLWithPath: path).standardizedFileURL
        while !FileManager.default.fileExists(atPath: step.path, isDirectory: &isDirectory) {
            missing.append(step.path)
            step.deleteLastPathComponent()
        }
        guard isDirectory.boolValue else {
            throw InputError(
                file: path, rule: "output.not-a-folder",
                "cannot create this folder: \(step.path) is a file, not a folder; choose another --out")
        }
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw InputError(
                file: path, rule: "output.unwritable", "cannot create the folder: \(StorageFailure.describe(error))")
        }
        createdFolders += missing
    }

    /// Writes `data` as the new content of `target` (staged until `commit`).
    public func write(_ data: Data, to target: String) throws {
        try build(target, rule: "output.unwritable") { stage in
            try data.write(to: URL(fileURLWithPath: stage))
        }
    }

    /// Lets `body` build the new `target` at the stage path it is given (staged until `commit`).
    public func build(_ target: String, rule: String, _ body: (String) throws -> Void) throws {
        let stage = try stage(target)
        do {
            try body(stage)
        } catch {
            throw Self.failure(error, building: target, rule: rule)
        }
    }

    /// The stage path at which the new `target` is to be built (staged until `commit`), for a
    /// command that builds it in steps, around other work; it must be done with the stage
    /// before it commits or discards the batch.
    public func stage(_ target: String) throws -> String {
        precondition(open, "the batch was already committed or discarded")
        try check(target)
        let stage = Self.stagePath(target, token: token)
        entries.append((stage, target))
        return stage
    }

    /// A failure building a staged `target` as the error to report (one naming its file passes through).
    public static func failure(_ error: Error, building target: String, rule: String) -> Error {
        StorageFailure.writeError(error, file: target, rule: rule)
    }

    /// Removes `target` on commit, if it exists (a file of an earlier run this run does not make).
    public func remove(_ target: String) throws {
        precondition(open, "the batch was already committed or discarded")
        try check(target)
        if FileManager.default.fileExists(atPath: target) { entries.append((nil, target)) }
    }

    /// Moves every staged file into place. With `plan`, `planCommit` runs between the journal
    /// and the renames and must store `token` in the plan in the same transaction as its change.
    public func commit(journalIn folder: String, plan: String? = nil, planCommit: (() throws -> Void)? = nil) throws {
        precondition(open, "the batch was already committed or discarded")
        var journal: String?
        do {
            // One rename is atomic on its own; a journal is needed for two or more, or a plan.
            if entries.count > 1 || plan != nil {
                let path = folder + "/" + Self.journalPrefix + token + ".json"
                let record = Journal(
                    token: token, plan: plan.map(Self.standard),
                    files: entries.map { [$0.stage ?? "", Self.standard($0.target)] })
                try AtomicFile.write(try JSONEncoder().encode(record), to: path)
                journal = path
            }
            try planCommit?()
        } catch {
            if let journal { try? FileManager.default.removeItem(atPath: journal) }
            discard()
            throw error
        }
        open = false
        var failures: [String] = []
        for entry in entries {
            if let failure = Self.apply(stage: entry.stage, target: entry.target) { failures.append(failure) }
        }
        if let journal { try? FileManager.default.removeItem(atPath: journal) }
        if let first = failures.first {
            throw InputError(
                file: entries.first?.target, rule: "output.unwritable",
                first + (failures.count > 1 ? " (and \(failures.count - 1) more)" : ""))
        }
    }

    /// Removes every stage and the folders this batch created; the old files stay.
    public func discard() {
        guard open else { return }
        open = false
        for entry in entries { if let stage = entry.stage { Self.removeStage(stage) } }
        for folder in createdFolders
        where (try? FileManager.default.contentsOfDirectory(atPath: folder))?.isEmpty == true {
            try? FileManager.default.removeItem(atPath: folder)
        }
    }

    /// Whether two paths name the same file (same path once resolved, or same device and inode).
    public static func sameFile(_ a: String, _ b: String) -> Bool {
        if standard(a) == standard(b) { return true }
        guard let x = FileIdentity(a), let y = FileIdentity(b) else { return false }
        return x == y
    }

    // MARK: recovery

    /// Finishes or rolls back the journals in `folder` left by dead processes. A journal that
    /// names no plan is finished; one that names `plan` is finished when `isCommitted` says
    /// the plan holds its token, and rolled back otherwise; others are left to their plan.
    public static func recover(
        folder: String, plan: String? = nil, isCommitted: (String) throws -> Bool = { _ in false }
    ) rethrows {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        for name in names.sorted() where name.hasPrefix(journalPrefix) && name.hasSuffix(".json") {
            let path = folder + "/" + name
            guard let data = FileManager.default.contents(atPath: path),
                let record = try? JSONDecoder().decode(Journal.self, from: data)
            else {
                // A journal is written atomically, so an unreadable one is not ours to judge.
                continue
            }
            guard !processAlive(token: record.token) else { continue }
            let forward: Bool
            if let named = record.plan {
                guard let plan, standard(plan) == named else { continue }
                forward = try isCommitted(record.token)
            } else {
                forward = true
            }
            for pair in record.files where pair.count == 2 {
                if forward {
                    _ = apply(stage: pair[0].isEmpty ? nil : pair[0], target: pair[1])
                } else if !pair[0].isEmpty {
                    removeStage(pair[0])
                }
            }
            try? FileManager.default.removeItem(atPath: path)
        }
    }

    /// Removes stages and temporary files (and their SQLite journals) of dead processes in `folder`.
    public static func sweep(folder: String) {
        recover(folder: folder, plan: nil) { _ in false }
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        let pending = Set(
            names.filter { $0.hasPrefix(journalPrefix) }.compactMap { name -> [String]? in
                guard let data = FileManager.default.contents(atPath: folder + "/" + name),
                    let record = try? JSONDecoder().decode(Journal.self, from: data)
                else { return nil }
                return record.files.map { $0[0] }
            }.joined())
        for name in names where name.hasPrefix(".") {
            guard let pid = leftoverPID(name), !processAlive(pid: pid) else { continue }
            let path = URL(fileURLWithPath: folder + "/" + name).standardizedFileURL.path
            if pending.contains(where: { path.hasPrefix($0) }) { continue }
            try? FileManager.default.removeItem(atPath: folder + "/" + name)
        }
    }

    // MARK: private

    static let journalPrefix = ".gridplan-outputs-"

    private struct Journal: Codable {
        var token: String
        var plan: String?
        /// [stage, target]; an empty stage means "remove the target".
        var files: [[String]]
    }

    private func check(_ target: String) throws {
        let folder = URL(fileURLWithPath: target).deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw InputError(
                file: target, rule: "output.folder-missing", "cannot write: folder \(folder) does not exist")
        }
        if FileManager.default.fileExists(atPath: target, isDirectory: &isDirectory), isDirectory.boolValue {
            throw InputError(file: target, rule: "output.not-a-file", "is a folder; choose another output name")
        }
        try AtomicFile.refuseSpecialFile(target)
        for p in protected where Self.sameFile(target, p.path) {
            throw InputError(
                file: target, rule: "output.overwrites-input",
                "would be overwritten, but it is \(p.why); choose another output")
        }
        if !swept.contains(folder) {
            swept.insert(folder)
            Self.sweep(folder: folder)
        }
    }

    static func stagePath(_ target: String, token: String) -> String {
        let url = URL(fileURLWithPath: target)
        return url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).stage-\(token)").path
    }

    /// Moves a stage into place (or removes the target); returns why it failed.
    private static func apply(stage: String?, target: String) -> String? {
        guard let stage else {
            if unlink(target) != 0 && errno != ENOENT {
                return "cannot remove \(target): \(String(cString: strerror(errno)))"
            }
            return nil
        }
        guard FileManager.default.fileExists(atPath: stage) else { return nil }
        if rename(stage, target) != 0 {
            return "cannot move \(stage) to \(target): \(String(cString: strerror(errno)))"
        }
        for suffix in ["-journal", "-wal", "-shm"] { unlink(stage + suffix) }
        return nil
    }

    private static func removeStage(_ stage: String) {
        for suffix in ["", "-journal", "-wal", "-shm"] { unlink(stage + suffix) }
    }

    /// The writer's process id in a stage or temporary file name (`.x.stage-PID-…`, `.x.tmp-PID-…`).
    static func leftoverPID(_ name: String) -> Int32? {
        for marker in [".stage-", ".tmp-"] {
            guard let range = name.range(of: marker, options: .backwards) else { continue }
            let digits = name[range.upperBound...].prefix { $0.isNumber }
            guard !digits.isEmpty, name[range.upperBound...].dropFirst(digits.count).first == "-" else { continue }
            return Int32(digits)
        }
        return nil
    }

    private static func processAlive(token: String) -> Bool {
        guard let pid = Int32(token.prefix { $0.isNumber }) else { return false }
        return processAlive(pid: pid)
    }

    static func processAlive(pid: Int32) -> Bool {
        guard pid > 0 else { return false }
        return kill(pid, 0) == 0 || errno == EPERM
    }

    static func standard(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }
}

/// A file's device and inode: the same file under two names (a hard link, `./x` and `x`).
struct FileIdentity: Equatable {
    var device: UInt64
    var inode: UInt64

    init?(_ path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
    }
}
