/// The results file of an evaluation as the reference writes it (`json.dump(agg, indent=2)`, evaluation.md §1.2):
/// `{"<metric>": {"mean": …, "std": …, "values": […]}}` in the task's metric order, floats as Python's `repr`
/// prints them, and the non-standard `NaN`, `Infinity` and `-Infinity` for non-finite values.
public func resultsJSON(_ outcome: EvaluationOutcome) -> String {
  let entries = outcome.aggregate
  guard !entries.isEmpty else { return "{}" }
  var lines = ["{"]
  for (index, entry) in entries.enumerated() {
    let values =
      entry.value.values.isEmpty
      ? "[]" : "[\n" + entry.value.values.map { "      " + pythonFloat($0) }.joined(separator: ",\n") + "\n    ]"
    lines.append(
      """
        \(jsonString(entry.name)): {
          "mean": \(pythonFloat(entry.value.mean)),
          "std": \(pythonFloat(entry.value.std)),
          "values": \(values)
        }\(index == entries.count - 1 ? "" : ",")
      """)
  }
  lines.append("}")
  return lines.joined(separator: "\n")
}

/// A double as Python's `json` module writes it: `repr` (shortest round-trip digits, `1.0`, `1e-05`, `1e+16`),
/// `NaN`, `Infinity`, `-Infinity`.
public func pythonFloat(_ value: Double) -> String {
  if value.isNaN { return "NaN" }
  if value.isInfinite { return value > 0 ? "Infinity" : "-Infinity" }
  // Swift's description has the shortest round-trip digits; only the notation differs (Swift writes 1e+15,
  // Python 1000000000000000.0), so the digits are re-laid out with Python's rule: exponent notation when the
  // decimal exponent is below −4 or at least 16.
  var text = value.description
  let negative = text.hasPrefix("-")
  if negative { text.removeFirst() }
  var exponent = 0
  if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
    exponent = Int(text[text.index(after: e)...])!
    text = String(text[..<e])
  }
  let parts = text.split(separator: ".", omittingEmptySubsequences: false)
  var digits = Array(parts[0] + (parts.count > 1 ? parts[1] : ""))
  var point = parts[0].count + exponent  // digits before the decimal point
  while digits.count > 1 && digits.first == "0" {
    digits.removeFirst()
    point -= 1
  }
  while digits.count > 1 && digits.last == "0" { digits.removeLast() }
  if digits == ["0"] { point = 1 }
  let decimalExponent = point - 1
  let body: String
  if decimalExponent < -4 || decimalExponent >= 16 {
    let mantissa = String(digits[0]) + (digits.count > 1 ? "." + String(digits[1...]) : "")
    let magnitude = String(abs(decimalExponent))
    body =
      mantissa + "e" + (decimalExponent < 0 ? "-" : "+") + (magnitude.count < 2 ? "0" : "") + magnitude
  } else if point <= 0 {
    body = "0." + String(repeating: "0", count: -point) + String(digits)
  } else if point >= digits.count {
    body = String(digits) + String(repeating: "0", count: point - digits.count) + ".0"
  } else {
    body = String(digits[..<point]) + "." + String(digits[point...])
  }
  return (negative ? "-" : "") + body
}

/// A JSON string literal (quotes, backslashes and control characters escaped; non-ASCII as `\uXXXX`, as
/// Python's `ensure_ascii`).
func jsonString(_ text: String) -> String {
  var result = "\""
  for unit in text.utf16 {
    switch unit {
    case 0x22: result += "\\\""
    case 0x5C: result += "\\\\"
    case 0x0A: result += "\\n"
    case 0x0D: result += "\\r"
    case 0x09: result += "\\t"
    case 0x20..<0x7F: result.unicodeScalars.append(Unicode.Scalar(unit)!)
    default: result += "\\u" + String(format4Hex: unit)
    }
  }
  return result + "\""
}

extension String {
  fileprivate init(format4Hex unit: UInt16) {
    let digits = String(unit, radix: 16)
    self = String(repeating: "0", count: 4 - digits.count) + digits
  }
}
