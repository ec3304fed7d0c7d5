extension CheckpointValue {
  /// The value as indented JSON text. Dictionary keys become strings (`0` for an int key), tuples
  /// and lists arrays, bytes an array of numbers, non-finite floats the strings `nan`, `inf`,
  /// `-inf`; each tensor becomes `{"tensor": path, "dtype": ..., "shape": [...]}`, `path` being its
  /// name in ``tensorsByPath(prefix:separator:)`` with the same `prefix`.
  public func jsonText(prefix: String = "") -> String {
    var output = ""
    writeJSON(to: &output, path: prefix, indent: "")
    return output + "\n"
  }

  private func writeJSON(to output: inout String, path: String, indent: String) {
    func child(_ component: String) -> String { path.isEmpty ? component : path + "." + component }
    let inner = indent + "  "
    switch self {
    case .none: output += "null"
    case .bool(let value): output += value ? "true" : "false"
    case .int(let value): output += String(value)
    case .float(let value):
      output += value.isNaN ? "\"nan\"" : value.isInfinite ? (value < 0 ? "\"-inf\"" : "\"inf\"") : "\(value)"
    case .string(let text): output += JSONLiteral.string(text)
    case .bytes(let bytes): output += "[" + bytes.map(String.init).joined(separator: ", ") + "]"
    case .tensor(let tensor):
      output += "{\"tensor\": \(JSONLiteral.string(path)), \"dtype\": \"\(tensor.dtype.pytorchName)\", "
      output += "\"shape\": [\(tensor.shape.map(String.init).joined(separator: ", "))]}"
    case .list(let items), .tuple(let items):
      guard !items.isEmpty else {
        output += "[]"
        return
      }
      output += "[\n"
      for (index, item) in items.enumerated() {
        output += inner
        item.writeJSON(to: &output, path: child(String(index)), indent: inner)
        output += index == items.count - 1 ? "\n" : ",\n"
      }
      output += indent + "]"
    case .dictionary(let entries):
      guard !entries.isEmpty else {
        output += "{}"
        return
      }
      output += "{\n"
      for (index, entry) in entries.enumerated() {
        let key = entry.key.pathComponent
        output += inner + JSONLiteral.string(key) + ": "
        entry.value.writeJSON(to: &output, path: child(key), indent: inner)
        output += index == entries.count - 1 ? "\n" : ",\n"
      }
      output += indent + "}"
    }
  }
}
