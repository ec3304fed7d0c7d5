/// A record's signals in physical units, as read: one array per lead, in the record's own order.
public struct RawECG: Sendable {
  /// Frames per second.
  public var samplingRate: Double
  /// Lead names as the record gives them.
  public var leadNames: [String]
  /// One array of samples per lead.
  public var leads: [[Double]]
  /// The rate of the record before any earlier resampling (imported windows), when it differs.
  public var originalRate: Double?
  /// Report found in the file itself (imported windows), preferred over the record list's.
  public var report: String?
  /// Source path found in the file itself (imported windows).
  public var sourcePath: String?

  /// Creates a raw ECG.
  public init(
    samplingRate: Double, leadNames: [String], leads: [[Double]], originalRate: Double? = nil, report: String? = nil,
    sourcePath: String? = nil
  ) {
    self.samplingRate = samplingRate
    self.leadNames = leadNames
    self.leads = leads
    self.originalRate = originalRate
    self.report = report
    self.sourcePath = sourcePath
  }
}
