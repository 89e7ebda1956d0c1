import Foundation
import GridPlanIO
import GridPlanModel

/// The recall as the live pages see it at one version: every vessel's state, where each belongs,
/// and for each vessel the version at which it last changed, so a page asks only for what changed.
struct RecallView: Sendable {
    /// Increases with every change the server sees. It starts at the server's start time in
    /// milliseconds, so a version a page got from an earlier server process is never taken for
    /// one of this process.
    var version: Int64
    /// The version at which the recall was (re)loaded: a page that knows an older one gets everything.
    var epoch: Int64
    var states: [VesselState]
    var places: [String: VesselPlace]
    var changedAt: [Int64]

    static let empty = RecallView(version: 0, epoch: 0, states: [], places: [:], changedAt: [])
}

/// The live state of the plan's recall, kept current without reading every vessel and event
/// again: ``catchUp(_:)`` (on the plan's queue) folds in what was recorded since, by the server
/// or by `gridplan recall status` in another process, and reloads everything when a new
/// `gridplan recall` replaced the recall.
final class LiveRecall: @unchecked Sendable {
    private let lock = NSLock()
    /// Touched only by ``catchUp(_:)``, which runs on the plan's serial queue.
    private var tally: RecallTally?
    private var current = RecallView.empty
    private let start = Int64(Date().timeIntervalSince1970 * 1_000)

    /// The newest view (a copy; its arrays are shared until changed).
    var view: RecallView {
        lock.withLock { current }
    }

    /// Brings the view up to the plan; returns its version. Call on the plan's queue.
    @discardableResult
    func catchUp(_ store: PlanStore) throws -> Int64 {
        let (run, lastEvent) = try store.recallVersion()
        let old = view
        if let tally, tally.recallRun == run, tally.lastEventID == lastEvent, old.version > 0 { return old.version }
        var next = old
        next.version = max(old.version + 1, start)
        if let current = tally, current.recallRun == run {
            var updated = current
            let (events, through) = try store.recallEvents(after: current.lastEventID)
            updated.add(events, through: through)
            tally = updated
            next.states = updated.states
            for i in next.states.indices where next.states[i] != old.states[i] {
                next.changedAt[i] = next.version
            }
        } else {
            let loaded = try store.recallTally()
            tally = loaded
            next.states = loaded.states
            next.places = try store.vesselPlaces()
            next.changedAt = Array(repeating: next.version, count: loaded.states.count)
            next.epoch = next.version
        }
        lock.withLock { current = next }
        return next.version
    }
}

/// Answers built once per view and shared by every request that asks for the same one while it
/// is being built or after (after a report, every command page asks at once); when full it is
/// emptied (entries are cheap to remake).
final class SharedAnswers: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [String: Task<Data, Error>] = [:]
    private let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    func answer(_ key: String, build: @escaping @Sendable () async throws -> Data) async throws -> Data {
        let task = lock.withLock {
            if let existing = entries[key] { return existing }
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            let task = Task { try await build() }
            entries[key] = task
            return task
        }
        do {
            return try await task.value
        } catch {
            // A failure is not kept: the next request tries again.
            lock.withLock {
                if entries[key] == task { entries[key] = nil }
            }
            throw error
        }
    }
}
