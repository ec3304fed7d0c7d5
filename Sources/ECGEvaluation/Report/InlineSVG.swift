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
    return body.replacingOccurrences(of: " id=\"", with: " id=\"\(idPrefix)")
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
}
