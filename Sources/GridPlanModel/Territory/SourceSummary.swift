/// How one input file was read, for `gridplan check` to show: the reader, layer, CRS,
/// encoding, which property each field came from, and the fields it did not find.
public struct SourceSummary: Sendable, Equatable {
    public var file: String
    /// "GeoJSON" (GridPlan's reader) or GDAL's driver name ("ESRI Shapefile", "GPKG" …).
    public var driver: String
    public var layer: String?
    /// What the file says its CRS is (nil: it says nothing, WGS84 assumed unless `--crs`).
    public var declaredCRS: String?
    /// The CRS the coordinates were converted from ("" when they were WGS84 lon/lat already).
    public var convertedFrom: String
    public var encoding: String?
    /// Field → property it was read from, for the fields found.
    public var used: [(field: String, property: String)]
    /// Fields looked for and found in no feature, as `field (property NAME)`.
    public var notFound: [String]
    /// Every property name in the file.
    public var properties: [String]
    public var featureCount: Int

    public init(
        file: String, driver: String, layer: String?, declaredCRS: String?, convertedFrom: String, encoding: String?,
        used: [(field: String, property: String)], notFound: [String], properties: [String], featureCount: Int
    ) {
        self.file = file
        self.driver = driver
        self.layer = layer
        self.declaredCRS = declaredCRS
        self.convertedFrom = convertedFrom
        self.encoding = encoding
        self.used = used
        self.notFound = notFound
        self.properties = properties
        self.featureCount = featureCount
    }

    public static func == (a: SourceSummary, b: SourceSummary) -> Bool {
        a.file == b.file && a.driver == b.driver && a.layer == b.layer && a.declaredCRS == b.declaredCRS
            && a.convertedFrom == b.convertedFrom && a.encoding == b.encoding && a.notFound == b.notFound
            && a.properties == b.properties && a.featureCount == b.featureCount
            && a.used.map { "\($0.field)=\($0.property)" } == b.used.map { "\($0.field)=\($0.property)" }
    }
}
