import Foundation

/// Collects named tensors and metadata and writes them as a safetensors file that Python's
/// `safetensors` (and PyTorch through it) loads.
///
/// The layout follows the reference writer: tensors ordered by dtype (widest first) then name,
/// the header JSON with `__metadata__` first (its keys in insertion order), padded with spaces to a multiple of 8
/// bytes so every tensor's data is 8-byte aligned in the file.
public struct SafeTensorsWriter: Sendable {
  /// String metadata stored under `__metadata__` in its order (omitted when empty).
  public var metadata: SafeTensorsMetadata
  private var tensors: [String: StoredTensor] = [:]

  /// An empty writer with `metadata`, written in its order (e.g. a read file's `metadata` as the file had it).
  public init(metadata: SafeTensorsMetadata = [:]) {
    self.metadata = metadata
  }

  /// An empty writer with `metadata`, keys sorted (a dictionary has no order).
  public init(metadata: [String: String]) {
    self.metadata = SafeTensorsMetadata(metadata)
  }

  /// Names added so far, in the order they will be written.
  public var names: [String] {
    tensors.keys.sorted { left, right in
      let (leftRank, rightRank) = (
        tensors[left]!.dtype.safeTensorsWriteRank, tensors[right]!.dtype.safeTensorsWriteRank
      )
      return leftRank != rightRank ? leftRank > rightRank : left < right
    }
  }

  /// Adds `tensor` under `name`; strided views are written contiguously.
  public mutating func add(_ tensor: StoredTensor, named name: String) throws(SafeTensorsError) {
    guard !name.isEmpty, name != "__metadata__" else { throw SafeTensorsError(.invalidName(name)) }
    guard tensors[name] == nil else { throw SafeTensorsError(.duplicateName(name)) }
    tensors[name] = tensor
  }

  /// The complete file as bytes (for small files and tests; ``write(to:)`` streams instead).
  public func serialized() -> [UInt8] {
    var bytes = header()
    for name in names { tensors[name]!.withContiguousBytes { bytes.append(contentsOf: $0) } }
    return bytes
  }

  /// Writes the file to `url` atomically: to a temporary file in the same folder, then renamed.
  public func write(to url: URL) throws {
    var file = try AtomicFileWriter(destination: url)
    do {
      try header().withUnsafeBytes { try file.write($0) }
      for name in names { try tensors[name]!.withContiguousBytes { try file.write($0) } }
      try file.commit()
    } catch {
      file.abandon()
      throw error
    }
  }

  /// The 8-byte length followed by the space-padded JSON header.
  private func header() -> [UInt8] {
    var json = "{"
    var fields: [String] = []
    if !metadata.isEmpty {
      let pairs = metadata.entries.map { "\(JSONLiteral.string($0.key)):\(JSONLiteral.string($0.value))" }
      fields.append("\"__metadata__\":{\(pairs.joined(separator: ","))}")
    }
    var offset = 0
    for name in names {
      let tensor = tensors[name]!
      let shape = tensor.shape.map(String.init).joined(separator: ",")
      fields.append(
        "\(JSONLiteral.string(name)):{\"dtype\":\"\(tensor.dtype.rawValue)\",\"shape\":[\(shape)],"
          + "\"data_offsets\":[\(offset),\(offset + tensor.byteCount)]}"
      )
      offset += tensor.byteCount
    }
    json += fields.joined(separator: ",") + "}"
    var utf8 = Array(json.utf8)
    utf8.append(contentsOf: repeatElement(UInt8(ascii: " "), count: (8 - utf8.count % 8) % 8))
    return withUnsafeBytes(of: UInt64(utf8.count).littleEndian) { Array($0) } + utf8
  }
}
