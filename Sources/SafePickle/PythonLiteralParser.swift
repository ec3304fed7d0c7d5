/// Parses the small Python literals found in `.npy` headers: dicts, tuples, lists, strings, ints, True/False/None.
struct PythonLiteralParser {
  private let characters: [Character]
  private var index = 0

  init(_ text: String) { characters = Array(text) }

  mutating func parse() throws -> PickleValue {
    let value = try literal()
    skipSpaces()
    guard index == characters.count else { throw error("unexpected text after the literal") }
    return value
  }

  private func error(_ what: String) -> PickleError {
    .malformed(".npy header: \(what) at character \(index)", offset: nil)
  }

  private mutating func skipSpaces() {
    while index < characters.count, characters[index].isWhitespace { index += 1 }
  }

  private mutating func literal() throws -> PickleValue {
    skipSpaces()
    guard index < characters.count else { throw error("unexpected end") }
    switch characters[index] {
    case "{":
      let items = try sequence(close: "}", pairs: true)
      return .dict(stride(from: 0, to: items.count, by: 2).map { PickleKeyValue(items[$0], items[$0 + 1]) })
    case "(": return .tuple(try sequence(close: ")", pairs: false))
    case "[": return .list(try sequence(close: "]", pairs: false))
    case "'", "\"": return .string(try string())
    default: return try word()
    }
  }

  private mutating func sequence(close: Character, pairs: Bool) throws -> [PickleValue] {
    index += 1
    var items: [PickleValue] = []
    while true {
      skipSpaces()
      guard index < characters.count else { throw error("missing '\(close)'") }
      if characters[index] == close {
        index += 1
        return items
      }
      items.append(try literal())
      skipSpaces()
      if pairs {
        guard index < characters.count, characters[index] == ":" else { throw error("expected ':'") }
        index += 1
        items.append(try literal())
        skipSpaces()
      }
      guard index < characters.count else { throw error("missing '\(close)'") }
      if characters[index] == "," {
        index += 1
      } else if characters[index] != close {
        throw error("expected ',' or '\(close)'")
      }
    }
  }

  private mutating func string() throws -> String {
    let quote = characters[index]
    index += 1
    var result = ""
    while index < characters.count, characters[index] != quote {
      if characters[index] == "\\", index + 1 < characters.count { index += 1 }
      result.append(characters[index])
      index += 1
    }
    guard index < characters.count else { throw error("unterminated string") }
    index += 1
    return result
  }

  private mutating func word() throws -> PickleValue {
    let start = index
    while index < characters.count, characters[index].isLetter || characters[index].isNumber || characters[index] == "-"
    {
      index += 1
    }
    let text = String(characters[start..<index])
    switch text {
    case "True": return .bool(true)
    case "False": return .bool(false)
    case "None": return .none
    default:
      // NumPy writes Python 2 longs as e.g. `3L` in old files.
      guard let value = Int64(text.hasSuffix("L") ? String(text.dropLast()) : text) else {
        throw error("unexpected '\(text)'")
      }
      return .int(value)
    }
  }
}
