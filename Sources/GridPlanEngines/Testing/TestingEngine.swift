import Foundation
import GridPlanGeometry
import GridPlanGeometryValues
import GridPlanModel

/// A plan for one round of mass testing on the plan's micro-grids.
public struct TestingResult: Sendable {
    public struct Site: Sendable {
        public var site: SamplingSite
        public var load: Int
        public var capacity: Int
        /// Tables opened (fewer than the site has when its load is light) and people per hour.
        public var tables: Int
        public var perHour: Int
        public var samplers: Int
        public var registrars: Int
        public var marshals: Int
        public var doorToDoorTeams: Int
        public var tubes: Int
        public var microGrids: Int
        public var meanWalkMetres: Double
        public var maxWalkMetres: Double
        /// Minute the queue ends, from the start of sampling.
        public var lastMinute: Int
        /// People due per hour of sampling.
        public var hourlyLoad: [Int]
    }

    /// A micro-grid (or, when it is larger than any site, a part of it) and where it goes.
    public struct Visit: Sendable {
        public var demand: Int
        /// People of the micro-grid in this visit (all of them unless it was split).
        public var people: Int
        public var part: Int
        public var parts: Int
        /// Index into `sites`, or −1 when no site had room.
        public var site: Int
        public var walkMetres: Double
        public var startMinute: Int
        public var endMinute: Int
    }

    public struct HomeStop: Sendable {
        public var home: HomeVisit
        public var microGridCode: String?
        /// Index into `sites`, or −1 when its micro-grid has no site.
        public var site: Int
        public var team: Int
        /// Minutes from the start of sampling.
        public var minute: Int
    }

    public struct Duty: Sendable {
        public var person: Int
        public var site: Int
        public var duty: TestingDuty
        public var metres: Int
        /// True when the site tests a grid the person serves; otherwise they reinforce it.
        public var ownGrid: Bool
    }

    public var demands: [TestingDemand]
    public var sites: [Site]
    public var visits: [Visit]
    public var homeStops: [HomeStop]
    /// The staff pool (from the plan's last staffing) and their duties.
    public var people: [StaffMember]
    public var postsOf: [String: [String]]
    public var duties: [Duty]
    public var verdict: TestingVerdict
    public var rules: TestingRules
    /// Wall time of the run, filled by the workflow that timed it (engines read no clock).
    public var seconds: Double
}

/// Can the pool meet the deadline, and if not, what is missing.
public struct TestingVerdict: Sendable {
    public var feasible: Bool
    public var population: Int
    public var servedPopulation: Int
    /// People beyond the walk although a candidate site lies within it, and people with no
    /// candidate within the walk at all (the geometry does not allow it).
    public var beyondWalkCoverable: Int
    public var beyondWalkUncoverable: Int
    public var samplersNeeded: Int
    public var samplersAvailable: Int
    public var samplersPlaced: Int
    public var helpersNeeded: Int
    public var helpersAvailable: Int
    public var helpersPlaced: Int
    /// More automatic-size sites needed for the people left without room.
    public var extraSitesNeeded: Int
    /// Hours the whole round takes with the samplers available (the deadline when enough).
    public var hoursWithPool: Double
    /// Helpers serving at a site that does not test their own grid.
    public var reinforcements: Int
    public var tubes: Int
}

