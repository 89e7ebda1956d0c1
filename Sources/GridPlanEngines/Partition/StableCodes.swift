import GridPlanGeometryValues

/// Numbering of grids inside a unit (and micro-grids inside a grid): north→south in rows,
/// west→east within a row, as the Beijing DB11 and Xi'an standards prescribe (domain-rules
/// A1-4, A1-6). A row is a band one typical part tall, so parts at about the same latitude
/// read left to right.
enum StableCodes {
    /// The order in which to number parts with the given centroids (metric frame).
    static func order(centroids: [Position], rowHeight: Double) -> [Int] {
        let byNorth = centroids.indices.sorted {
            (centroids[$0].y, -centroids[$0].x, -$0) > (centroids[$1].y, -centroids[$1].x, -$1)
        }
        var rows: [[Int]] = []
        var rowTop = Double.infinity
        for i in byNorth {
            if rows.isEmpty || centroids[i].y < rowTop - rowHeight / 2 {
                rows.append([i])
                rowTop = centroids[i].y
            } else {
                rows[rows.count - 1].append(i)
            }
        }
        return rows.flatMap { row in row.sorted { (centroids[$0].x, $0) < (centroids[$1].x, $1) } }
    }

    /// "001"…"999", or wider when a unit has more parts.
    static func sequence(_ n: Int, digits: Int) -> String {
        let text = String(n)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }
}
