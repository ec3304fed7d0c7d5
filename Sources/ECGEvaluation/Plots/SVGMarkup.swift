import Foundation

/// Text helpers shared by the plots: XML escaping and compact coordinates.
enum SVGMarkup {
  /// `text` safe inside an SVG/XML element or a double-quoted attribute.
  static func escape(_ text: String) -> String {
    var result = ""
    result.reserveCapacity(text.count)
    for character in text {
      switch character {
      case "&": result += "&amp;"
      case "<": result += "&lt;"
      case ">": result += "&gt;"
      case "\"": result += "&quot;"
      case "'": result += "&#39;"
      default: result.append(character)
      }
    }
    return result
  }

  /// `value` with at most `digits` decimals and no trailing zeros (`12`, `3.5`, `-0.25`); non-finite values
  /// become 0 so a NaN sample can never break the document.
  static func number(_ value: Double, digits: Int = 2) -> String {
    guard value.isFinite else { return "0" }
    let text = String(format: "%.\(digits)f", value)
    guard text.contains(".") else { return text == "-0" ? "0" : text }
    var trimmed = Substring(text)
    while trimmed.hasSuffix("0") { trimmed = trimmed.dropLast() }
    if trimmed.hasSuffix(".") { trimmed = trimmed.dropLast() }
    return trimmed == "-0" ? "0" : String(trimmed)
  }

  /// The opening tag of a standalone SVG document `width` × `height` pixels.
  static func open(width: Double, height: Double, label: String) -> String {
    let w = number(width)
    let h = number(height)
    return """
      <svg xmlns="http://www.w3.org/2000/svg" width="\(w)" height="\(h)" viewBox="0 0 \(w) \(h)" \
      role="img" aria-label="\(escape(label))" font-family="Helvetica, Arial, sans-serif" font-size="12">
      <rect width="\(w)" height="\(h)" fill="#fff"/>

      """
  }

  /// A polyline path through `points`, skipping non-finite points (the path restarts after a gap).
  static func path(_ points: [(x: Double, y: Double)]) -> String {
    var d = ""
    var penDown = false
    for point in points {
      guard point.x.isFinite, point.y.isFinite else {
        penDown = false
        continue
      }
      d += (penDown ? "L" : (d.isEmpty ? "M" : " M")) + number(point.x) + " " + number(point.y)
      penDown = true
    }
    return d
  }
}