/// Plans a testing round: sites per town (``CapacitatedSiting``), slots per micro-grid
/// (``SamplingSchedule``), door-to-door rounds (``DoorToDoorRounds``), people per site
/// (``SiteStaffing``) and the verdict.
public enum TestingEngine {
    /// - Parameters:
    ///   - sites: candidate sites from a sites file; nil for automatic sites at micro-grid points.
    ///   - people: the staff pool; `postsOf` maps a person id to the grids they serve.
    ///   - homes: households to sample at home, each with the micro-grid it lies in.
    public static func run(
        demands: [TestingDemand], sites given: [SamplingSite]?, people: [StaffMember], postsOf: [String: [String]],
        homes: [(visit: HomeVisit, microGridCode: String?)] = [], rules: TestingRules = TestingRules(),
        progress: @Sendable (String) -> Void = { _ in }
    ) -> TestingResult {
        let towns = Dictionary(
            grouping: demands.indices.filter { demands[$0].population > 0 }, by: { demands[$0].townCode })
        let townCodes = towns.keys.sorted()
        let candidatesOf = Dictionary(grouping: (given ?? []).indices, by: { given![$0].townCode })
        progress(
            "siting in \(townCodes.count) towns "
                + "(\(given == nil ? "automatic sites at micro-grid points" : "\(given!.count) given sites"))"
        )
        // Towns are independent: solved in parallel, largest first (so no big town starts last
        // and runs alone on one core), merged in code order.
        let solved = ConcurrentSlots<TownPlan>(count: townCodes.count)
        let done = ConcurrentCounter()
        let largestFirst = townCodes.indices.sorted {
            (-towns[townCodes[$0]]!.count, $0) < (-towns[townCodes[$1]]!.count, $1)
        }
        DispatchQueue.concurrentPerform(iterations: townCodes.count) { k in
            let t = largestFirst[k]
            let code = townCodes[t]
            let candidates: [SamplingSite] =
                given.map { g in (candidatesOf[code] ?? []).map { g[$0] } }
                ?? towns[code]!.map { d in
                    SamplingSite(
                        id: "S" + demands[d].microGridCode, name: "auto at micro-grid \(demands[d].microGridCode)",
                        point: demands[d].point,
                        townCode: code, tables: rules.tablesPerSite.value, given: false)
                }
            solved.set(t, planTown(demands: demands, users: towns[code]!, candidates: candidates, rules: rules))
            let n = done.increment()
            if n % 10 == 0 || n == townCodes.count { progress("sited \(n) of \(townCodes.count) towns") }
        }
        var sites: [TestingResult.Site] = []
        var visits: [TestingResult.Visit] = []
        var uncoverable = 0, coverableBeyond = 0
        for t in townCodes.indices {
            let plan = solved.get(t)!
            let offset = sites.count
            sites += plan.sites
            visits += plan.visits.map {
                var v = $0; if v.site >= 0 { v.site += offset }; return v
            }
            uncoverable += plan.beyondUncoverable
            coverableBeyond += plan.beyondCoverable
        }
        // Door-to-door rounds after each site's queue, at the end of the sampling hours.
        let siteOfMicroGrid = Dictionary(
            visits.filter { $0.site >= 0 }.map { (demands[$0.demand].microGridCode, $0.site) }, uniquingKeysWith: min)
        var homeStops: [TestingResult.HomeStop] = []
        var homesOfSite: [Int: [Int]] = [:]
        for (k, h) in homes.enumerated() {
            let site = h.microGridCode.flatMap { siteOfMicroGrid[$0] } ?? -1
            homeStops.append(
                TestingResult.HomeStop(home: h.visit, microGridCode: h.microGridCode, site: site, team: 0, minute: 0))
            if site >= 0 { homesOfSite[site, default: []].append(k) }
        }
        let windowStart = Int((rules.samplingHours.value * 60).rounded())
        for (site, list) in homesOfSite.sorted(by: { $0.key < $1.key }) {
            let frame = localFrame([sites[site].site.point])
            let stops = DoorToDoorRounds.plan(
                site: metres(frame, sites[site].site.point),
                homes: list.map { ($0, metres(frame, homes[$0].visit.point)) },
                perTeam: rules.householdsPerDoorToDoorTeam,
                minutesPerHousehold: rules.doorToDoorMinutesPerHousehold.value)
            for stop in stops {
                homeStops[stop.household].team = stop.team
                homeStops[stop.household].minute = windowStart + stop.minute
            }
            sites[site].doorToDoorTeams = (stops.map(\.team).max() ?? 0)
            sites[site].samplers += sites[site].doorToDoorTeams
            sites[site].tubes += list.count
        }
        // People per site.
        progress("placing samplers, registrars and marshals at \(sites.count) sites")
        let duties = staffSites(
            sites: &sites, visits: visits, demands: demands, people: people, postsOf: postsOf, rules: rules)
        let verdict = judge(
            sites: sites, visits: visits, demands: demands, people: people, duties: duties,
            coverableBeyond: coverableBeyond,
            uncoverable: uncoverable, rules: rules)
        return TestingResult(
            demands: demands, sites: sites, visits: visits, homeStops: homeStops, people: people, postsOf: postsOf,
            duties: duties,
            verdict: verdict, rules: rules, seconds: 0)
    }

    struct TownPlan: Sendable {
        var sites: [TestingResult.Site]
        var visits: [TestingResult.Visit]
        var beyondCoverable: Int
        var beyondUncoverable: Int
    }

