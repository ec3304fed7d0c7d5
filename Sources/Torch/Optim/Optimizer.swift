/// A first-order optimizer over one group of named parameters.
public protocol Optimizer: AnyObject {
  /// The parameters it updates, with their names (used to key its state).
  var parameters: [NamedTensor] { get }
  /// The learning rate of the next `step()`.
  var learningRate: Double { get set }
  /// Number of steps taken.
  var stepCount: Int { get }
  /// Updates every parameter that has a gradient.
  func step()
  /// Its state (moments, momentum buffers, step count) for checkpoints.
  func state() -> OptimizerState
  /// Restores a state saved by `state()`; throws when it does not fit the parameters.
  func restore(_ state: OptimizerState) throws
}

extension Optimizer {
  /// Clears the gradients of its parameters (`zero_grad(set_to_none=True)`).
  public func zeroGrad() {
    for (_, tensor) in parameters { tensor.grad = nil }
  }
}

/// An optimizer's state: named tensors (e.g. `exp_avg/<parameter>`) and named numbers.
public struct OptimizerState: Sendable {
  public var tensors: StateDict
  public var scalars: [String: Double]

  public init(tensors: StateDict = StateDict(), scalars: [String: Double] = [:]) {
    self.tensors = tensors
    self.scalars = scalars
  }

  /// The entries under `prefix/`, with the prefix removed.
  public func scoped(_ prefix: String) -> OptimizerState {
    OptimizerState(
      tensors: tensors.stripping(prefix: prefix + "/"),
      scalars: Dictionary(
        uniqueKeysWithValues: scalars.compactMap { key, value in
          key.hasPrefix(prefix + "/") ? (String(key.dropFirst(prefix.count + 1)), value) : nil
        }))
  }

  /// Adds `other` under `prefix/`.
  public mutating func merge(_ other: OptimizerState, prefix: String) {
    for (name, tensor) in other.tensors { tensors["\(prefix)/\(name)"] = tensor }
    for (key, value) in other.scalars { scalars["\(prefix)/\(key)"] = value }
  }
}

/// An optimizer state that does not fit the parameters it is restored into.
public struct OptimizerStateMismatch: Error, CustomStringConvertible, Sendable {
  public let message: String

  public init(message: String) { self.message = message }
  public var description: String { "cannot restore the optimizer state: \(message)" }
}

/// Per-parameter state tensors keyed `<kind>/<parameter name>`.
func restoreBuffers(
  _ kind: String, from state: OptimizerState, parameters: [NamedTensor]
) throws -> [Tensor?] {
  try parameters.map { name, tensor in
    guard let saved = state.tensors["\(kind)/\(name)"] else { return nil }
    guard saved.shape == tensor.shape else {
      throw OptimizerStateMismatch(
        message: "\(kind) of '\(name)' has shape \(saved.shape), the parameter \(tensor.shape)")
    }
    return saved.to(dtype: tensor.dtype, device: tensor.device, copy: true)
  }
}
