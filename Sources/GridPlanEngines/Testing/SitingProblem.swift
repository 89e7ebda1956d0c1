import Foundation
import GridPlanGeometryValues

/// One town's siting problem: demand points with weights (people), candidate sites with
/// capacities (people), and the cost of sending one person from a demand point to a site.
///
/// The cost is the straight-line distance in metres plus a penalty beyond the walk limit, so
/// any solution that brings someone within the limit beats every one that does not, and
/// distance decides among the rest. Positions are local metres (``LocalFrame``).
struct SitingProblem: Sendable {
    let weights: [Int]
    let capacities: [Int]
    let userPoints: [(x: Double, y: Double)]
    let candidatePoints: [(x: Double, y: Double)]
    let walkLimit: Double
    /// Row-major users × candidates.
    let cost: [Int]

    static let penaltyMetres = 50_000

    var userCount: Int { weights.count }
    var candidateCount: Int { capacities.count }

    init(
        weights: [Int], capacities: [Int], userPoints: [(x: Double, y: Double)],
        candidatePoints: [(x: Double, y: Double)], walkLimit: Double
    ) {
        precondition(weights.count == userPoints.count && capacities.count == candidatePoints.count)
        self.weights = weights
        self.capacities = capacities
        self.userPoints = userPoints
        self.candidatePoints = candidatePoints
        self.walkLimit = walkLimit
        var cost = [Int](repeating: 0, count: weights.count * capacities.count)
        for u in userPoints.indices {
            let a = userPoints[u]
            for c in candidatePoints.indices {
                let b = candidatePoints[c]
                let d = ((a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y)).squareRoot()
                cost[u * candidatePoints.count + c] = Int(d.rounded()) + (d > walkLimit ? Self.penaltyMetres : 0)
            }
        }
        self.cost = cost
    }

    /// The part of the problem over some users and candidates (indices into this one).
    func restricted(users: [Int], candidates: [Int]) -> SitingProblem {
        SitingProblem(
            weights: users.map { weights[$0] }, capacities: candidates.map { capacities[$0] },
            userPoints: users.map { userPoints[$0] },
            candidatePoints: candidates.map { candidatePoints[$0] }, walkLimit: walkLimit,
            cost: users.flatMap { u in candidates.map { cost(u, $0) } })
    }

    private init(
        weights: [Int], capacities: [Int], userPoints: [(x: Double, y: Double)],
        candidatePoints: [(x: Double, y: Double)], walkLimit: Double,
        cost: [Int]
    ) {
        self.weights = weights
        self.capacities = capacities
        self.userPoints = userPoints
        self.candidatePoints = candidatePoints
        self.walkLimit = walkLimit
        self.cost = cost
    }

    @inline(__always) func cost(_ user: Int, _ candidate: Int) -> Int { cost[user * capacities.count + candidate] }

    /// Straight-line metres, without the penalty.
    func metres(_ user: Int, _ candidate: Int) -> Double {
        let a = userPoints[user], b = candidatePoints[candidate]
        return ((a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y)).squareRoot()
    }

    /// Whether some candidate lies within the walk limit of a user.
    func coverable(_ user: Int) -> Bool {
        (0..<candidateCount).contains { metres(user, $0) <= walkLimit }
    }

    /// Σ weight × cost of an assignment (site per user, −1 for none: not counted).
    func objective(_ assignment: [Int]) -> Int {
        var total = 0
        for u in assignment.indices where assignment[u] >= 0 { total += weights[u] * cost(u, assignment[u]) }
        return total
    }
}
