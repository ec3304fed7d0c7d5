/// Inputs of the split decision for one window.
public struct SplitKey: Sendable, Codable, Equatable {
  /// Source name (the reference split runs per source).
  public var source: String
  /// Record identifier within the source.
  public var record: String
  /// Patient identifier (the record id when the source has none).
  public var patient: String
  /// The dataset's own split, if any.
  public var official: Split?
  /// The reference's file name for this window (`<stem>_<window>.npy`).
  public var referenceFile: String

  /// Creates a split key.
  public init(source: String, record: String, patient: String, official: Split?, referenceFile: String) {
    self.source = source
    self.record = record
    self.patient = patient
    self.official = official
    self.referenceFile = referenceFile
  }
}
