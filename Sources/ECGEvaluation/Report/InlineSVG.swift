/// Makes a standalone SVG document fit for inlining into the report page.
enum InlineSVG {
  /// `svg` without its XML prolog and namespace declarations (HTML puts `<svg>` in the SVG namespace itself), with
  /// every `id` and `#id` reference prefixed by `idPrefix` so that several figures' patterns do not collide; nil
  /// when the drawing is unsafe or not self-contained (a script, an event handler, `foreignObject`, or a reference
  /// to anything outside the document).
  static func prepare(_ svg: String, idPrefix: String) -> String? {
    let lowered = svg.lowercased()
    let forbidden = ["<script", "<foreignobject", "javascript:", "<image", "<use ", "@import", "http://", "https://"]
    var body = svg
    for namespace in ["xmlns=\"http://www.w3.org/2000/svg\"", "xmlns:xlink=\"http://www.w3.org/1999/xlink\""] {
      body = body.replacingOccurrences(of: " " + namespace, with: "")
    }
    if lowered.contains("<?xml"), let start = body.range(of: "<svg") {
      body = String(body[start.lowerBound...])
    }
    let loweredBody = body.lowercased()
    guard loweredBody.hasPrefix("<svg"), loweredBody.contains("</svg>") else { return nil }
    guard !forbidden.contains(where: loweredBody.contains) else { return nil }
    guard !containsEventHandler(loweredBody), !containsExternalReference(loweredBody) else { return nil }
    return withViewBox(body).replacingOccurrences(of: " id=\"", with: " id=\"\(idPrefix)")
      .replacingOccurrences(of: "url(#", with: "url(#\(idPrefix)")
      .replacingOccurrences(of: "href=\"#", with: "href=\"#\(idPrefix)")
  }

  /// An attribute such as ` onload=` or ` onclick=`.
  private static func containsEventHandler(_ svg: String) -> Bool {
    var rest = Substring(svg)
    while let range = rest.range(of: " on") {
      let name = rest[range.upperBound...].prefix { $0.isLetter }
      if !name.isEmpty, rest[range.upperBound...].dropFirst(name.count).first == "=" { return true }
      rest = rest[range.upperBound...]
    }
    return false
  }

  /// A `url(...)` or `href` that does not point inside the document.
  private static func containsExternalReference(_ svg: String) -> Bool {
    for marker in ["url(", "href=\""] {
      var rest = Substring(svg)
      while let range = rest.range(of: marker) {
        if rest[range.upperBound...].first != "#" { return true }
        rest = rest[range.upperBound...]
      }
    }
    return false
  }

  /// `svg` with a `viewBox` from its `width` and `height` when its opening tag has none, so the page can scale
  /// it to the column width without clipping.
  private static func withViewBox(_ svg: String) -> String {
    guard let tagEnd = svg.firstIndex(of: ">") else { return svg }
    let tag = svg[..<tagEnd]
    guard !tag.contains("viewBox="), let width = attribute("width", in: tag), let height = attribute("height", in: tag)
    else { return svg }
    return "<svg viewBox=\"0 0 \(width) \(height)\"" + svg.dropFirst(4)
  }

  private static func attribute(_ name: String, in tag: Substring) -> String? {
    guard let start = tag.range(of: " \(name)=\"") else { return nil }
    let value = tag[start.upperBound...].prefix { $0 != "\"" }
    return Double(value) == nil ? nil : String(value)
  }
}
