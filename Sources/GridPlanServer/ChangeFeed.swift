/// The newest recall event id, and everyone waiting for it to change (the live pages' streams).
/// Bumped by the server right after it commits a report, and by a poller that reads the plan,
/// so reports recorded by `gridplan recall status` in another process show up too.
actor ChangeFeed {
    private(set) var sequence: Int64
    private var waiting: [Int: CheckedContinuation<Int64, Never>] = [:]
    private var nextWaiter = 0

    init(sequence: Int64) { self.sequence = sequence }

    /// Records that the newest event is `value` (ignored unless newer) and wakes the waiters.
    func bump(to value: Int64) {
        guard value > sequence else { return }
        sequence = value
        let woken = waiting
        waiting = [:]
        for (_, continuation) in woken { continuation.resume(returning: value) }
    }

    /// The sequence once it is above `seen`, or the current one after `seconds` (a heartbeat).
    func next(after seen: Int64, timeout seconds: Double) async -> Int64 {
        if sequence > seen { return sequence }
        let id = nextWaiter
        nextWaiter += 1
        let timer = Task {
            try? await Task.sleep(nanoseconds: UInt64(seconds * 1e9))
            self.timeOut(id)
        }
        let value = await withCheckedContinuation { continuation in waiting[id] = continuation }
        timer.cancel()
        return value
    }

    private func timeOut(_ id: Int) {
        waiting.removeValue(forKey: id)?.resume(returning: sequence)
    }
}
