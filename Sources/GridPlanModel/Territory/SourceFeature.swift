import GridPlanGeometryValues

/// A feature as read from a file, before it is understood as a unit or building.
public struct SourceFeature: Sendable {
    /// 0-based position in the file.
    public var index: Int
    /// The GeoJSON feature `id`, if any.
    public var id: PropertyValue?
    public var properties: Properties
    /// WGS84 lon/lat; nil for a null geometry or one that could not be read.
    public var geometry: Geometry?
    /// Why the geometry could not be read (bad coordinates, open ring …).
    public var geometryProblem: String?

    public init(
        index: Int, id: PropertyValue? = nil, properties: Properties = [], geometry: Geometry?,
        geometryProblem: String? = nil
    ) {
        self.index = index
        self.id = id
        self.properties = properties
        self.geometry = geometry
        self.geometryProblem = geometryProblem
    }
}
