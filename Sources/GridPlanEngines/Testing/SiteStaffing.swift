import Foundation
import GridPlanGeometryValues
import GridPlanModel

/// Who works at which sampling site: a minimum-cost flow from people to the posts of the
/// sites, solved exactly by ``MinCostFlow`` over each person's nearest sites within the
/// distance limit, the sites that test the grids the person already serves, and each site's
/// 3 × posts + 4 nearest people, widened for sites left short (see the loop at the end).
/// Then a dual certificate adds any person–site pair within the limit that could still lower
/// the cost, so the result is optimal over every such pair, not only the lists. Each filled
/// post earns a reward larger than any distance, so as many posts as possible are filled;
/// among those, Σ home → site metres is least, less a bonus for serving one's own grid.
enum SiteStaffing {
    struct Post: Sendable {
        var site: Int
        var count: Int
    }

    struct Placement: Sendable, Equatable {
        var person: Int
        var site: Int
        var metres: Int
        var ownGrid: Bool
    }

    /// - Parameters:
    ///   - people: indices into `homes` of the people in this pool.
    ///   - sitesOfPerson: for each person index, the sites testing a grid they serve.
    static func assign(
        people: [Int], homes: [Position], sitePoints: [Position], posts: [Int], sitesOfPerson: [Int: Set<Int>],
        maxMetres: Double, nearestSites: Int = 8, ownGridBonus: Int
    ) -> [Placement] {
        let open = posts.indices.filter { posts[$0] > 0 }
        guard !open.isEmpty, !people.isEmpty else { return [] }
        let index = NearestPoints(open.map { sitePoints[$0] })
        let source = people.count + open.count, sink = source + 1
        var flow = MinCostFlow(nodes: sink + 1)
        let reward = Int(maxMetres) * 4 + ownGridBonus + 1
        var arcs: [(person: Int, site: Int, metres: Int, own: Bool, arc: Int)] = []
        var siteSide = [[(site: Int, metres: Double)]](repeating: [], count: people.count)
        let homeIndex = NearestPoints(people.map { homes[$0] })
        for (s, site) in open.enumerated() {
            for near in homeIndex.nearest(3 * posts[site] + 4, to: sitePoints[site], within: maxMetres) {
                siteSide[near.index].append((s, near.metres))
            }
        }
        // The sites each person is linked to: a handful each, so a scan beats hashing a million pairs.
        var linked = [[Int32]](repeating: [], count: people.count)
        // Position of each site among the open ones (−1: no posts).
        var openSlot = [Int](repeating: -1, count: posts.count)
        for (s, site) in open.enumerated() { openSlot[site] = s }
        for (k, person) in people.enumerated() {
            let home = homes[person]
            // A person's candidates are a few dozen at most: a list with linear look-ups.
            var candidates = index.nearest(nearestSites, to: home, within: maxMetres).map {
                (key: $0.index, value: $0.metres)
            }
            for extra in siteSide[k] where !candidates.contains(where: { $0.key == extra.site }) {
                candidates.append((extra.site, extra.metres))
            }
            let own = sitesOfPerson[person] ?? []
            for site in own.sorted()
            where openSlot[site] >= 0 && !candidates.contains(where: { $0.key == openSlot[site] }) {
                let d = greatCircleMetres(home, sitePoints[site])
                if d <= maxMetres { candidates.append((openSlot[site], d)) }
            }
            flow.addArc(from: source, to: k, capacity: 1, cost: 0)
            for (s, d) in candidates.sorted(by: { $0.key < $1.key }) {
                let metres = Int(d.rounded()), isOwn = own.contains(open[s])
                let arc = flow.addArc(
                    from: k, to: people.count + s, capacity: 1, cost: metres - (isOwn ? ownGridBonus : 0))
                arcs.append((person, open[s], metres, isOwn, arc))
                linked[k].append(Int32(s))
            }
        }
        var siteArc: [Int] = []
        for (s, site) in open.enumerated() {
            siteArc.append(flow.addArc(from: people.count + s, to: sink, capacity: posts[site], cost: -reward))
        }
        flow.addArc(from: sink, to: source, capacity: people.count, cost: 0)
        flow.solve()
        // Sites left short reach further: each round doubles how many of their nearest people
        // they are linked to, and the flow goes on warm, until they are full or linked to
        // everyone within the limit.
        var reach = open.map { 3 * posts[$0] + 4 }
        for _ in 0..<8 {
            var added = false
            for (s, site) in open.enumerated() where flow.flow(siteArc[s]) < posts[site] && reach[s] < people.count {
                reach[s] *= 2
                for near in homeIndex.nearest(reach[s], to: sitePoints[site], within: maxMetres)
                where !linked[near.index].contains(Int32(s)) {
                    let person = people[near.index], metres = Int(near.metres.rounded()),
                        isOwn = sitesOfPerson[person]?.contains(site) ?? false
                    let arc = flow.addArc(
                        from: near.index, to: people.count + s, capacity: 1, cost: metres - (isOwn ? ownGridBonus : 0))
                    arcs.append((person, site, metres, isOwn, arc))
                    linked[near.index].append(Int32(s))
                    added = true
                }
            }
            if !added { break }
            flow.solve()
        }
        // Certificate: the final prices are a dual solution. An arc from any person to any
        // site within the limit that is not in the network must have reduced cost ≥ −1 under
        // them; those that fail are added and the flow goes on warm, until none fails. Then
        // the placement is optimal over every person–site pair within the limit.
        // An arc k → s fails only if α·cost < price(s) − price(k) − 1, and cost ≥ metres − bonus.
        // Sites sit in square cells as wide as the limit, so a person looks at the 3 × 3 cells
        // around home; a flat-earth distance (within 1 % of the great circle at this range)
        // rules out most pairs before the exact distance is needed.
        let grid = CellGrid(
            cellMetres: max(1, maxMetres), latitudes: open.map { sitePoints[$0].y } + people.map { homes[$0].y })
        var cells: [CellKey: [Int]] = [:]
        for (s, site) in open.enumerated() { cells[grid.key(sitePoints[site]), default: []].append(s) }
        let alpha = flow.scale
        while true {
            var added = false
            for (k, person) in people.enumerated() {
                let home = homes[person], ownPrice = flow.price[k]
                let own = sitesOfPerson[person] ?? []
                for neighbour in grid.neighbourhood(home) {
                    for s in cells[neighbour] ?? [] {
                        let site = open[s], q = sitePoints[site]
                        // Degrees of longitude measured at the pair's higher latitude: never longer than on the ground.
                        let toX = Degrees.metresOfLongitude(atLatitude: max(abs(home.y), abs(q.y)))
                        let fx = (q.x - home.x) * toX, fy = (q.y - home.y) * Degrees.metresOfLatitude
                        let flat = (fx * fx + fy * fy).squareRoot() * 0.99
                        let slack = flow.price[people.count + s] - ownPrice - 1
                        guard flat <= maxMetres, alpha * (Int(flat) - ownGridBonus) < slack else { continue }
                        let d = greatCircleMetres(home, q)
                        guard d <= maxMetres else { continue }
                        let metres = Int(d.rounded()), isOwn = own.contains(site),
                            cost = metres - (isOwn ? ownGridBonus : 0)
                        guard alpha * cost < slack, !linked[k].contains(Int32(s)) else { continue }
                        let arc = flow.addArc(from: k, to: people.count + s, capacity: 1, cost: cost)
                        arcs.append((person, site, metres, isOwn, arc))
                        linked[k].append(Int32(s))
                        added = true
                    }
                }
            }
            if !added { break }
            flow.solve()
        }
        return arcs.filter { flow.flow($0.arc) > 0 }.map {
            Placement(person: $0.person, site: $0.site, metres: $0.metres, ownGrid: $0.own)
        }
    }
}