    /// Sites, assignment and slots of one town.
    static func planTown(
        demands: [TestingDemand], users: [Int], candidates all: [SamplingSite], rules: TestingRules
    ) -> TownPlan {
        // A site whose hours are too short to sample one person cannot serve (and would split
        // micro-grids into single people below).
        let candidates = all.filter { rules.siteCapacity(tables: $0.tables, hours: $0.hours) > 0 }
        let capacities = candidates.map { rules.siteCapacity(tables: $0.tables, hours: $0.hours) }
        let largest = max(1, capacities.max() ?? rules.siteCapacity(tables: rules.tablesPerSite.value))
        // A micro-grid larger than any site is split into equal parts that fit.
        var parts: [(demand: Int, people: Int, part: Int, parts: Int)] = []
        for d in users {
            let n = demands[d].population, k = (n + largest - 1) / largest
            for i in 0..<k { parts.append((d, n / k + (i < n % k ? 1 : 0), i + 1, k)) }
        }
        let frame = localFrame(users.map { demands[$0].point })
        let problem = SitingProblem(
            weights: parts.map(\.people), capacities: capacities,
            userPoints: parts.map { metres(frame, demands[$0.demand].point) },
            candidatePoints: candidates.map { metres(frame, $0.point) }, walkLimit: rules.walkLimitMetres)
        let solution = CapacitatedSiting.solve(problem)
        var visits = parts.indices.map { k in
            let s = solution.assignment.site[k]
            return TestingResult.Visit(
                demand: parts[k].demand, people: parts[k].people, part: parts[k].part, parts: parts[k].parts, site: s,
                walkMetres: s >= 0 ? problem.metres(k, s) : 0, startMinute: 0, endMinute: 0)
        }
        var beyondCoverable = 0, beyondUncoverable = 0
        for k in parts.indices where solution.assignment.site[k] >= 0 && visits[k].walkMetres > problem.walkLimit {
            if problem.coverable(k) { beyondCoverable += parts[k].people } else { beyondUncoverable += parts[k].people }
        }
        var sites: [TestingResult.Site] = []
        for c in solution.open where solution.assignment.load[c] > 0 {
            let candidate = candidates[c]
            let members = parts.indices.filter { solution.assignment.site[$0] == c }
                .sorted {
                    (demands[parts[$0].demand].microGridCode, parts[$0].part) < (
                        demands[parts[$1].demand].microGridCode, parts[$1].part
                    )
                }
            let load = members.reduce(0) { $0 + parts[$1].people }
            let hours = min(candidate.hours ?? rules.samplingHours.value, rules.samplingHours.value)
            let perTable = max(1, Int((Double(rules.peoplePerTablePerHour) * hours).rounded(.down)))
            let tables = min(candidate.tables, max(1, (load + perTable - 1) / perTable))
            let perHour = tables * rules.peoplePerTablePerHour
            let slots = SamplingSchedule.slots(people: members.map { parts[$0].people }, perHour: perHour)
            for (k, member) in members.enumerated() {
                visits[member].site = sites.count
                visits[member].startMinute = slots[k].startMinute
                visits[member].endMinute = slots[k].endMinute
            }
            let walks = members.map { visits[$0].walkMetres }
            sites.append(
                TestingResult.Site(
                    site: candidate, load: load, capacity: capacities[c], tables: tables, perHour: perHour,
                    samplers: max(tables, (load + rules.peoplePerSampler - 1) / rules.peoplePerSampler),
                    registrars: tables * rules.registrarsPerTable.value, marshals: rules.marshalsPerSite.value,
                    doorToDoorTeams: 0,
                    tubes: (load + rules.poolSize.value - 1) / rules.poolSize.value,
                    microGrids: Set(members.map { parts[$0].demand }).count,
                    meanWalkMetres: walks.reduce(0, +) / Double(max(1, walks.count)), maxWalkMetres: walks.max() ?? 0,
                    lastMinute: slots.last?.endMinute ?? 0,
                    hourlyLoad: SamplingSchedule.hourlyLoad(total: load, perHour: perHour)))
        }
        for k in visits.indices where solution.assignment.site[k] < 0 { visits[k].site = -1 }
        return TownPlan(
            sites: sites, visits: visits, beyondCoverable: beyondCoverable, beyondUncoverable: beyondUncoverable)
    }

    /// The partition's local metric frame, centred on the points' box.
    static func localFrame(_ points: [Position]) -> LocalFrame {
        LocalFrame(around: BoundingBox(around: points)!)
    }

    static func metres(_ frame: LocalFrame, _ p: Position) -> (x: Double, y: Double) {
        let q = frame.forward(p)
        return (q.x, q.y)
    }

