/// A static R-tree over bounding boxes, packed by Sort-Tile-Recursive (Leutenegger et al.,
/// 1997). Pure Swift and `Sendable`, so engines can share one across tasks; items are the
/// indices of the boxes it was built from.
public struct STRTree: Sendable {
    private struct Node: Sendable {
        var box: BoundingBox
        /// Children are node indices (inner) or item indices (leaf), stored in `start..<end`.
        var start: Int
        var end: Int
        var isLeaf: Bool
    }

    private var nodes: [Node] = []
    private var slots: [Int] = []
    private var root: Int?
    private let itemBoxes: [BoundingBox?]
    public let nodeCapacity: Int

    /// Builds the tree; `boxes[i]` is the box of item `i` (nil for items with no extent).
    public init(boxes: [BoundingBox?], nodeCapacity: Int = 16) {
        self.nodeCapacity = max(2, nodeCapacity)
        self.itemBoxes = boxes
        var level: [(box: BoundingBox, ref: Int)] = boxes.enumerated().compactMap { i, b in b.map { ($0, i) } }
        if level.isEmpty { return }
        var leaf = true
        while true {
            let packed = pack(level)
            var next: [(box: BoundingBox, ref: Int)] = []
            for group in packed {
                var box = group[0].box
                for e in group.dropFirst() { box.extend(e.box) }
                let start = slots.count
                slots.append(contentsOf: group.map(\.ref))
                nodes.append(Node(box: box, start: start, end: slots.count, isLeaf: leaf))
                next.append((box, nodes.count - 1))
            }
            leaf = false
            if next.count == 1 {
                root = next[0].ref
                return
            }
            level = next
        }
    }

    private func pack(_ entries: [(box: BoundingBox, ref: Int)]) -> [[(box: BoundingBox, ref: Int)]] {
        let leafCount = (entries.count + nodeCapacity - 1) / nodeCapacity
        let sliceCount = Int(Double(leafCount).squareRoot().rounded(.up))
        let sliceSize = sliceCount * nodeCapacity
        // Sorted by the centres' x, then within each slice by their y (ties by ref): the
        // centres are computed once, not in every comparison.
        let centreX = entries.map { $0.box.center.x }, centreY = entries.map { $0.box.center.y }
        let byX = entries.indices.sorted { a, b in
            centreX[a] < centreX[b] || (centreX[a] == centreX[b] && entries[a].ref < entries[b].ref)
        }
        var groups: [[(box: BoundingBox, ref: Int)]] = []
        var s = 0
        while s < byX.count {
            let slice = byX[s..<min(s + sliceSize, byX.count)].sorted { a, b in
                centreY[a] < centreY[b] || (centreY[a] == centreY[b] && entries[a].ref < entries[b].ref)
            }.map { entries[$0] }
            var g = 0
            while g < slice.count {
                groups.append(
                    Array(slice[(slice.startIndex + g)..<min(slice.startIndex + g + nodeCapacity, slice.endIndex)]))
                g += nodeCapacity
            }
            s += sliceSize
        }
        return groups
    }

    /// Indices of the items whose boxes intersect `box`, in ascending order.
    public func query(_ box: BoundingBox) -> [Int] {
        var found: [Int] = []
        _ = visit(box) { item in
            found.append(item)
            return false
        }
        return found.sorted()
    }

    /// Whether an item whose box intersects `box` satisfies `test`; items are tried in tree
    /// order (not ascending), and the search stops at the first that does.
    public func contains(intersecting box: BoundingBox, where test: (Int) -> Bool) -> Bool {
        visit(box, test)
    }

    /// Calls `body` on each item whose box intersects `box`, in tree order, until it returns true.
    private func visit(_ box: BoundingBox, _ body: (Int) -> Bool) -> Bool {
        guard let root else { return false }
        var stack = [root]
        while let n = stack.popLast() {
            let node = nodes[n]
            guard node.box.intersects(box) else { continue }
            if node.isLeaf {
                for item in slots[node.start..<node.end] where itemBoxes[item]!.intersects(box) {
                    if body(item) { return true }
                }
            } else {
                stack.append(contentsOf: slots[node.start..<node.end])
            }
        }
        return false
    }
}
