/// Splits an integer total in proportion to weights so the parts sum exactly to the total
/// (Hamilton's method; ties go to the earlier part, so the result is deterministic).
enum LargestRemainder {
    static func apportion(_ total: Int, weights: [Double]) -> [Int] {
        guard !weights.isEmpty else { return [] }
        let sum = weights.reduce(0, +)
        guard total > 0, sum > 0 else { return weights.map { _ in 0 } }
        let exact = weights.map { $0 / sum * Double(total) }
        var parts = exact.map { Int($0.rounded(.down)) }
        let order = exact.indices.sorted { (exact[$0] - Double(parts[$0]), -$0) > (exact[$1] - Double(parts[$1]), -$1) }
        for i in order.prefix(total - parts.reduce(0, +)) { parts[i] += 1 }
        return parts
    }
}
