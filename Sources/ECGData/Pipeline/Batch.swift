import ECGCore
import Torch

/// A batch as the loader hands it out: the typed model input (`ModelInput` in pretraining, `ForecastBatch`
/// for forecasting), plus each item's id and report (the reference's `report` key, "" when not read).
public struct Batch<Input: Sendable>: Sendable {
  public var input: Input
  /// One id per item, in order (e.g. `record#window`).
  public var ids: [String]
  public var reports: [String]

  public init(input: Input, ids: [String], reports: [String]) {
    precondition(ids.count == reports.count, "\(ids.count) ids for \(reports.count) reports")
    self.input = input
    self.ids = ids
    self.reports = reports
  }

  /// Number of items.
  public var size: Int { ids.count }
}

extension Batch where Input: DeviceTransferable {
  /// The batch with every tensor moved to `device`.
  public func to(_ device: Device) -> Batch {
    Batch(input: input.to(device), ids: ids, reports: reports)
  }
}

/// A pretraining batch: what `BatchLoader` yields.
public typealias TrainingBatch = Batch<ModelInput>
