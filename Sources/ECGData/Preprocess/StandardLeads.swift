/// The standard 12-lead order used everywhere in ECGEncoder and lead-name mapping.
public enum StandardLeads {
  /// I, II, III, aVR, aVL, aVF, V1-V6.
  public static let names = ["I", "II", "III", "aVR", "aVL", "aVF", "V1", "V2", "V3", "V4", "V5", "V6"]

  /// The reference's `PTB_ORDER` (aVL before aVR), used by its MIMIC-IV and CODE-15 folders.
  public static let referenceOrder = ["I", "II", "III", "aVL", "aVR", "aVF", "V1", "V2", "V3", "V4", "V5", "V6"]

  /// The standard index of a lead name, case-insensitively (`AVR` = `aVR`, `DI` = `I`, `DII` = `II`,
  /// `DIII` = `III`, `MLII` = `II`); nil for a name that is not one of the 12 leads.
  public static func index(of name: String) -> Int? {
    var key = name.trimmingCharacters(in: .whitespaces).uppercased()
    if key.hasPrefix("LEAD ") { key.removeFirst(5) }
    switch key {
    case "DI": key = "I"
    case "DII", "MLII": key = "II"
    case "DIII": key = "III"
    default: break
    }
    return names.firstIndex { $0.uppercased() == key }
  }

  /// For each standard lead, the position of that lead in `leadNames` (nil when absent).
  /// Throws when a lead occurs twice.
  public static func mapping(from leadNames: [String]) throws -> [Int?] {
    var map = [Int?](repeating: nil, count: names.count)
    for (position, name) in leadNames.enumerated() {
      guard let index = index(of: name) else { continue }
      if map[index] != nil {
        throw WFDBError("lead \(names[index]) occurs twice (names: \(leadNames.joined(separator: ", ")))")
      }
      map[index] = position
    }
    return map
  }

  /// For each lead of `order` (standard names, e.g. `names` or `referenceOrder`), the position of that lead in
  /// `leadNames` (nil when absent). Throws when a lead occurs twice.
  public static func mapping(from leadNames: [String], to order: [String]) throws -> [Int?] {
    let standard = try mapping(from: leadNames)
    return order.map { name in index(of: name).flatMap { standard[$0] } }
  }
}
