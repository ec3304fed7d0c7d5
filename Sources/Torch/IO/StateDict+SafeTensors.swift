import Foundation
import TensorFormats

extension StateDict {
  /// Reads every tensor of a safetensors file, in file order.
  public init(safetensorsAt url: URL) throws {
    let file = try SafeTensorsFile(contentsOf: url)
    self.init(try file.orderedTensors.map { ($0.name, try Tensor($0.tensor)) })
  }

  /// Writes the tensors to a safetensors file (atomically: a temporary file renamed into place) that
  /// PyTorch's `safetensors.torch.load_file` reads.
  public func save(safetensorsTo url: URL, metadata: [String: String] = [:]) throws {
    var writer = SafeTensorsWriter(metadata: metadata)
    for (name, tensor) in entries { try writer.add(tensor.stored(), named: name) }
    try writer.write(to: url)
  }
}

extension Module {
  /// Loads parameters and buffers from a safetensors file (see `load(stateDict:strict:)`).
  @discardableResult
  public func load(safetensorsAt url: URL, strict: Bool = true) throws -> LoadReport {
    try load(stateDict: StateDict(safetensorsAt: url), strict: strict)
  }
}

extension OptimizerState {
  /// Writes the tensors to `<base>.safetensors` and the numbers to `<base>.json`.
  public func save(to base: URL) throws {
    try tensors.save(safetensorsTo: base.appendingPathExtension("safetensors"))
    let data = try JSONSerialization.data(withJSONObject: scalars, options: [.sortedKeys, .prettyPrinted])
    try data.write(to: base.appendingPathExtension("json"), options: .atomic)
  }

  /// Reads a state written by `save(to:)`.
  public init(contentsOf base: URL) throws {
    let tensors = try StateDict(safetensorsAt: base.appendingPathExtension("safetensors"))
    let json = try JSONSerialization.jsonObject(with: Data(contentsOf: base.appendingPathExtension("json")))
    guard let scalars = json as? [String: Double] else {
      throw OptimizerStateMismatch(
        message: "\(base.appendingPathExtension("json").path) is not a map of names to numbers")
    }
    self.init(tensors: tensors, scalars: scalars)
  }
}
