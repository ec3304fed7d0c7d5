/// MERL's published macro AUROC (%) on its own splits (classification.md §7), with where each number was read.
public struct PublishedNumber: Sendable, Codable, Equatable {
  /// Macro AUROC × 100 as MERL prints it.
  public var auroc: Double
  /// `W` wizwand (MERL's table), `D` D-BETA's table, `T` TAMER's table, `u` recalled and unverified.
  public var source: String
  public var verified: Bool { source != "u" }
}

public enum MERLPublishedNumbers {
  /// MERL's linear probe at label fraction `fraction` (0.01, 0.1, 1) or, with nil, its zero-shot number.
  public static func merl(_ labelSet: ClassificationLabelSet, fraction: Double?) -> PublishedNumber? {
    guard let name = labelSet.merlName, let row = table[name] else { return nil }
    let column: Int? =
      switch fraction {
      case nil: 3
      case 0.01?: 0
      case 0.1?: 1
      case 1?: 2
      default: nil
      }
    return column.map { row[$0] }
  }

  private static func n(_ auroc: Double, _ source: String) -> PublishedNumber {
    PublishedNumber(auroc: auroc, source: source)
  }

  /// 1 %, 10 %, 100 %, zero-shot.
  private static let table: [String: [PublishedNumber]] = [
    "PTBXL-Super": [n(82.39, "W"), n(86.27, "u"), n(88.67, "u"), n(74.2, "D")],
    "PTBXL-Sub": [n(64.90, "W"), n(80.56, "u"), n(84.72, "u"), n(75.7, "D")],
    "PTBXL-Form": [n(58.26, "W"), n(72.43, "u"), n(79.65, "u"), n(65.9, "D")],
    "PTBXL-Rhythm": [n(53.33, "W"), n(82.88, "u"), n(88.34, "D"), n(78.5, "u")],
    "CPSC2018": [n(70.33, "D"), n(85.32, "u"), n(90.57, "D"), n(82.8, "T")],
    "CSN": [n(66.60, "W"), n(82.74, "u"), n(87.95, "u"), n(74.4, "T")],
  ]
}
