/// One record of a raw dataset, with everything the index keeps about it.
public struct SourceRecord: Sendable, Equatable {
  /// Record identifier within the source.
  public var id: String
  /// Path of the record (WFDB header path without `.hea`, or the HDF5 file for CODE-15).
  public var path: String
  /// Patient identifier, when known.
  public var patientID: String?
  /// Report text.
  public var report: String
  /// Label codes with values.
  public var labels: [String: Double]
  /// Derived classes.
  public var classes: [String]
  /// The dataset's own split, if it has one.
  public var officialSplit: Split?
  /// The reference's file stem (its windows are `<stem>_<s>.npy`).
  public var referenceStem: String
  /// Row in the HDF5 file (CODE-15).
  public var row: Int?
  /// Window number of the record's first window (non-zero for imported reference windows).
  public var firstWindow: Int = 0
  /// Why the record cannot be used, found while listing (e.g. a malformed database row): processing skips it
  /// with this reason instead of stopping the run.
  public var problem: RecordSkip?
  /// Problems that do not stop the record (e.g. an unreadable fold), counted as warnings in the summary.
  public var warnings: [RecordSkip] = []

  /// How messages name the record: its path, and for a row of a multi-record file (CODE-15's HDF5 parts) its
  /// `exam_id` as well.
  public var location: String { row == nil ? path : "\(path) exam_id \(id)" }

  /// Creates a record description.
  public init(
    id: String, path: String, patientID: String? = nil, report: String, labels: [String: Double] = [:],
    classes: [String] = [], officialSplit: Split? = nil, referenceStem: String, row: Int? = nil, firstWindow: Int = 0
  ) {
    self.id = id
    self.path = path
    self.patientID = patientID
    self.report = report
    self.labels = labels
    self.classes = classes
    self.officialSplit = officialSplit
    self.referenceStem = referenceStem
    self.row = row
    self.firstWindow = firstWindow
  }
}
