import Foundation
import GridPlanGeometryValues
import GridPlanModel
import GridPlanTestSupport
import Testing

@testable import GridPlanEngines

/// A synthetic town on a 0.004° lattice near Jiangmen (≈ 400 m apart): micro-grids of
/// 150–400 people (the range of the Jiangmen demo plan's micro-grids), two towns side by side.
@Suite struct TestingEngineTests {
    func town(_ code: String, origin: Position, side: Int, rng: inout SeededGenerator) -> [TestingDemand] {
        var out: [TestingDemand] = []
        for i in 0..<side {
            for j in 0..<side {
                let grid = "\(code)\(String(format: "%03d", (i * side + j) / 4 + 1))"
                out.append(
                    TestingDemand(
                        microGridCode: grid + String(format: "%02d", (i * side + j) % 4 + 1), gridCode: grid,
                        unitCode: code + "001", townCode: code,
                        population: Int.random(in: 150...400, using: &rng), households: 100,
                        point: Position(x: origin.x + Double(i) * 0.004, y: origin.y + Double(j) * 0.004)))
            }
        }
        return out
    }

    func demands() -> [TestingDemand] {
        var rng = SeededGenerator(seed: 5)
        return town("440703001", origin: Position(x: 113.05, y: 22.55), side: 8, rng: &rng)
            + town("440703002", origin: Position(x: 113.10, y: 22.55), side: 6, rng: &rng)
    }

