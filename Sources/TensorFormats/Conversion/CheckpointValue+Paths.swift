extension CheckpointValue {
  /// Every tensor inside, depth-first in order, named by the dictionary keys and list indices on
  /// the way joined with `separator` (`state.0.exp_avg`); a tensor at the top is named `prefix`.
  public func tensorsByPath(prefix: String = "", separator: String = ".") -> [(path: String, tensor: StoredTensor)] {
    var result: [(path: String, tensor: StoredTensor)] = []
    collectTensors(prefix: prefix, separator: separator, into: &result)
    return result
  }

  private func collectTensors(
    prefix: String, separator: String, into result: inout [(path: String, tensor: StoredTensor)]
  ) {
    func child(_ component: String) -> String { prefix.isEmpty ? component : prefix + separator + component }
    switch self {
    case .tensor(let tensor): result.append((prefix, tensor))
    case .list(let items), .tuple(let items):
      for (index, item) in items.enumerated() {
        item.collectTensors(prefix: child(String(index)), separator: separator, into: &result)
      }
    case .dictionary(let entries):
      for entry in entries {
        entry.value.collectTensors(prefix: child(entry.key.pathComponent), separator: separator, into: &result)
      }
    default: break
    }
  }

  /// How this value reads as a dictionary key in a path or JSON object.
  var pathComponent: String {
    switch self {
    case .string(let text): text
    case .int(let value): String(value)
    case .bool(let value): value ? "True" : "False"
    case .float(let value): String(value)
    case .none: "None"
    default: typeDescription
    }
  }
}
