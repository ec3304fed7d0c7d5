import ECGCore
import Torch

/// A batch as the loader hands it out: the typed model input (`ModelInput` in pretraining, `ForecastBatch`
/// for forecasting), plus each item's id and report (the reference's `report` key, "" when not read).
public struct Batch<Input: Sendable>: Sendable {
  public var input: Input
  /// One id per item, in order (e.g. `record#window`).
  public var ids: [String]
  public var reports: [String]
  /// Per item, which of the 12 standard leads hold data (`ECGWindow.leadMask`); nil when every item has every
  /// lead or nobody asked. Evaluation leaves absent leads out of their metrics.
  public var leadMasks: [[Bool]]?

  public init(input: Input, ids: [String], reports: [String], leadMasks: [[Bool]]? = nil) {
    precondition(ids.count == reports.count, "\(ids.count) ids for \(reports.count) reports")
    precondition(leadMasks.map { $0.count == ids.count } ?? true, "one lead mask per item")
    self.input = input
    self.ids = ids
    self.reports = reports
    self.leadMasks = leadMasks
  }

  /// Number of items.
  public var size: Int { ids.count }
}

extension Batch where Input: DeviceTransferable {
  /// The batch with every tensor moved to `device`.
  public func to(_ device: Device) -> Batch {
    Batch(input: input.to(device), ids: ids, reports: reports, leadMasks: leadMasks)
  }
}

/// A pretraining batch: what `BatchLoader` yields.
public typealias TrainingBatch = Batch<ModelInput>
