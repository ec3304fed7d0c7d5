/// One model input field of an item before batching.
public enum ItemField: Sendable, Equatable {
  case floats([Float], shape: [Int])
  case ints([Int64], shape: [Int])
  case bools([Bool], shape: [Int])
  case double(Double)

  public var shape: [Int] {
    switch self {
    case .floats(_, let shape), .ints(_, let shape), .bools(_, let shape): shape
    case .double: []
    }
  }
}

/// What one window becomes for a model: named fields (the batch keys the model takes) plus its report.
public struct TrainingItem: Sendable {
  public var id: String
  public var fields: [String: ItemField]
  public var report: String

  public init(id: String, fields: [String: ItemField] = [:], report: String = "") {
    self.id = id
    self.fields = fields
    self.report = report
  }
}
