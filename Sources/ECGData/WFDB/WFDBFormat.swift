/// A WFDB signal storage format (the `format` field of a signal line).
public enum WFDBFormat: Int, Sendable, CaseIterable, Codable {
  /// 8-bit first differences.
  case format8 = 8
  /// 16-bit two's complement, little-endian.
  case format16 = 16
  /// 24-bit two's complement, little-endian.
  case format24 = 24
  /// 32-bit two's complement, little-endian.
  case format32 = 32
  /// 16-bit two's complement, big-endian.
  case format61 = 61
  /// 8-bit offset binary.
  case format80 = 80
  /// 16-bit offset binary.
  case format160 = 160
  /// Two 12-bit samples packed in three bytes.
  case format212 = 212
  /// Three 10-bit samples packed in two 16-bit words.
  case format310 = 310
  /// Three 10-bit samples packed in one 32-bit word.
  case format311 = 311

  /// The value WFDB writes for a missing sample in this format (after decoding).
  public var missingValue: Int32 {
    switch self {
    case .format8, .format80: return -128
    case .format16, .format61, .format160: return -32768
    case .format24: return -8_388_608
    case .format32: return Int32.min
    case .format212: return -2048
    case .format310, .format311: return -512
    }
  }

  /// Samples per packed group and the bytes that group occupies.
  var group: (samples: Int, bytes: Int) {
    switch self {
    case .format8, .format80: return (1, 1)
    case .format16, .format61, .format160: return (1, 2)
    case .format24: return (1, 3)
    case .format32: return (1, 4)
    case .format212: return (2, 3)
    case .format310, .format311: return (3, 4)
    }
  }

  /// Bytes needed to store `count` samples, including a partial last group.
  func byteCount(samples count: Int) -> Int {
    let (samples, bytes) = group
    let full = count / samples
    let rest = count % samples
    guard rest > 0 else { return full * bytes }
    switch self {
    case .format212: return full * bytes + 2  // one 12-bit sample needs two bytes
    case .format310, .format311: return full * bytes + (rest == 1 ? 2 : 4)
    default: return full * bytes + rest * bytes
    }
  }
}
