import Foundation

/// Results written by parallel workers into their own slots.
public final class ConcurrentSlots<Value: Sendable>: @unchecked Sendable {
    private var values: [Value?]
    private let lock = NSLock()
    public init(count: Int) { values = Array(repeating: nil, count: count) }
    public func set(_ i: Int, _ v: Value) { lock.lock(); values[i] = v; lock.unlock() }
    public func get(_ i: Int) -> Value? { lock.lock(); defer { lock.unlock() }; return values[i] }
}

final class ConcurrentCounter: @unchecked Sendable {
    private var value = 0
    private let lock = NSLock()
    func increment() -> Int { lock.lock(); defer { lock.unlock() }; value += 1; return value }
}

/// A value handed to the threads of `DispatchQueue.concurrentPerform` that the compiler cannot
/// prove safe to share: the caller guarantees that the threads only read it, or that each
/// thread uses its own part of it (a worker per thread).
struct Unshared<Value>: @unchecked Sendable {
    let value: Value
}
