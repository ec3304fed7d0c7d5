import Torch

/// A batch of items: stacked tensors by field name (the model's keyword arguments), plus reports and ids.
public struct Batch: Sendable {
  public var tensors: [String: Tensor]
  public var reports: [String]
  public var ids: [String]

  public var size: Int { ids.count }

  public subscript(name: String) -> Tensor? { tensors[name] }

  /// Stacks the items' fields (`default_collate`): every item must have the same fields and shapes.
  public init(collating items: [TrainingItem]) throws {
    guard let first = items.first else { throw SampleError(id: "batch", reason: "no items to collate") }
    var tensors: [String: Tensor] = [:]
    for (name, field) in first.fields {
      var floats: [Float] = []
      var ints: [Int64] = []
      var bools: [Bool] = []
      var doubles: [Double] = []
      let total = items.count * field.shape.reduce(1, *)
      switch field {
      case .floats: floats.reserveCapacity(total)
      case .ints: ints.reserveCapacity(total)
      case .bools: bools.reserveCapacity(total)
      case .double: doubles.reserveCapacity(total)
      }
      for item in items {
        guard let other = item.fields[name], other.shape == field.shape else {
          throw SampleError(
            id: item.id,
            reason:
              "field '\(name)' is \(item.fields[name].map { "of shape \($0.shape)" } ?? "missing"), the batch's first item has \(field.shape)"
          )
        }
        switch other {
        case .floats(let v, _): floats += v
        case .ints(let v, _): ints += v
        case .bools(let v, _): bools += v
        case .double(let v): doubles.append(v)
        }
      }
      let shape = [items.count] + field.shape
      switch field {
      case .floats: tensors[name] = Tensor(floats, shape: shape)
      case .ints: tensors[name] = Tensor(ints, shape: shape)
      case .bools: tensors[name] = Tensor(bools, shape: shape)
      case .double: tensors[name] = Tensor(doubles, shape: shape)
      }
    }
    self.tensors = tensors
    reports = items.map(\.report)
    ids = items.map(\.id)
  }

  /// The batch with every tensor moved to `device`.
  public func to(_ device: Device) -> Batch {
    var moved = self
    moved.tensors = tensors.mapValues { $0.to(device: device) }
    return moved
  }
}
