import Foundation

/// The parsed, validated JSON header of a safetensors file.
struct SafeTensorsHeader {
  struct Entry {
    let name: String
    let dtype: TensorElementType
    let shape: [Int]
    /// Byte range relative to the start of the data section.
    let dataRange: Range<Int>
  }

  /// Largest header accepted, the reference implementation's limit.
  static let maximumLength: UInt64 = 100_000_000

  /// The metadata in the order the header lists it.
  let metadata: SafeTensorsMetadata
  /// Entries in data order.
  let entries: [Entry]

  /// Parses `json` and checks every entry against a data section of `dataSize` bytes: dtypes known,
  /// sizes matching shapes, ranges in bounds, neither overlapping nor leaving gaps.
  init(json: UnsafeRawBufferPointer, dataSize: Int) throws(SafeTensorsError.Reason) {
    guard json.first == UInt8(ascii: "{") else { throw .headerNotJSON(detail: "it does not start with '{'") }
    let raw: RawHeader
    do {
      raw = try JSONDecoder().decode(RawHeader.self, from: Data(json))
    } catch let error as SafeTensorsError.Reason {
      throw error
    } catch DecodingError.dataCorrupted(let context) {
      let underlying = context.underlyingError.map { ": \($0)" } ?? ""
      throw .headerNotJSON(detail: context.debugDescription + underlying)
    } catch {
      throw .headerNotJSON(detail: "\(error)")
    }
    metadata = Self.ordered(raw.metadata, json: json)
    entries = try Self.validated(raw.entries, dataSize: dataSize)
  }

  /// `metadata` in the order the header text lists its keys (JSONDecoder keeps no order).
  private static func ordered(_ metadata: [String: String], json: UnsafeRawBufferPointer) -> SafeTensorsMetadata {
    guard !metadata.isEmpty else { return [:] }
    var ordered = SafeTensorsMetadata()
    for key in JSONKeyOrder.keys(ofObjectIn: "__metadata__", of: json) ?? [] where ordered[key] == nil {
      ordered[key] = metadata[key]
    }
    // Keys the scan missed (it should miss none) follow in sorted order.
    for key in metadata.keys.sorted() where ordered[key] == nil { ordered[key] = metadata[key] }
    return ordered
  }

  private static func validated(_ raw: [RawEntry], dataSize: Int) throws(SafeTensorsError.Reason) -> [Entry] {
    var entries: [Entry] = []
    for item in raw {
      // The writer refuses an empty name too: a file must read back as it would be written.
      guard !item.name.isEmpty else { throw .invalidEntry(name: item.name, detail: "a tensor needs a non-empty name") }
      guard let dtype = TensorElementType(safeTensorsName: item.dtype) else {
        throw .unknownDType(name: item.name, dtype: item.dtype)
      }
      guard item.shape.allSatisfy({ $0 >= 0 }) else {
        throw .invalidEntry(name: item.name, detail: "shape \(item.shape) has a negative size")
      }
      guard item.offsets.count == 2, item.offsets[0] >= 0, item.offsets[1] >= item.offsets[0] else {
        throw .invalidEntry(
          name: item.name, detail: "data_offsets \(item.offsets) must be [begin, end] with 0 <= begin <= end")
      }
      let range = item.offsets[0]..<item.offsets[1]
      guard let count = StoredTensor.checkedElementCount(item.shape),
        case (let bytes, false) = count.multipliedReportingOverflow(by: dtype.byteSize)
      else {
        throw .invalidEntry(name: item.name, detail: "shape \(item.shape) is too large")
      }
      guard bytes == range.count else {
        throw .byteSizeMismatch(name: item.name, dtype: dtype, shape: item.shape, expected: bytes, actual: range.count)
      }
      entries.append(Entry(name: item.name, dtype: dtype, shape: item.shape, dataRange: range))
    }
    entries.sort {
      ($0.dataRange.lowerBound, $0.dataRange.upperBound) < ($1.dataRange.lowerBound, $1.dataRange.upperBound)
    }
    var end = 0
    var previous: String?
    for entry in entries {
      if entry.dataRange.lowerBound < end, let previous { throw .overlappingOffsets(name: entry.name, other: previous) }
      if entry.dataRange.lowerBound > end {
        throw .gapBeforeTensor(name: entry.name, start: entry.dataRange.lowerBound, expectedStart: end)
      }
      if entry.dataRange.upperBound > dataSize {
        throw .offsetsPastEnd(name: entry.name, end: entry.dataRange.upperBound, dataSize: dataSize)
      }
      end = entry.dataRange.upperBound
      previous = entry.name
    }
    guard end == dataSize else { throw .trailingBytes(dataEnd: end, dataSize: dataSize) }
    return entries
  }
}

/// The header as JSON: `__metadata__` (string to string) plus one object per tensor.
private struct RawHeader: Decodable {
  var metadata: [String: String] = [:]
  var entries: [RawEntry] = []

  init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: NameKey.self)
    for key in container.allKeys {
      if key.stringValue == "__metadata__" {
        guard !(try container.decodeNil(forKey: key)) else { continue }
        do {
          metadata = try container.decode([String: String].self, forKey: key)
        } catch {
          throw SafeTensorsError.Reason.invalidEntry(name: "__metadata__", detail: "it must map strings to strings")
        }
        continue
      }
      let entry: RawEntryFields
      do {
        entry = try container.decode(RawEntryFields.self, forKey: key)
      } catch let DecodingError.keyNotFound(missing, _) {
        throw SafeTensorsError.Reason.invalidEntry(
          name: key.stringValue, detail: "field '\(missing.stringValue)' is missing")
      } catch {
        throw SafeTensorsError.Reason.invalidEntry(
          name: key.stringValue,
          detail: "it must be {\"dtype\": string, \"shape\": [integers], \"data_offsets\": [begin, end]}")
      }
      entries.append(
        RawEntry(name: key.stringValue, dtype: entry.dtype, shape: entry.shape, offsets: entry.dataOffsets))
    }
  }
}

private struct RawEntry {
  let name: String
  let dtype: String
  let shape: [Int]
  let offsets: [Int]
}

private struct RawEntryFields: Decodable {
  let dtype: String
  let shape: [Int]
  let dataOffsets: [Int]

  enum CodingKeys: String, CodingKey {
    case dtype, shape
    case dataOffsets = "data_offsets"
  }
}

private struct NameKey: CodingKey {
  let stringValue: String
  var intValue: Int? { nil }
  init(stringValue: String) { self.stringValue = stringValue }
  init?(intValue: Int) { nil }
}
