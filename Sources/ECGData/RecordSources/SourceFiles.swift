import Foundation

/// Helpers shared by the sources.
enum SourceFiles {
  /// Every file under `root` whose name ends with `suffix`, as sorted paths.
  static func find(under root: URL, suffix: String) throws -> [String] {
    guard FileManager.default.fileExists(atPath: root.path) else {
      throw DataSourceError("input folder \(root.path) does not exist")
    }
    guard let walker = FileManager.default.enumerator(atPath: root.path) else { return [] }
    var found: [String] = []
    while let relative = walker.nextObject() as? String {
      if relative.hasSuffix(suffix) { found.append(root.appendingPathComponent(relative).path) }
    }
    return found.sorted()
  }

  /// A patient id column's value: nil when blank, so blank-patient records are not one patient.
  static func patient(_ text: String) -> String? {
    let id = integerText(text.trimmingCharacters(in: .whitespaces))
    return id.isEmpty ? nil : id
  }

  /// `15709.0` → `15709` (PTB-XL stores ids as floats).
  static func integerText(_ text: String) -> String {
    if let value = Double(text), value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
    return text
  }
}
