import Foundation

/// A value handed to the threads of `DispatchQueue.concurrentPerform` that the compiler cannot
/// prove safe to share: the caller guarantees that the threads only read it, or that each
/// thread uses its own part of it (a worker per thread).
public struct Unshared<Value>: @unchecked Sendable {
    public let value: Value
    public init(value: Value) { self.value = value }
}

/// Runs `first` and `second` on two threads at once and returns both results (the first
/// error, in that order, is thrown). The caller guarantees that the two share nothing that
/// either writes: in particular each uses its own GEOS context.
public func sideBySide<A, B>(_ first: () throws -> A, _ second: () throws -> B) throws -> (A, B) {
    let results = SideBySideResults<A, B>()
    withoutActuallyEscaping(first) { first in
        withoutActuallyEscaping(second) { second in
            let jobs = Unshared(value: (first, second))
            // Each thread writes its own field of `results`.
            DispatchQueue.concurrentPerform(iterations: 2) { i in
                if i == 0 {
                    results.first = Result { try jobs.value.0() }
                } else {
                    results.second = Result { try jobs.value.1() }
                }
            }
        }
    }
    return (try results.first!.get(), try results.second!.get())
}

/// ``sideBySide(_:_:)`` for work that cannot fail.
public func sideBySide<A, B>(_ first: () -> A, _ second: () -> B) -> (A, B) {
    // The throwing form rethrows only what the closures throw: nothing here.
    try! sideBySide({ () throws -> A in first() }, { () throws -> B in second() })
}

private final class SideBySideResults<A, B>: @unchecked Sendable {
    var first: Result<A, Error>?
    var second: Result<B, Error>?
}
