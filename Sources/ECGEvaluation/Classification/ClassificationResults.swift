import ECGData

/// The downstream protocols: a linear probe on frozen features, full fine-tuning, MERL's zero-shot.
public enum ClassificationProtocol: String, Sendable, Codable, CaseIterable {
  case linear, finetune, zeroshot
}

/// One table row: an encoder (pretrained, random init, scratch) under a protocol at one label fraction,
/// over the run seeds.
public struct ClassificationRow: Sendable, Codable, Equatable {
  /// `pretrained`, `random init (frozen)` (linear probe on a default-initialised copy) or `scratch`
  /// (fine-tuned from default initialisation).
  public var encoder: String
  public var protocolName: String
  public var labelFraction: Double
  /// Training records used at this fraction.
  public var trainRecords: Int
  /// `auroc_macro`, `auprc_macro`, `f1_macro` (test at the best validation epoch, the headline) and
  /// `merl_compat_max_test_auroc` (MERL's test-selected maximum), each over the seeds.
  public var aggregate: [String: SeedAggregate]
  /// The per-seed runs in seed order.
  public var runs: [LinearProbeResult]
  /// MERL's published macro AUROC (%) for the same task and fraction, to set beside `merl_compat` × 100.
  public var merlPublished: PublishedNumber?

  enum CodingKeys: String, CodingKey {
    case encoder, protocolName = "protocol", labelFraction = "label_fraction", trainRecords = "train_records"
    case aggregate, runs, merlPublished = "merl_published_auroc_percent"
  }

  init(
    encoder: String, protocolName: String, fraction: Double, trainRecords: Int, runs: [LinearProbeResult],
    labelSet: ClassificationLabelSet
  ) {
    self.encoder = encoder
    self.protocolName = protocolName
    labelFraction = fraction
    self.trainRecords = trainRecords
    self.runs = runs
    aggregate = aggregateSeeds(
      runs.map {
        [
          "auroc_macro": $0.test.aurocMacro, "auprc_macro": $0.test.auprcMacro, "f1_macro": $0.test.f1Macro,
          "merl_compat_max_test_auroc": $0.maxTestAUROCOverEpochs,
        ]
      })
    merlPublished = MERLPublishedNumbers.merl(labelSet, fraction: fraction)
  }
}

/// Everything `classification_<labels>_<protocol>_<data>_results.json` holds, and what a report renders.
public struct ClassificationResults: Sendable, Codable, Equatable {
  public var labels: ClassificationLabelSet
  public var data: String
  public var protocolName: String
  public var classes: [String]
  /// Records per split: train, validation, test.
  public var splitRecords: [String: Int]
  public var droppedRecords: Int
  public var missingRecords: Int
  /// The run seeds of the trained protocols; empty for zero-shot (one deterministic run), whose JSON has no seeds.
  public var seeds: [UInt64]
  public var rows: [ClassificationRow]
  /// Zero-shot scores (MERL only), nil for the trained protocols.
  public var zeroShot: ZeroShotResult?
  /// Where this protocol deliberately differs from MERL's script.
  public var notes: [String]

  enum CodingKeys: String, CodingKey {
    case labels, data, protocolName = "protocol", classes, splitRecords = "split_records"
    case droppedRecords = "dropped_records", missingRecords = "missing_records", seeds, rows
    case zeroShot = "zero_shot", notes
  }

  public init(
    labels: ClassificationLabelSet, data: String, protocolName: String, classes: [String], splitRecords: [String: Int],
    droppedRecords: Int, missingRecords: Int, seeds: [UInt64], rows: [ClassificationRow], zeroShot: ZeroShotResult?,
    notes: [String]
  ) {
    self.labels = labels
    self.data = data
    self.protocolName = protocolName
    self.classes = classes
    self.splitRecords = splitRecords
    self.droppedRecords = droppedRecords
    self.missingRecords = missingRecords
    self.seeds = seeds
    self.rows = rows
    self.zeroShot = zeroShot
    self.notes = notes
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.init(
      labels: try c.decode(ClassificationLabelSet.self, forKey: .labels),
      data: try c.decode(String.self, forKey: .data),
      protocolName: try c.decode(String.self, forKey: .protocolName),
      classes: try c.decode([String].self, forKey: .classes),
      splitRecords: try c.decode([String: Int].self, forKey: .splitRecords),
      droppedRecords: try c.decode(Int.self, forKey: .droppedRecords),
      missingRecords: try c.decode(Int.self, forKey: .missingRecords),
      seeds: try c.decodeIfPresent([UInt64].self, forKey: .seeds) ?? [],
      rows: try c.decode([ClassificationRow].self, forKey: .rows),
      zeroShot: try c.decodeIfPresent(ZeroShotResult.self, forKey: .zeroShot),
      notes: try c.decode([String].self, forKey: .notes))
  }

  /// As the synthesised encoding, but without `seeds` when there are none (zero-shot).
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(labels, forKey: .labels)
    try c.encode(data, forKey: .data)
    try c.encode(protocolName, forKey: .protocolName)
    try c.encode(classes, forKey: .classes)
    try c.encode(splitRecords, forKey: .splitRecords)
    try c.encode(droppedRecords, forKey: .droppedRecords)
    try c.encode(missingRecords, forKey: .missingRecords)
    if !seeds.isEmpty { try c.encode(seeds, forKey: .seeds) }
    try c.encode(rows, forKey: .rows)
    try c.encodeIfPresent(zeroShot, forKey: .zeroShot)
    try c.encode(notes, forKey: .notes)
  }
}
