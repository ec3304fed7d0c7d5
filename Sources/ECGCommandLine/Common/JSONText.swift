/// JSON numbers for large numeric exports, where `JSONSerialization` is slow (strings: `JSONLiteral.string`).
enum JSONText {
  /// A JSON number; NaN and infinities become `null`.
  static func number(_ value: Double) -> String {
    guard value.isFinite else { return "null" }
    if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
    return String(value)
  }
}
