import Foundation

/// A safetensors file opened for reading: its metadata and its tensors, which point into the
/// memory-mapped file rather than copies of it.
///
/// The header is checked completely when the file is opened (see ``SafeTensorsError``), so every
/// tensor it yields is in bounds.
public struct SafeTensorsFile: Sendable {
  /// The `__metadata__` entries (empty when absent), in the order the file lists them.
  public let metadata: SafeTensorsMetadata
  /// Tensor names in the order their data appears in the file.
  public let names: [String]
  /// Tensors by name.
  public let tensors: [String: StoredTensor]

  /// Maps and reads the file at `url`.
  public init(contentsOf url: URL) throws {
    try self.init(buffer: ByteBuffer(mapping: url), path: url.path)
  }

  /// Reads a safetensors file held in `buffer`; `path` only names it in errors.
  public init(buffer: ByteBuffer, path: String? = nil) throws(SafeTensorsError) {
    do {
      (metadata, names, tensors) = try Self.parse(buffer)
    } catch {
      throw SafeTensorsError(error, path: path)
    }
  }

  /// The tensor named `name`, if present.
  public subscript(name: String) -> StoredTensor? { tensors[name] }

  /// The tensors as (name, tensor) pairs in file order.
  public var orderedTensors: [(name: String, tensor: StoredTensor)] {
    names.map { ($0, tensors[$0]!) }
  }

  private static func parse(_ buffer: ByteBuffer) throws(SafeTensorsError.Reason) -> (
    SafeTensorsMetadata, [String], [String: StoredTensor]
  ) {
    guard buffer.count >= 8 else { throw .fileTooSmall(size: buffer.count) }
    let length = buffer.withUnsafeBytes(in: 0..<8) { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
    guard length <= SafeTensorsHeader.maximumLength else { throw .headerTooLarge(length: length) }
    guard Int(length) <= buffer.count - 8 else { throw .headerPastEnd(length: length, fileSize: buffer.count) }
    let dataStart = 8 + Int(length)
    let header = try buffer.withUnsafeBytes(in: 8..<dataStart) { json throws(SafeTensorsError.Reason) in
      try SafeTensorsHeader(json: json, dataSize: buffer.count - dataStart)
    }
    var tensors: [String: StoredTensor] = [:]
    for entry in header.entries {
      let range = (dataStart + entry.dataRange.lowerBound)..<(dataStart + entry.dataRange.upperBound)
      // The header check guarantees the range holds the shape exactly, so this cannot fail.
      tensors[entry.name] = try! StoredTensor(
        dtype: entry.dtype, shape: entry.shape, buffer: buffer, storageByteRange: range)
    }
    return (header.metadata, header.entries.map(\.name), tensors)
  }
}
