import Foundation
import GridPlanEngines
import GridPlanIO
import GridPlanModel

/// One live part of the plan (the recall's vessels, the testing round's micro-grids) as the
/// pages see it: every item's state, where each belongs, and for each item the version at which
/// it last changed, so a page asks only for what changed.
struct LivePart<State: Sendable & Equatable, Place: Sendable>: Sendable {
    /// The version at which the part was (re)loaded: a page that knows an older one gets everything.
    var epoch: Int64 = 0
    var states: [State] = []
    var places: [String: Place] = [:]
    var changedAt: [Int64] = []

    /// The items that changed after version `since` (all when `since` is nil or not one of this
    /// part's versions: `version` is the newest), and whether that is all of them.
    func changed(since: Int64?, version: Int64) -> (indices: [Int], full: Bool) {
        let full = since.map { $0 < epoch || $0 > version } ?? true
        return (states.indices.filter { full || changedAt[$0] > since! }, full)
    }

    /// The part after `next` states replaced these at `version`; only the indices in `touched`
    /// can have changed (nil: any).
    func updated(to next: [State], at version: Int64, touched: Set<Int>?) -> LivePart {
        var part = self
        for i in touched.map(Array.init) ?? Array(next.indices)
        where i < part.changedAt.count && (i >= states.count || next[i] != states[i]) {
            part.changedAt[i] = version
        }
        part.states = next
        return part
    }

    /// A part loaded afresh at `version`.
    static func loaded(_ states: [State], places: [String: Place], at version: Int64) -> LivePart {
        LivePart(
            epoch: version, states: states, places: places, changedAt: Array(repeating: version, count: states.count))
    }
}

/// The plan as the live pages see it at one version.
struct PlanView: Sendable {
    /// Increases with every change the server sees. It starts at the server's start time in
    /// milliseconds, so a version a page got from an earlier server process is never taken for
    /// one of this process.
    var version: Int64 = 0
    var recall = LivePart<VesselState, VesselPlace>()
    var testing = LivePart<MicrogridProgress, MicrogridPlace>()
    /// Whom to call about a grid (full-time workers first), loaded with the testing round.
    var gridContacts: [String: [RecallContact]] = [:]
    /// Unit names by code, for the counts per level.
    var unitNames: [String: String] = [:]
}

/// The live state of the plan's recall and testing round, kept current without reading every
/// item and report again: ``catchUp(_:)`` (on the plan's queue) folds in what was recorded
/// since, by the server or by `gridplan recall status` / `testing status` in another process,
/// and reloads a part when a new `gridplan recall` or `testing` replaced it.
final class LivePlan: @unchecked Sendable {
    private let lock = NSLock()
    /// Touched only by ``catchUp(_:)``, which runs on the plan's serial queue.
    private var recall: RecallTally?
    private var testing: TestingTally?
    private var current = PlanView()
    private let start = Int64(Date().timeIntervalSince1970 * 1_000)

    /// The newest view (a copy; its arrays are shared until changed).
    var view: PlanView { lock.withLock { current } }

    /// Brings the view up to the plan; returns its version. Call on the plan's queue.
    @discardableResult
    func catchUp(_ store: PlanStore) throws -> Int64 {
        let recallAt = try store.recallVersion(), testingAt = try store.testingVersion()
        let old = view
        let recallCurrent = recall.map { $0.recallRun == recallAt.run && $0.lastEventID == recallAt.lastEvent }
        let testingCurrent = testing.map { $0.testingRun == testingAt.run && $0.lastEventID == testingAt.lastReport }
        if recallCurrent == true, testingCurrent == true { return old.version }
        var next = old
        next.version = max(old.version + 1, start)
        if old.version == 0 { next.unitNames = try store.unitNames() }
        if recallCurrent != true {
            if var tally = recall, tally.recallRun == recallAt.run {
                let (events, through) = try store.recallEvents(after: tally.lastEventID)
                let touched = tally.add(events, through: through)
                recall = tally
                next.recall = old.recall.updated(to: tally.states, at: next.version, touched: touched)
            } else {
                let tally = try store.recallTally()
                recall = tally
                next.recall = .loaded(tally.states, places: try store.vesselPlaces(), at: next.version)
            }
        }
        if testingCurrent != true {
            if var tally = testing, tally.testingRun == testingAt.run {
                let (reports, through) = try store.testingReports(after: tally.lastEventID)
                let touched = tally.add(reports, through: through)
                testing = tally
                next.testing = old.testing.updated(to: tally.states, at: next.version, touched: touched)
            } else {
                let tally = try store.testingTally()
                testing = tally
                next.testing = .loaded(tally.states, places: try store.microgridPlaces(), at: next.version)
                next.gridContacts = tally.states.isEmpty ? [:] : try store.gridContacts()
            }
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
