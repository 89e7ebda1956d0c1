/// Disjoint sets over 0..<count with path halving: which items end up together.
struct UnionFind {
    private var parent: [Int]

    init(count: Int) { parent = Array(0..<count) }

    mutating func root(_ i: Int) -> Int {
        var i = i
        while parent[i] != i {
            parent[i] = parent[parent[i]]
            i = parent[i]
        }
        return i
    }

    /// Puts `a`'s set under `b`'s root.
    mutating func join(_ a: Int, into b: Int) {
        let (ra, rb) = (root(a), root(b))
        if ra != rb { parent[ra] = rb }
    }
}