    @Test func sitesRespectCapacityAndQueuesRespectTables() {
        let rules = TestingRules()
        let d = demands()
        let r = TestingEngine.run(demands: d, sites: nil, people: [], postsOf: [:])
        #expect(r.verdict.servedPopulation == d.reduce(0) { $0 + $1.population })
        for (i, site) in r.sites.enumerated() {
            #expect(site.load <= site.capacity && site.capacity <= rules.pointPopulationMax.value)
            #expect(site.load == r.visits.filter { $0.site == i }.reduce(0) { $0 + $1.people })
            // Every hour of the queue within the tables' throughput, all done in the sampling hours.
            #expect(site.hourlyLoad.allSatisfy { $0 <= site.tables * rules.peoplePerTablePerHour })
            #expect(site.hourlyLoad.reduce(0, +) == site.load)
            #expect(Double(site.lastMinute) <= rules.samplingHours.value * 60)
            #expect(
                site.site.townCode == d[r.visits.first { $0.site == i }!.demand].townCode,
                "a site serves its own town only")
        }
        // Slots at a site do not overlap beyond one shared minute and follow each other.
        for i in r.sites.indices {
            let slots = r.visits.filter { $0.site == i }.sorted { $0.startMinute < $1.startMinute }
            for (a, b) in zip(slots, slots.dropFirst()) { #expect(b.startMinute >= a.endMinute - 1) }
        }
        // Sites per town at least the capacity bound.
        for code in Set(d.map(\.townCode)) {
            let people = d.filter { $0.townCode == code }.reduce(0) { $0 + $1.population }
            #expect(
                r.sites.filter { $0.site.townCode == code }.count >= (people + rules.pointPopulationMax.value - 1)
                    / rules.pointPopulationMax.value)
        }
    }

    @Test func everyoneWithinTheWalkOnADenseLattice() {
        // Micro-grids 400 m apart, walk limit 865 m: a site can always be within reach.
        let r = TestingEngine.run(demands: demands(), sites: nil, people: [], postsOf: [:])
        #expect(r.verdict.beyondWalkCoverable == 0 && r.verdict.beyondWalkUncoverable == 0)
        #expect(r.visits.allSatisfy { $0.walkMetres <= TestingRules().walkLimitMetres })
    }

    @Test func samplersAndHelpersFromThePoolWithVerdict() {
        let d = demands()
        var people: [StaffMember] = []
        // 10 medical staff (too few) and 60 grid workers living at the micro-grid points.
        for k in 0..<10 { people.append(StaffMember(id: "m\(k)", role: .medical, home: d[k * 7].point)) }
        for k in 0..<60 { people.append(StaffMember(id: "w\(k)", role: .fullTime, home: d[k % d.count].point)) }
        people.append(StaffMember(id: "lead", role: .leader, home: d[0].point))
        let posts = Dictionary(uniqueKeysWithValues: (0..<60).map { ("w\($0)", [d[$0 % d.count].gridCode]) })
        let r = TestingEngine.run(demands: d, sites: nil, people: people, postsOf: posts)
        let needed = r.sites.reduce(0) { $0 + $1.samplers }
        #expect(r.verdict.samplersNeeded == needed && needed > 10)
        #expect(r.verdict.samplersPlaced == 10)
        #expect(!r.verdict.feasible)
        #expect(r.verdict.samplersNeeded - r.verdict.samplersPlaced == needed - 10)
        // Needed samplers: population ÷ 360 per site, at least one per table.
        for s in r.sites { #expect(s.samplers == max(s.tables, (s.load + 359) / 360)) }
        // No site gets more people per duty than it asked for; leaders are not drafted.
        for (i, s) in r.sites.enumerated() {
            let here = r.duties.filter { $0.site == i }
            #expect(here.filter { $0.duty == .sampler }.count <= s.samplers)
            #expect(here.filter { $0.duty == .registrar }.count <= s.registrars)
            #expect(here.filter { $0.duty == .marshal }.count <= s.marshals)
        }
        #expect(!r.duties.contains { r.people[$0.person].role == .leader })
        #expect(Set(r.duties.map(\.person)).count == r.duties.count, "one duty per person")
        // With enough samplers it becomes feasible.
        let many = people + (0..<needed).map { StaffMember(id: "x\($0)", role: .medical, home: d[$0 % d.count].point) }
        let helpers = r.sites.reduce(0) { $0 + $1.registrars + $1.marshals }
        let crowd =
            many + (0..<helpers).map { StaffMember(id: "v\($0)", role: .volunteer, home: d[$0 % d.count].point) }
        let ok = TestingEngine.run(demands: d, sites: nil, people: crowd, postsOf: posts)
        #expect(ok.verdict.feasible, "\(ok.verdict)")
    }

    @Test func givenSitesShortOfRoomNameTheExtraSites() {
        let d = demands()
        // One small site per town: most people have no room.
        let sites = ["440703001", "440703002"].map { code in
            SamplingSite(
                id: "S\(code)", name: "school", point: d.first { $0.townCode == code }!.point, townCode: code,
                tables: 2, given: true)
        }
        let r = TestingEngine.run(demands: d, sites: sites, people: [], postsOf: [:])
        let capacity = TestingRules().siteCapacity(tables: 2)
        #expect(r.sites.count == 2 && r.sites.allSatisfy { $0.load <= capacity })
        let unserved = d.reduce(0) { $0 + $1.population } - r.verdict.servedPopulation
        #expect(unserved > 0)
        #expect(
            r.verdict.extraSitesNeeded == (unserved + TestingRules().siteCapacity(tables: 4) - 1)
                / TestingRules().siteCapacity(tables: 4))
        #expect(r.visits.filter { $0.site < 0 }.reduce(0) { $0 + $1.people } == unserved)
    }

    @Test func doorToDoorRoundsFitTheirWindow() {
        let d = demands()
        let rules = TestingRules()
        let homes =
            (0..<30).map { k in
                (
                    visit: HomeVisit(id: "h\(k)", point: Position(x: d[k].point.x + 0.0005, y: d[k].point.y)),
                    microGridCode: Optional(d[k].microGridCode)
                )
            } + [(visit: HomeVisit(id: "lost", point: Position(x: 0, y: 0)), microGridCode: nil)]
        let r = TestingEngine.run(demands: d, sites: nil, people: [], postsOf: [:], homes: homes)
        let window =
            Int(rules.samplingHours.value * 60)...Int((rules.samplingHours.value + rules.doorToDoorHours.value) * 60)
        for stop in r.homeStops where stop.home.id != "lost" {
            #expect(stop.site >= 0 && window.contains(stop.minute))
            #expect(stop.team >= 1 && stop.team <= r.sites[stop.site].doorToDoorTeams)
        }
        #expect(r.homeStops.first { $0.home.id == "lost" }!.site == -1)
        // Teams per site: households ÷ visits per team.
        for (i, s) in r.sites.enumerated() {
            let n = r.homeStops.filter { $0.site == i }.count
            #expect(
                s.doorToDoorTeams == (n + rules.householdsPerDoorToDoorTeam - 1) / rules.householdsPerDoorToDoorTeam)
        }
    }

    @Test func scheduleHoursAreExact() {
        #expect(SamplingSchedule.hourlyLoad(total: 250, perHour: 100) == [100, 100, 50])
        let slots = SamplingSchedule.slots(people: [100, 50, 120], perHour: 100)
        #expect(slots.map(\.startMinute) == [0, 60, 90])
        #expect(slots.map(\.endMinute) == [60, 90, 162])
    }
}
