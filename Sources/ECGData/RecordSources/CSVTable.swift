import Foundation

/// A CSV file (RFC 4180: quoted fields, doubled quotes, newlines inside quotes) read into rows of strings.
public struct CSVTable: Sendable {
  /// Column names from the first row.
  public let columns: [String]
  /// Data rows (each padded or cut to the column count).
  public let rows: [[String]]
  private let positions: [String: Int]

  /// Parses CSV text; `source` names the file in errors.
  public init(text: String, source: String = "CSV") throws {
    var records: [[String]] = []
    var field = [UInt8]()
    var record: [String] = []
    var quoted = false
    var fieldWasQuoted = false
    let bytes = Array(text.utf8)
    var i = 0
    func endField() {
      record.append(String(decoding: field, as: UTF8.self))
      field.removeAll(keepingCapacity: true)
      fieldWasQuoted = false
    }
    while i < bytes.count {
      let byte = bytes[i]
      if quoted {
        if byte == UInt8(ascii: "\"") {
          if i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "\"") {
            field.append(byte)
            i += 1
          } else {
            quoted = false
          }
        } else {
          field.append(byte)
        }
      } else {
        switch byte {
        case UInt8(ascii: "\""):
          quoted = true
          fieldWasQuoted = true
        case UInt8(ascii: ","):
          endField()
        case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
          if byte == UInt8(ascii: "\r") && i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "\n") { i += 1 }
          if !(record.isEmpty && field.isEmpty && !fieldWasQuoted) {
            endField()
            records.append(record)
          }
          record = []
        default:
          field.append(byte)
        }
      }
      i += 1
    }
    if quoted { throw DataSourceError("\(source): a quoted field is not closed") }
    if !record.isEmpty || !field.isEmpty {
      endField()
      records.append(record)
    }
    guard let header = records.first else {
      throw DataSourceError("\(source): the file is empty; expected a header row")
    }
    columns = header.map { $0.trimmingCharacters(in: .whitespaces) }
    rows = records.dropFirst().map { row in
      row.count >= header.count
        ? Array(row.prefix(header.count)) : row + Array(repeating: "", count: header.count - row.count)
    }
    positions = Dictionary(columns.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
  }

  /// Reads and parses the CSV file at `url`.
  public init(contentsOf url: URL) throws {
    guard let data = FileManager.default.contents(atPath: url.path) else {
      throw DataSourceError("missing file \(url.path); check that --input is the dataset's top folder")
    }
    try self.init(text: String(decoding: data, as: UTF8.self), source: url.path)
  }

  /// The position of `column`, or an error naming the file's columns.
  public func column(_ name: String, in source: String = "CSV") throws -> Int {
    guard let index = positions[name] else {
      throw DataSourceError("\(source): missing column '\(name)' (columns: \(columns.joined(separator: ", ")))")
    }
    return index
  }

  /// Whether the table has `column`.
  public func has(_ name: String) -> Bool { positions[name] != nil }
}
