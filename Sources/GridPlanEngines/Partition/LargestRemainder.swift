/// Splits an integer total in proportion to weights so the parts sum exactly to the total
/// (Hamilton's method; ties go to the earlier part, so the result is deterministic).
enum LargestRemainder {
    static func apportion(_ total: Int, weights: [Double]) -> [Int] {
        guard !weights.isEmpty else { return [] }
        // Negative, NaN and infinite weights would poison the sum: negative and NaN weigh
        // nothing, infinite weights share everything between them, and finite weights are
        // scaled by the largest so that their sum cannot overflow.
        let scaled: [Double]
        if weights.contains(.infinity) {
            scaled = weights.map { $0 == .infinity ? 1 : 0 }
        } else {
            let finite = weights.map { $0.isFinite && $0 > 0 ? $0 : 0 }
            let largest = finite.max() ?? 0
            scaled = finite.map { largest > 0 ? $0 / largest : 0 }
        }
        let sum = scaled.reduce(0, +)
        guard total > 0, sum > 0 else { return weights.map { _ in 0 } }
        let exact = scaled.map { $0 / sum * Double(total) }
        var parts = exact.map { Int($0.rounded(.down)) }
        let order = exact.indices.sorted { (exact[$0] - Double(parts[$0]), -$0) > (exact[$1] - Double(parts[$1]), -$1) }
        for i in order.prefix(total - parts.reduce(0, +)) { parts[i] += 1 }
        return parts
    }
}
