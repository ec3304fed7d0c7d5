/// Everything the index knows about one stored window (one line of `index.jsonl`).
public struct WindowMetadata: Sendable, Codable, Equatable {
  /// Record identifier, unique within the source (e.g. PTB-XL `ecg_id`, CODE-15 `exam_id`).
  public var recordID: String
  /// Source name (`ptb_xl`, `mimic_iv`, `code15`, `cpsc`, `csn`, `wfdb`, or an imported reference name).
  public var source: String
  /// Path of the source record (header path for WFDB, HDF5 file for CODE-15).
  public var path: String
  /// Patient identifier, when the source has one.
  public var patientID: String?
  /// Report text.
  public var report: String
  /// Label codes with their values (PTB-XL SCP likelihoods, 1 for present SNOMED / CODE-15 labels).
  public var labels: [String: Double]
  /// Derived classes (PTB-XL diagnostic superclasses, CODE-15 positive labels, SNOMED abbreviations).
  public var classes: [String]
  /// Sampling rate of the source record, Hz.
  public var originalRate: Double
  /// Lead names as the source record names them, in stored order (the store's `leads`); "" for an absent lead.
  public var leadNames: [String]
  /// Which of the store's 12 leads (in stored order) hold data (absent leads are zero-filled).
  public var leadMask: [Bool]
  /// Window number within the record.
  public var window: Int
  /// The reference's file stem for this record (its `.npy` files are `<stem>_<window>.npy`).
  public var referenceStem: String

  /// Creates metadata.
  public init(
    recordID: String, source: String, path: String, patientID: String?, report: String, labels: [String: Double],
    classes: [String], originalRate: Double, leadNames: [String], leadMask: [Bool], window: Int, referenceStem: String
  ) {
    self.recordID = recordID
    self.source = source
    self.path = path
    self.patientID = patientID
    self.report = report
    self.labels = labels
    self.classes = classes
    self.originalRate = originalRate
    self.leadNames = leadNames
    self.leadMask = leadMask
    self.window = window
    self.referenceStem = referenceStem
  }

  enum CodingKeys: String, CodingKey {
    case recordID = "record_id", source, path, patientID = "patient_id", report, labels, classes
    case originalRate = "original_rate", leadNames = "lead_names", leadMask = "lead_mask", window
    case referenceStem = "reference_stem"
  }

  /// Encodes every key, `patient_id` as `null` when unknown (the synthesized encoding would leave it out).
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(recordID, forKey: .recordID)
    try c.encode(source, forKey: .source)
    try c.encode(path, forKey: .path)
    try c.encode(patientID, forKey: .patientID)
    try c.encode(report, forKey: .report)
    try c.encode(labels, forKey: .labels)
    try c.encode(classes, forKey: .classes)
    try c.encode(originalRate, forKey: .originalRate)
    try c.encode(leadNames, forKey: .leadNames)
    try c.encode(leadMask, forKey: .leadMask)
    try c.encode(window, forKey: .window)
    try c.encode(referenceStem, forKey: .referenceStem)
  }
}
