import GridPlanGeometryValues

/// A territorial unit: a village, community, compound, park, … or a container (town,
/// county). Geometry is WGS84 lon/lat.
public struct TerritorialUnit: Sendable, Equatable {
    /// 12-digit statistical division code, or any id unique in the plan.
    public var code: String
    public var name: String
    public var kind: UnitKind
    /// Code of the containing unit or town.
    public var parent: String?
    public var households: Int?
    public var population: Int?
    public var urban: Bool
    /// For a maritime zone: the unit (fishing village) its vessels come home to.
    public var homePort: String?
    public var geometry: Geometry
    /// Position of the feature in its source file.
    public var sourceIndex: Int

    public init(
        code: String, name: String, kind: UnitKind, parent: String? = nil, households: Int? = nil,
        population: Int? = nil, urban: Bool? = nil, homePort: String? = nil, geometry: Geometry, sourceIndex: Int = 0
    ) {
        self.homePort = homePort
        self.code = code
        self.name = name
        self.kind = kind
        self.parent = parent
        self.households = households
        self.population = population
        self.urban = urban ?? kind.defaultUrban
        self.geometry = geometry
        self.sourceIndex = sourceIndex
    }

    public var reference: FeatureReference { FeatureReference(index: sourceIndex, id: code) }
}

/// A building as a point or footprint, with households or population and optional size.
public struct Building: Sendable, Equatable {
    public var id: String
    public var geometry: Geometry
    public var households: Int?
    public var population: Int?
    /// Storeys; with the footprint area this gives the floor area used to spread totals.
    public var levels: Double?
    /// Height in metres (levels are estimated at 3 m per storey when only height is known).
    public var height: Double?
    public var sourceIndex: Int

    public init(
        id: String, geometry: Geometry, households: Int? = nil, population: Int? = nil, levels: Double? = nil,
        height: Double? = nil, sourceIndex: Int = 0
    ) {
        self.id = id
        self.geometry = geometry
        self.households = households
        self.population = population
        self.levels = levels
        self.height = height
        self.sourceIndex = sourceIndex
    }

    public var reference: FeatureReference { FeatureReference(index: sourceIndex, id: id) }

    /// Storeys given, or estimated from height at 3 m per storey, or 1.
    public var effectiveLevels: Double {
        if let levels, levels > 0 { return levels }
        if let height, height > 0 { return max(1, (height / 3).rounded()) }
        return 1
    }
}
