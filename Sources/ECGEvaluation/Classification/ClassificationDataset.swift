import ECGData
import Torch

/// One split of a downstream task: store windows (one per record) and their multi-hot labels.
public struct ClassificationSplit: Sendable {
  /// Store window indices, in store order.
  public var windows: [Int]
  /// One row per window, one entry per class.
  public var labels: [[Bool]]

  /// The rows at `positions` (a label-fraction subset).
  public func subset(_ positions: [Int]) -> ClassificationSplit {
    ClassificationSplit(windows: positions.map { windows[$0] }, labels: positions.map { labels[$0] })
  }

  /// float32 [N, K] of 0/1.
  public var labelTensor: Tensor {
    Tensor(labels.flatMap { $0.map { Float($0 ? 1 : 0) } }, shape: [labels.count, labels.first?.count ?? 0])
  }

  public var count: Int { windows.count }
}

/// A downstream task's train/validation/test rows read from a dataset store (classification.md §1): one sample
/// per record (its window 0), labelled by `RecordLabeler`, split by MERL's files where they exist and by the
/// store's (patient-disjoint) split otherwise.
public struct ClassificationDataset: Sendable {
  public let labelSet: ClassificationLabelSet
  public let classes: [String]
  public let train: ClassificationSplit
  public let validation: ClassificationSplit
  public let test: ClassificationSplit
  /// Records of the task's source left out: no label for the task, or not in MERL's split files.
  public let droppedRecords: Int
  /// Records MERL's split files list that the store lacks (e.g. CPSC records shorter than the window).
  public let missingRecords: Int

  /// - Parameter requiredSplits: the splits that must hold records (zero-shot reads only the test split).
  public init(
    store: DatasetStore, labeler: RecordLabeler, requiredSplits: Set<Split> = Set(Split.allCases)
  ) throws {
    labelSet = labeler.labelSet
    classes = labeler.classes
    var splits: [Split: ClassificationSplit] = [
      .train: ClassificationSplit(windows: [], labels: []), .validation: ClassificationSplit(windows: [], labels: []),
      .test: ClassificationSplit(windows: [], labels: []),
    ]
    var sources = Set<String>()
    var dropped = 0
    var matched = 0
    for index in 0..<store.count {
      let metadata = try store.metadata(at: index)
      sources.insert(metadata.source)
      guard metadata.source == labelSet.storeSource, metadata.window == 0 else { continue }
      guard let labels = labeler.labels(of: metadata) else {
        dropped += 1
        continue
      }
      matched += 1
      let split = labeler.split(of: metadata) ?? store.split(at: index)
      splits[split]!.windows.append(index)
      splits[split]!.labels.append(labels)
    }
    guard sources.contains(labelSet.storeSource) else {
      let fitting = ClassificationLabelSet.allCases.filter { sources.contains($0.storeSource) }.map(\.rawValue)
      throw ClassificationError(
        "--labels \(labelSet.rawValue) needs \(labelSet.storeHint), but \(store.url.path) holds "
          + "\(sources.sorted().joined(separator: ", ")) records; "
          + (fitting.isEmpty
            ? "no label set fits this store: \(ClassificationLabelSet.requirements)"
            : "pick the label set of this store (\(fitting.joined(separator: ", "))) or pass the matching store"))
    }
    for split in Split.allCases where requiredSplits.contains(split) && splits[split]!.count == 0 {
      let needed = Split.allCases.filter(requiredSplits.contains).map(\.rawValue)
      throw ClassificationError(
        "the \(split.rawValue) split of --labels \(labelSet.rawValue) is empty in \(store.url.path) "
          + "(\(matched) labelled records); the store needs records in \(needed.joined(separator: ", "))")
    }
    // One NaN or infinite sample makes its record's features and scores NaN, which no metric can rank.
    let nonFinite = splits.values.flatMap(\.windows).sorted().filter { store.firstNonFiniteSample(inWindow: $0) != nil }
    if let first = nonFinite.first {
      let sample = store.firstNonFiniteSample(inWindow: first)!
      throw ClassificationError(
        "\(nonFinite.count) of the \(matched) records of --labels \(labelSet.rawValue) in \(store.url.path) hold NaN "
          + "or infinite samples (first: \(try store.metadata(at: first).recordID), window \(first), lead "
          + "\(sample / store.segmentLength), sample \(sample % store.segmentLength)); re-create the store with "
          + "`ecg preprocess`, which bridges non-finite samples")
    }
    // MERL's files fix the row order (the label-fraction subsets index it).
    var positions: [Int: Int] = [:]
    for index in splits.values.flatMap(\.windows) {
      if let position = labeler.filePosition(of: try store.metadata(at: index).recordID) { positions[index] = position }
    }
    if !positions.isEmpty {
      for (split, rows) in splits {
        let order = rows.windows.indices.sorted { positions[rows.windows[$0]] ?? 0 < positions[rows.windows[$1]] ?? 0 }
        splits[split] = rows.subset(order)
      }
    }
    train = splits[.train]!
    validation = splits[.validation]!
    test = splits[.test]!
    droppedRecords = dropped
    missingRecords = max(0, labeler.listedRecordCount - matched)
  }
}
