import GridPlanGeometryValues

/// Whether a grid serves residents (comprehensive), a park/school/hospital (dedicated) or
/// the sea (maritime).
public enum GridKind: String, Sendable, Equatable {
    case comprehensive
    case dedicated
    case maritime
}

/// Where a grid's households fall against the norm of its class.
public enum Band: String, Sendable, Equatable {
    case ok
    case below
    case above
    /// A micro-grid of one building whose households alone exceed the band: it cannot be
    /// split (GridPlan never cuts a building), so it is its own class, not "in band".
    case indivisible
    /// No household norm applies (dedicated and maritime grids).
    case exempt
}

/// A grid (网格): part of exactly one unit.
public struct Grid: Sendable, Equatable {
    /// Unit code + 3-digit sequence, numbered west→east, north→south.
    public var code: String
    public var unitCode: String
    public var kind: GridKind
    public var households: Int
    public var population: Int
    public var geometry: Geometry
    public var areaSquareMetres: Double
    /// Polsby–Popper: 4πA/P², 1 for a circle.
    public var compactness: Double
    public var band: Band
    /// Rule ids of the targets this grid misses, with the reason in `notes`.
    public var violations: [String]
    public var notes: [String]
    /// Buildings in the grid, when the partition used buildings.
    public var buildings: Int?
    /// For a maritime grid: the unit (fishing village) its vessels belong to.
    public var homeUnit: String?

    public init(
        code: String, unitCode: String, kind: GridKind, households: Int, population: Int, geometry: Geometry,
        areaSquareMetres: Double, compactness: Double, band: Band, violations: [String] = [], notes: [String] = [],
        buildings: Int? = nil, homeUnit: String? = nil
    ) {
        self.buildings = buildings
        self.homeUnit = homeUnit
        self.code = code
        self.unitCode = unitCode
        self.kind = kind
        self.households = households
        self.population = population
        self.geometry = geometry
        self.areaSquareMetres = areaSquareMetres
        self.compactness = compactness
        self.band = band
        self.violations = violations
        self.notes = notes
    }
}

/// A micro-grid (微网格): part of exactly one grid.
public struct MicroGrid: Sendable, Equatable {
    /// Grid code + 2 digits (3 when a grid has more than 99).
    public var code: String
    public var gridCode: String
    public var households: Int
    public var population: Int
    public var geometry: Geometry
    public var areaSquareMetres: Double
    public var band: Band
    /// Buildings in the micro-grid, when the partition used buildings.
    public var buildings: Int?

    public init(
        code: String, gridCode: String, households: Int, population: Int, geometry: Geometry, areaSquareMetres: Double,
        band: Band, buildings: Int? = nil
    ) {
        self.buildings = buildings
        self.code = code
        self.gridCode = gridCode
        self.households = households
        self.population = population
        self.geometry = geometry
        self.areaSquareMetres = areaSquareMetres
        self.band = band
    }
}
