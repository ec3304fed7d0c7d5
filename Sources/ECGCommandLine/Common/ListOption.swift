import Foundation

/// List flags take their values either separated by spaces (`--label_fraction 0.01 0.1 1`, as `--data` and `--seeds`)
/// or by commas (`--label_fraction 0.01,0.1,1`, MERL's form), or both.
enum ListOption {
  /// The values given, each split at its commas; an empty part (`0.1,,1`) stays as "" for the caller to refuse.
  static func items(_ values: [String]) -> [String] {
    values.flatMap { $0.split(separator: ",", omittingEmptySubsequences: false) }.map {
      $0.trimmingCharacters(in: .whitespaces)
    }
  }
}
