import Foundation

/// Where and how many sample figures a task draws.
public struct FigureOptions: Sendable {
  /// The folder the SVG files go to.
  public var folder: URL
  /// Samples drawn: those at positions 0..<count of the evaluation order (the reference draws 30 for generation
  /// and reconstruction, 20 for forecasting).
  public var count: Int
  /// Sampling rate of the time axis.
  public var samplingRate: Int

  public init(folder: URL, count: Int, samplingRate: Int) {
    self.folder = folder
    self.count = count
    self.samplingRate = samplingRate
  }
}

/// Names of the rows a signal network sees: the 12 standard leads, or with a lead condition the independent
/// leads (I, II, V1–V6) except the conditioning one (evaluation.md §3, fixing E5: no mutation across seeds).
public func evaluatedLeadNames(conditionLead: Int?) -> [String] {
  let names = ["I", "II", "III", "aVR", "aVL", "aVF", "V1", "V2", "V3", "V4", "V5", "V6"]
  guard let conditionLead else { return names }
  return [0, 1, 6, 7, 8, 9, 10, 11].filter { $0 != conditionLead }.map { names[$0] }
}
