/// Appointment slots at one site: its micro-grids come one after another (in code order, so
/// neighbours queue together), as a steady stream of `perHour` people. A micro-grid's slot
/// runs from the minute its first person is due to the minute its last one is; counting the
/// stream hour by hour, no hour brings more than `perHour` people, which is the table capacity.
enum SamplingSchedule {
    struct Slot: Sendable, Equatable {
        /// Minutes from the start of sampling.
        var startMinute: Int
        var endMinute: Int
    }

    /// Slots for queues of `people`, in the given order, at `perHour` people per hour.
    static func slots(people: [Int], perHour: Int) -> [Slot] {
        precondition(perHour > 0)
        var before = 0
        return people.map { n in
            let after = before + n
            // Person k (0-based) is due at minute 60 k / perHour.
            let slot = Slot(
                startMinute: (60 * before) / perHour,
                endMinute: max((60 * before) / perHour + 1, (60 * after + perHour - 1) / perHour))
            before = after
            return slot
        }
    }

    /// People due in each hour of the stream (person k in hour ⌊k / perHour⌋): every hour but
    /// the last holds exactly `perHour`.
    static func hourlyLoad(total: Int, perHour: Int) -> [Int] {
        guard total > 0 else { return [] }
        let hours = (total + perHour - 1) / perHour
        return (0..<hours).map { h in min(perHour, total - h * perHour) }
    }
}

/// Door-to-door sampling for households that cannot walk to a site: each site's households are
/// visited by teams (a sampler and an escort) in the window after the site's queue closes,
/// `minutesPerHousehold` apart, in nearest-neighbour order from the site, each team taking the
/// next `perTeam` households of the round.
enum DoorToDoorRounds {
    struct Stop: Sendable, Equatable {
        var household: Int
        var team: Int
        /// Minutes from the start of the door-to-door window.
        var minute: Int
    }

    static func plan(
        site: (x: Double, y: Double), homes: [(index: Int, point: (x: Double, y: Double))], perTeam: Int,
        minutesPerHousehold: Int
    ) -> [Stop] {
        var left = homes
        var here = site
        var order: [Int] = []
        while !left.isEmpty {
            var best = 0, bestD = Double.infinity
            for (k, h) in left.enumerated() {
                let d = (h.point.x - here.x) * (h.point.x - here.x) + (h.point.y - here.y) * (h.point.y - here.y)
                if d < bestD || (d == bestD && h.index < left[best].index) { best = k; bestD = d }
            }
            order.append(left[best].index)
            here = left[best].point
            left.remove(at: best)
        }
        return order.enumerated().map { k, household in
            Stop(household: household, team: k / perTeam + 1, minute: (k % perTeam) * minutesPerHousehold)
        }
    }
}
