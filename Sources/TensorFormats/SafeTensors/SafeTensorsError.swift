import Foundation

/// A safetensors file could not be read or written, with the file and the reason.
public struct SafeTensorsError: Error, Equatable, CustomStringConvertible, LocalizedError {
  /// What is wrong.
  public enum Reason: Error, Equatable, Sendable, CustomStringConvertible {
    /// Fewer than the 8 bytes of the header length.
    case fileTooSmall(size: Int)
    /// The header length is beyond the 100 MB the format allows.
    case headerTooLarge(length: UInt64)
    /// The header length runs past the end of the file.
    case headerPastEnd(length: UInt64, fileSize: Int)
    /// The header is not a JSON object.
    case headerNotJSON(detail: String)
    /// A tensor entry (or the metadata) has a missing or malformed field.
    case invalidEntry(name: String, detail: String)
    /// A dtype this reader does not know.
    case unknownDType(name: String, dtype: String)
    /// The byte range does not hold exactly the shape's elements.
    case byteSizeMismatch(name: String, dtype: TensorElementType, shape: [Int], expected: Int, actual: Int)
    /// Two tensors' byte ranges overlap.
    case overlappingOffsets(name: String, other: String)
    /// A tensor starts after the previous one ended, leaving unowned bytes.
    case gapBeforeTensor(name: String, start: Int, expectedStart: Int)
    /// A tensor's byte range ends past the end of the data.
    case offsetsPastEnd(name: String, end: Int, dataSize: Int)
    /// Bytes after the last tensor that no tensor owns.
    case trailingBytes(dataEnd: Int, dataSize: Int)
    /// The writer got the same tensor name twice.
    case duplicateName(String)
    /// The writer got a name the format reserves or cannot hold.
    case invalidName(String)

    public var description: String {
      switch self {
      case .fileTooSmall(let size):
        "the file has \(size) bytes, fewer than the 8-byte header length; it is truncated or not a safetensors file"
      case .headerTooLarge(let length):
        "the header length \(length) exceeds the 100 MB limit; the file is corrupt or not a safetensors file"
      case .headerPastEnd(let length, let size):
        "the header length \(length) runs past the end of the \(size)-byte file; the file is truncated or corrupt"
      case .headerNotJSON(let detail):
        "the header is not a valid JSON object (\(detail)); the file is corrupt or not a safetensors file"
      case .invalidEntry(let name, let detail):
        "the header entry '\(name)' is malformed: \(detail)"
      case .unknownDType(let name, let dtype):
        "tensor '\(name)' has dtype '\(dtype)', which is not supported (supported: "
          + TensorElementType.allCases.map(\.rawValue).joined(separator: ", ") + ")"
      case .byteSizeMismatch(let name, let dtype, let shape, let expected, let actual):
        "tensor '\(name)' (\(dtype.rawValue), shape \(shape)) needs \(expected) bytes but its data_offsets span \(actual)"
      case .overlappingOffsets(let name, let other):
        "the data of tensors '\(other)' and '\(name)' overlap; the file is corrupt"
      case .gapBeforeTensor(let name, let start, let expected):
        "tensor '\(name)' starts at data offset \(start), but the previous tensor ends at \(expected); the file has unowned bytes and is corrupt"
      case .offsetsPastEnd(let name, let end, let size):
        "tensor '\(name)' ends at data offset \(end), past the end of the \(size)-byte data section; the file is truncated or corrupt"
      case .trailingBytes(let end, let size):
        "the tensors end at data offset \(end) but the data section has \(size) bytes; the file is corrupt"
      case .duplicateName(let name):
        "tensor name '\(name)' is used twice; tensor names must be unique"
      case .invalidName(let name):
        "tensor name '\(name)' cannot be written: it must be non-empty and not '__metadata__'"
      }
    }
  }

  /// The file, when known.
  public let path: String?
  /// What is wrong.
  public let reason: Reason

  /// An error about `path` (nil when reading from memory).
  public init(_ reason: Reason, path: String? = nil) {
    self.reason = reason
    self.path = path
  }

  public var description: String {
    path.map { "safetensors file \($0): \(reason)" } ?? "safetensors: \(reason)"
  }

  public var errorDescription: String? { description }
}
