import Foundation

/// BERT's text normalisation, as the `tokenizers` library's `BertNormalizer` (which `transformers`' fast
/// tokenizers run), in its order:
/// 1. `cleanText`: remove NUL, U+FFFD and control characters (categories Cc, Cf, Co, except tab, newline and
///    carriage return), and turn every whitespace character into a space;
/// 2. `handleChineseChars`: put spaces around CJK ideographs, so each becomes a word;
/// 3. `stripAccents` (when nil, it follows `lowercase`): Unicode NFD, then drop non-spacing marks (Mn);
/// 4. `lowercase`: the full Unicode lower-case mapping of each character.
public struct BertNormalizer: Sendable, Equatable {
  public var cleanText = true
  public var handleChineseChars = true
  public var stripAccents: Bool?
  public var lowercase = true

  public init(
    cleanText: Bool = true, handleChineseChars: Bool = true, stripAccents: Bool? = nil, lowercase: Bool = true
  ) {
    self.cleanText = cleanText
    self.handleChineseChars = handleChineseChars
    self.stripAccents = stripAccents
    self.lowercase = lowercase
  }

  /// Whether accents are stripped after applying the default.
  public var stripsAccents: Bool { stripAccents ?? lowercase }

  public func normalize(_ text: [Unicode.Scalar]) -> [Unicode.Scalar] {
    var out: [Unicode.Scalar] = []
    out.reserveCapacity(text.count)
    for scalar in text {
      if cleanText {
        if scalar.value == 0 || scalar.value == 0xFFFD || BertCharacters.isControl(scalar) { continue }
        if BertCharacters.isWhitespace(scalar) {
          out.append(" ")
          continue
        }
      }
      if handleChineseChars && BertCharacters.isChinese(scalar) {
        out += [" ", scalar, " "]
      } else {
        out.append(scalar)
      }
    }
    if stripsAccents && out.contains(where: { !$0.isASCII }) {
      let decomposed = String(String.UnicodeScalarView(out)).decomposedStringWithCanonicalMapping
      out = decomposed.unicodeScalars.filter { $0.properties.generalCategory != .nonspacingMark }
    }
    if lowercase {
      out = out.flatMap { scalar -> [Unicode.Scalar] in
        if scalar.isASCII {
          return [(65...90).contains(scalar.value) ? Unicode.Scalar(scalar.value + 32)! : scalar]
        }
        return Array(scalar.properties.lowercaseMapping.unicodeScalars)
      }
    }
    return out
  }
}

/// The character classes of BERT tokenisation, as `tokenizers` defines them.
enum BertCharacters {
  /// Tab, newline, carriage return and the Unicode White_Space characters.
  static func isWhitespace(_ c: Unicode.Scalar) -> Bool {
    c == "\t" || c == "\n" || c == "\r" || c.properties.isWhitespace
  }

  /// Categories Cc, Cf and Co, except tab, newline and carriage return (counted as whitespace).
  static func isControl(_ c: Unicode.Scalar) -> Bool {
    if c == "\t" || c == "\n" || c == "\r" { return false }
    switch c.properties.generalCategory {
    case .control, .format, .privateUse: return true
    default: return false
    }
  }

  /// The CJK ideograph blocks of `tokenizers`' `is_chinese_char` (its Extension E range starts at U+2B920).
  static func isChinese(_ c: Unicode.Scalar) -> Bool {
    switch c.value {
    case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B73F, 0x2B740...0x2B81F,
      0x2B920...0x2CEAF, 0xF900...0xFAFF, 0x2F800...0x2FA1F:
      return true
    default:
      return false
    }
  }

  /// ASCII symbols (`!"#$%&'()*+,-./:;<=>?@[\]^_\`{|}~`) and every Unicode punctuation category (P*).
  static func isPunctuation(_ c: Unicode.Scalar) -> Bool {
    switch c.value {
    case 33...47, 58...64, 91...96, 123...126: return true
    case 0..<128: return false
    default: break
    }
    switch c.properties.generalCategory {
    case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
      .finalPunctuation, .otherPunctuation:
      return true
    default:
      return false
    }
  }
}
