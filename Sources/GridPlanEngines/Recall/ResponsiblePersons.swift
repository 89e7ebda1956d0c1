import GridPlanModel

/// Someone who can be made responsible for a vessel (定人联船): a grid's staff member.
public struct RecallContact: Sendable, Equatable {
    public var personID: String
    public var name: String
    public var phone: String
    public var role: StaffRole
    public var gridCode: String

    public init(personID: String, name: String, phone: String, role: StaffRole, gridCode: String) {
        self.personID = personID
        self.name = name
        self.phone = phone
        self.role = role
        self.gridCode = gridCode
    }
}

/// Gives every vessel one named responsible person from its home grid: the grid's full-time
/// worker, else its leader, else a part-time worker (the order of `contacts`). A vessel whose
/// home is a village or community with several grids goes to the grid that has the fewest
/// vessels so far (ties by code), in vessel-id order, so the calls are spread evenly.
public enum ResponsiblePersons {
    /// - Parameters:
    ///   - homeGrids: for each vessel, the candidate grids of its home (one when it names a grid).
    ///   - contacts: per grid, its people in order of preference.
    public static func assign(
        vesselIDs: [String], homeGrids: [[String]], contacts: [String: [RecallContact]]
    ) -> [RecallContact?] {
        var load: [String: Int] = [:]
        var result = [RecallContact?](repeating: nil, count: vesselIDs.count)
        for v in vesselIDs.indices.sorted(by: { vesselIDs[$0] < vesselIDs[$1] }) {
            let staffed = homeGrids[v].filter { contacts[$0]?.isEmpty == false }
            guard let grid = staffed.min(by: { (load[$0, default: 0], $0) < (load[$1, default: 0], $1) }) else {
                continue
            }
            load[grid, default: 0] += 1
            result[v] = contacts[grid]![0]
        }
        return result
    }
}
