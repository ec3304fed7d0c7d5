import Foundation
import TensorFormats
import Yams

/// A checkpoint folder `ecg checkpoint convert` wrote from a reference checkpoint, read back as the reference's
/// entries, so `ecg checkpoint export` of such a folder writes what it was given: `trainer.json` holds the plain
/// top-level entries (`epoch`, `step`, ...), `optimizer.json` the structure of `optimizer_state_dict` and
/// `optimizer.safetensors` its tensors.
///
/// The JSON is `CheckpointValue.jsonText`'s, read in its order (JSON is YAML, so Yams keeps it): object keys that
/// are decimal integers become int keys (torch.optim keys its per-parameter state by index), integer literals ints,
/// other numbers and the strings `nan`, `inf`, `-inf` floats, arrays lists (a tuple such as `betas` comes back as a
/// list, which torch.optim reads alike) and `{"tensor": path, "dtype", "shape"}` the tensor stored under `path`,
/// checked against the dtype and shape it names.
public enum ConvertedCheckpoint {
  /// Whether `checkpoint` was converted from a reference checkpoint: its `trainer.json` has none of the loop state
  /// our runs write.
  public static func isConverted(_ checkpoint: CheckpointFolder) -> Bool {
    let file = checkpoint.url.appendingPathComponent(CheckpointFolder.trainerFile)
    guard let data = try? Data(contentsOf: file),
      let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
    else { return false }
    return ["format_version", "optimizer_groups", "batch_in_epoch", "random_states"].allSatisfy { object[$0] == nil }
  }

  /// The plain top-level entries of the reference checkpoint (`trainer.json`), in their order.
  public static func plainEntries(in checkpoint: CheckpointFolder) throws -> [CheckpointEntry] {
    let value = try read(checkpoint.url.appendingPathComponent(CheckpointFolder.trainerFile), tensors: [:])
    guard case .dictionary(let entries) = value else {
      throw TrainingError.notACheckpoint("\(checkpoint.url.path)/trainer.json is not a JSON object")
    }
    return entries
  }

  /// The reference's `optimizer_state_dict`, nil when the conversion wrote none.
  public static func optimizerState(in checkpoint: CheckpointFolder) throws -> CheckpointValue? {
    let base = checkpoint.url.appendingPathComponent(CheckpointFolder.optimizerBase)
    let json = base.appendingPathExtension("json")
    guard FileManager.default.fileExists(atPath: json.path) else { return nil }
    let tensors = try SafeTensorsFile(contentsOf: base.appendingPathExtension("safetensors")).tensors
    return try read(json, tensors: tensors)
  }

  private static func read(_ json: URL, tensors: [String: StoredTensor]) throws -> CheckpointValue {
    guard let node = try Yams.compose(yaml: String(decoding: try Data(contentsOf: json), as: UTF8.self)) else {
      throw TrainingError.notACheckpoint("\(json.path) is empty")
    }
    do {
      return try value(of: node, tensors: tensors)
    } catch let problem as Problem {
      throw TrainingError.notACheckpoint("\(json.path) does not read as a converted checkpoint: \(problem.reason)")
    }
  }

  private struct Problem: Error {
    let reason: String
  }

  private static func value(of node: Node, tensors: [String: StoredTensor]) throws -> CheckpointValue {
    switch node {
    case .scalar(let scalar): return scalarValue(scalar)
    case .sequence(let items): return .list(try items.map { try value(of: $0, tensors: tensors) })
    case .mapping(let pairs):
      let keys = pairs.map { $0.key.string ?? "" }
      if Set(keys) == ["tensor", "dtype", "shape"] {
        return .tensor(try tensor(pairs, tensors: tensors))
      }
      return .dictionary(
        try pairs.map { pair in
          let key = pair.key.string ?? ""
          return CheckpointEntry(
            key: Int64(key).map { .int($0) } ?? .string(key), value: try value(of: pair.value, tensors: tensors))
        })
    }
  }

  private static func scalarValue(_ scalar: Node.Scalar) -> CheckpointValue {
    let text = scalar.string
    if scalar.style == .doubleQuoted || scalar.style == .singleQuoted {
      switch text {
      case "nan": return .float(.nan)
      case "inf": return .float(.infinity)
      case "-inf": return .float(-.infinity)
      default: return .string(text)
      }
    }
    switch text {
    case "null": return .none
    case "true": return .bool(true)
    case "false": return .bool(false)
    default:
      if let integer = Int64(text) { return .int(integer) }
      if let number = Double(text) { return .float(number) }
      return .string(text)
    }
  }

  private static func tensor(_ pairs: Node.Mapping, tensors: [String: StoredTensor]) throws -> StoredTensor {
    guard let path = pairs["tensor"]?.string, let stored = tensors[path] else {
      throw Problem(reason: "tensor '\(pairs["tensor"]?.string ?? "?")' is not in optimizer.safetensors")
    }
    let shape = pairs["shape"]?.sequence?.compactMap { $0.string.flatMap { Int($0) } }
    guard pairs["dtype"]?.string == stored.dtype.pytorchName, shape == stored.shape else {
      throw Problem(
        reason: "tensor '\(path)' is \(stored.dtype.pytorchName) \(stored.shape) in optimizer.safetensors but "
          + "\(pairs["dtype"]?.string ?? "?") \(shape ?? []) in optimizer.json")
    }
    return stored
  }
}
