/// Text safe inside HTML elements and double- or single-quoted attributes: the same five entities as the plots'
/// XML escaping.
func htmlEscaped(_ text: String) -> String {
  SVGMarkup.escape(text)
}
