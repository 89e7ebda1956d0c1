import GridPlanModel

/// How many grids a unit gets, and how a grid's households sit against its class's band.
struct GridCountPolicy: Sendable {
    let rules: PartitionRules

    /// The most grids cut from one unit, and micro-grids from one grid: 5,000 grids of 500
    /// households is 2.5 M households, more than any village or community (a unit above it is
    /// a data error, and cutting it would take hours).
    static let maxParts = 5_000

    /// Grids for a residential unit with `households` and `population`.
    func gridCount(households h: Int, population p: Int, urban: Bool) -> Int {
        if urban {
            let low = rules.urbanHouseholdsMin.value, high = rules.urbanHouseholdsMax.value
            let cap = rules.urbanResidentsMax.value
            let least = max(
                1, Int((Double(h) / Double(high)).rounded(.up)), Int((Double(p) / Double(cap)).rounded(.up)))
            // The smallest count whose mean falls in the band; else the count whose mean
            // misses the band by the smallest relative amount.
            var best = least, bestMiss = Double.infinity
            for k in least...(least + 2) {
                let mean = Double(h) / Double(k)
                let miss =
                    mean < Double(low)
                    ? (Double(low) - mean) / Double(low)
                    : mean > Double(high) ? (mean - Double(high)) / Double(high) : 0
                if miss < bestMiss - 1e-12 {
                    best = k
                    bestMiss = miss
                }
                if miss == 0 { break }
            }
            return best
        }
        let cap = rules.ruralResidentsMax.value
        var k =
            h <= rules.ruralWholeVillageMax.value
            ? 1 : max(2, Int((Double(h) / Double(rules.ruralHouseholdsTarget.value)).rounded()))
        while Double(h) / Double(k) > Double(rules.ruralWholeVillageMax.value) { k += 1 }
        return max(k, Int((Double(p) / Double(cap)).rounded(.up)))
    }

    /// Grids for a residential unit cut into atoms (street blocks, building cells): the count
    /// whose mean is nearest the middle of the urban band (lumpy atoms then have room on both
    /// sides), still with the mean inside the band and the residents under the cap. Rural units
    /// as ``gridCount(households:population:urban:)``.
    func gridCountAimingAtMiddle(households h: Int, population p: Int, urban: Bool) -> Int {
        guard urban, h > 0 else { return gridCount(households: h, population: p, urban: urban) }
        let low = Double(rules.urbanHouseholdsMin.value), high = Double(rules.urbanHouseholdsMax.value)
        var k = max(1, Int((Double(h) / ((low + high) / 2)).rounded()))
        while Double(h) / Double(k) > high { k += 1 }
        while k > 1 && Double(h) / Double(k - 1) <= high && Double(h) / Double(k) < low { k -= 1 }
        return max(k, Int((Double(p) / Double(rules.urbanResidentsMax.value)).rounded(.up)))
    }

    /// Micro-grids of a grid made of atoms with these households: an atom (a building) above
    /// the band is a micro-grid of its own, and the other households aim at the band's middle;
    /// never more micro-grids than atoms with households, so none is left empty.
    func microGridCount(atomHouseholds: [Double], urban: Bool) -> Int {
        let weighted = atomHouseholds.filter { $0 > 0 }
        let heavy = weighted.filter { $0 > Double(rules.microHouseholdsMax.value) }
        let rest = Int((weighted.reduce(0, +) - heavy.reduce(0, +)).rounded())
        let k = heavy.count + (rest > 0 ? microGridCountAimingAtMiddle(households: rest, urban: urban) : 0)
        return max(1, min(k, weighted.count))
    }

    /// Micro-grids of a grid cut into atoms: the count whose mean is nearest the middle of the
    /// micro-grid band (the rural target in the countryside), with the mean inside the band.
    private func microGridCountAimingAtMiddle(households h: Int, urban: Bool) -> Int {
        let low = Double(rules.microHouseholdsMin.value), high = Double(rules.microHouseholdsMax.value)
        let target = urban ? (low + high) / 2 : Double(rules.microHouseholdsTargetRural.value)
        var k = max(1, Int((Double(h) / target).rounded()))
        while Double(h) / Double(k) > high { k += 1 }
        while k > 1 && Double(h) / Double(k) < low { k -= 1 }
        return k
    }

    /// The band of a comprehensive grid and the rules it misses, with reasons.
    func band(households h: Int, population p: Int, urban: Bool, wholeUnit: Bool) -> (Band, [String], [String]) {
        var violations: [String] = [], notes: [String] = []
        var band = Band.ok
        if urban {
            if h < rules.urbanHouseholdsMin.value {
                band = .below
                violations.append("households.below-band")
                notes.append(
                    wholeUnit
                        ? "the whole unit has \(h) households, fewer than the urban minimum "
                            + "\(rules.urbanHouseholdsMin.value)"
                        : "\(h) households, fewer than the urban minimum \(rules.urbanHouseholdsMin.value)")
            } else if h > rules.urbanHouseholdsMax.value {
                band = .above
                violations.append("households.above-band")
                notes.append("\(h) households, more than the urban maximum \(rules.urbanHouseholdsMax.value)")
            }
            if p > rules.urbanResidentsMax.value {
                violations.append("population.above-cap")
                notes.append("\(p) residents, more than the urban cap \(rules.urbanResidentsMax.value)")
            }
        } else {
            if h > rules.ruralWholeVillageMax.value {
                band = .above
                violations.append("households.above-band")
                notes.append("\(h) households, more than the rural maximum \(rules.ruralWholeVillageMax.value)")
            } else if h == 0 {
                band = .below
                violations.append("households.below-band")
                notes.append("the unit has no households")
            }
            if p > rules.ruralResidentsMax.value {
                violations.append("population.above-cap")
                notes.append("\(p) residents, more than the rural cap \(rules.ruralResidentsMax.value)")
            }
        }
        return (band, violations, notes)
    }

    /// Households a grid may hold without missing its band (barrier cuts may trade exact
    /// balance for following a road only within it).
    func gridBand(urban: Bool) -> ClosedRange<Double> {
        urban
            ? Double(rules.urbanHouseholdsMin.value)...Double(rules.urbanHouseholdsMax.value)
            : 1...Double(rules.ruralWholeVillageMax.value)
    }

    func microGridBand() -> ClosedRange<Double> {
        Double(rules.microHouseholdsMin.value)...Double(rules.microHouseholdsMax.value)
    }

    /// Micro-grids for a grid with `households`.
    func microGridCount(households h: Int, urban: Bool) -> Int {
        let target = urban ? rules.microHouseholdsMax.value : rules.microHouseholdsTargetRural.value
        var k = urban ? Int((Double(h) / Double(target)).rounded(.up)) : Int((Double(h) / Double(target)).rounded())
        k = max(1, k)
        while k > 1 && Double(h) / Double(k) < Double(rules.microHouseholdsMin.value) { k -= 1 }
        while Double(h) / Double(k) > Double(rules.microHouseholdsMax.value) { k += 1 }
        return k
    }

    func microBand(households h: Int) -> Band {
        if h < rules.microHouseholdsMin.value { return .below }
        if h > rules.microHouseholdsMax.value { return .above }
        return .ok
    }
}