    /// Samplers from the medical staff; registrars, marshals and escorts from grid workers,
    /// party members and volunteers (grid leaders stay in command of their grids).
    static func staffSites(
        sites: inout [TestingResult.Site], visits: [TestingResult.Visit], demands: [TestingDemand],
        people: [StaffMember],
        postsOf: [String: [String]], rules: TestingRules
    ) -> [TestingResult.Duty] {
        var sitesOfGrid: [String: Set<Int>] = [:]
        for v in visits where v.site >= 0 { sitesOfGrid[demands[v.demand].gridCode, default: []].insert(v.site) }
        var sitesOfPerson: [Int: Set<Int>] = [:]
        for (i, p) in people.enumerated() {
            for grid in postsOf[p.id] ?? [] { sitesOfPerson[i, default: []].formUnion(sitesOfGrid[grid] ?? []) }
        }
        let homes = people.map(\.home), points = sites.map(\.site.point)
        let maxMetres = rules.maxStaffDistanceKm.value * 1000
        let medical = people.indices.filter { people[$0].available && people[$0].role == .medical }
        let helpers = people.indices.filter {
            people[$0].available && [.fullTime, .partTime, .partyMember, .volunteer].contains(people[$0].role)
        }
        var duties: [TestingResult.Duty] = []
        // Samplers (medical staff) and helpers are separate pools: two flows, one per core.
        let pools = [
            (medical, sites.map(\.samplers)), (helpers, sites.map { $0.registrars + $0.marshals + $0.doorToDoorTeams }),
        ]
        let flows = ConcurrentSlots<[SiteStaffing.Placement]>(count: 2)
        let ownSites = sitesOfPerson
        DispatchQueue.concurrentPerform(iterations: 2) { k in
            flows.set(
                k,
                SiteStaffing.assign(
                    people: pools[k].0, homes: homes, sitePoints: points, posts: pools[k].1, sitesOfPerson: ownSites,
                    maxMetres: maxMetres,
                    ownGridBonus: rules.ownGridBonusMetres.value))
        }
        let samplers = flows.get(0)!, placed = flows.get(1)!
        duties += samplers.map {
            TestingResult.Duty(person: $0.person, site: $0.site, duty: .sampler, metres: $0.metres, ownGrid: $0.ownGrid)
        }
        // At each site: own-grid people and the nearest first; registrars, then marshals, then escorts.
        for (site, list) in Dictionary(grouping: placed, by: \.site).sorted(by: { $0.key < $1.key }) {
            let ordered = list.sorted {
                ($0.ownGrid ? 0 : 1, $0.metres, people[$0.person].id) < (
                    $1.ownGrid ? 0 : 1, $1.metres, people[$1.person].id
                )
            }
            for (k, p) in ordered.enumerated() {
                let duty: TestingDuty =
                    k < sites[site].registrars
                    ? .registrar : k < sites[site].registrars + sites[site].marshals ? .marshal : .escort
                duties.append(
                    TestingResult.Duty(person: p.person, site: site, duty: duty, metres: p.metres, ownGrid: p.ownGrid))
            }
        }
        return duties.sorted { ($0.site, $0.duty, people[$0.person].id) < ($1.site, $1.duty, people[$1.person].id) }
    }

    static func judge(
        sites: [TestingResult.Site], visits: [TestingResult.Visit], demands: [TestingDemand], people: [StaffMember],
        duties: [TestingResult.Duty],
        coverableBeyond: Int, uncoverable: Int, rules: TestingRules
    ) -> TestingVerdict {
        let population = demands.reduce(0) { $0 + $1.population }
        let served = visits.filter { $0.site >= 0 }.reduce(0) { $0 + $1.people }
        let samplersNeeded = sites.reduce(0) { $0 + $1.samplers }
        let helpersNeeded = sites.reduce(0) { $0 + $1.registrars + $1.marshals + $1.doorToDoorTeams }
        let samplersAvailable = people.filter { $0.available && $0.role == .medical }.count
        let helpersAvailable = people.filter {
            $0.available && [.fullTime, .partTime, .partyMember, .volunteer].contains($0.role)
        }.count
        let samplersPlaced = duties.filter { $0.duty == .sampler }.count
        let helpersPlaced = duties.count - samplersPlaced
        let autoCapacity = rules.siteCapacity(tables: rules.tablesPerSite.value)
        let extraSites = (population - served + autoCapacity - 1) / autoCapacity
        let hoursWithPool =
            samplersAvailable == 0
            ? .infinity
            : max(
                rules.deadlineHours.value,
                24 * Double(population) / Double(samplersAvailable * rules.peoplePerSamplerPerDay.value))
        let reinforcements = duties.filter { $0.duty != .sampler && !$0.ownGrid }.count
        let feasible = served == population && samplersPlaced >= samplersNeeded && helpersPlaced >= helpersNeeded
        return TestingVerdict(
            feasible: feasible, population: population, servedPopulation: served, beyondWalkCoverable: coverableBeyond,
            beyondWalkUncoverable: uncoverable, samplersNeeded: samplersNeeded, samplersAvailable: samplersAvailable,
            samplersPlaced: samplersPlaced,
            helpersNeeded: helpersNeeded, helpersAvailable: helpersAvailable, helpersPlaced: helpersPlaced,
            extraSitesNeeded: extraSites,
            hoursWithPool: hoursWithPool, reinforcements: reinforcements, tubes: sites.reduce(0) { $0 + $1.tubes })
    }
}
