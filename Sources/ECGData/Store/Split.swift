/// A dataset split.
public enum Split: String, Sendable, Codable, CaseIterable {
  case train, validation, test

  /// The byte stored for this split in `splits.u8`.
  var code: UInt8 {
    switch self {
    case .train: return 0
    case .validation: return 1
    case .test: return 2
    }
  }

  init?(code: UInt8) {
    switch code {
    case 0: self = .train
    case 1: self = .validation
    case 2: self = .test
    default: return nil
    }
  }
}
