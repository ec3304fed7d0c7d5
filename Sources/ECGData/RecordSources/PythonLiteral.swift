/// Parses the Python dict literals PTB-XL stores in `scp_codes`, e.g. `{'NORM': 100.0, 'SR': 0.0}`.
enum PythonLiteral {
  /// The string keys and numeric values of a flat dict literal; nil when the text is not one.
  static func numberDict(_ text: String) -> [String: Double]? {
    let body = text.trimmingCharacters(in: .whitespaces)
    guard body.hasPrefix("{"), body.hasSuffix("}") else { return nil }
    var result: [String: Double] = [:]
    let inner = body.dropFirst().dropLast()
    if inner.trimmingCharacters(in: .whitespaces).isEmpty { return result }
    for entry in inner.split(separator: ",") {
      let parts = entry.split(separator: ":", maxSplits: 1)
      guard parts.count == 2 else { return nil }
      var key = parts[0].trimmingCharacters(in: .whitespaces)
      guard key.count >= 2, let quote = key.first, quote == "'" || quote == "\"", key.last == quote else { return nil }
      key = String(key.dropFirst().dropLast())
      guard let value = Double(parts[1].trimmingCharacters(in: .whitespaces)) else { return nil }
      result[key] = value
    }
    return result
  }
}
