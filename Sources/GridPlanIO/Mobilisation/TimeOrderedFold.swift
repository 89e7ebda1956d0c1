import Foundation

/// A stored report that a live state folds in the order things happened.
public protocol TimeOrderedEvent: Sendable {
    var id: Int64 { get }
    /// As stored: ISO 8601 UTC to the second, so text order is time order.
    var time: String { get }
}

extension TimeOrderedEvent {
    /// The fold's order: by time, then by id (the order they were recorded in).
    func precedes(_ other: some TimeOrderedEvent) -> Bool { (time, id) < (other.time, other.id) }
}

/// Reports folded into states a batch at a time, always in the order they happened: a batch
/// that happened after everything folded so far is applied to the states as they are; a report
/// that happened earlier (a phone that was offline) makes the states be folded again from the
/// plan, so the result is the same as folding every report at once. The live server keeps one
/// per plan part instead of reading all reports again after each one.
public struct TimeOrderedFold<Event: TimeOrderedEvent, State: Sendable>: Sendable {
    public private(set) var states: [State]
    /// The newest report id read (0: none).
    public private(set) var lastEventID: Int64 = 0
    private let planned: [State]
    private var events: [Event] = []
    private let apply: @Sendable (inout [State], [Event]) -> Set<Int>

    /// `apply` folds a batch (in order) into the states and returns the indices it touched.
    init(planned: [State], apply: @escaping @Sendable (inout [State], [Event]) -> Set<Int>) {
        self.planned = planned
        states = planned
        self.apply = apply
    }

    /// Folds in reports recorded after ``lastEventID``; `through` is the newest id read (a
    /// report of a kind this release does not know is read but not folded). Returns the
    /// indices of the states that may have changed, or nil when all were folded again.
    @discardableResult
    mutating func add(_ new: [Event], through: Int64) -> Set<Int>? {
        let fresh = new.filter { $0.id > lastEventID }.sorted { $0.precedes($1) }
        lastEventID = max(lastEventID, through)
        guard !fresh.isEmpty else { return [] }
        if let last = events.last, fresh[0].precedes(last) {
            events = (events + fresh).sorted { $0.precedes($1) }
            states = planned
            _ = apply(&states, events)
            return nil
        }
        events += fresh
        return apply(&states, fresh)
    }
}
