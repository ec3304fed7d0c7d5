import Foundation

/// A table of the report: a header row and body rows of cells, with an optional caption.
public struct ReportTable: Sendable {
  public var caption: String?
  public var header: [String]
  public var rows: [[ReportCell]]
  /// Folded away under its caption until the reader opens it (for long tables that a summary precedes).
  public var collapsed: Bool

  public init(caption: String? = nil, header: [String], rows: [[ReportCell]], collapsed: Bool = false) {
    self.caption = caption
    self.header = header
    self.rows = rows
    self.collapsed = collapsed
  }
}

/// One table cell. Numbers are right-aligned and formatted by `ReportNumberFormat`.
public enum ReportCell: Sendable, Equatable, ExpressibleByStringLiteral, ExpressibleByFloatLiteral {
  case text(String)
  case number(Double)
  /// A metric over seeds, shown as `mean ± std`.
  case aggregate(SeedAggregate)

  public init(stringLiteral value: String) { self = .text(value) }
  public init(floatLiteral value: Double) { self = .number(value) }

  /// The text shown in the cell.
  public var text: String {
    switch self {
    case .text(let text): text
    case .number(let value): ReportNumberFormat.string(value)
    case .aggregate(let aggregate): ReportNumberFormat.meanPlusMinusStd(aggregate)
    }
  }

  /// Whether the cell holds a number (for alignment).
  public var isNumeric: Bool {
    if case .text = self { return false }
    return true
  }
}

/// How numbers read in the report: four significant digits, scientific notation only for very small or large
/// magnitudes, and the reference JSON's spellings `NaN`, `Infinity`, `-Infinity` for non-finite values.
public enum ReportNumberFormat {
  /// `value` as shown in a table.
  public static func string(_ value: Double) -> String {
    if value.isNaN { return "NaN" }
    if value.isInfinite { return value > 0 ? "Infinity" : "-Infinity" }
    if value == value.rounded() && abs(value) < 1e9 { return String(Int(value)) }
    let magnitude = abs(value)
    if magnitude >= 1e6 || magnitude < 1e-4 { return String(format: "%.3e", value) }
    let decimals = max(0, 3 - Int(log10(magnitude).rounded(.down)))
    return String(format: "%.\(decimals)f", value)
  }

  /// `mean ± std` for a seed aggregate (the std with the mean's number of decimals when both are ordinary).
  public static func meanPlusMinusStd(_ aggregate: SeedAggregate) -> String {
    string(aggregate.mean) + " ± " + string(aggregate.std)
  }
}
