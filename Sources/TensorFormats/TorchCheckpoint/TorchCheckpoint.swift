import Foundation
import SafePickle

/// A checkpoint written by `torch.save` (the ZIP format of PyTorch 1.6 and later), read without
/// executing anything.
///
/// The pickle in `<archive>/data.pkl` is read by SafePickle with a small whitelist
/// (``TorchPickleGlobals``); any other global is refused with an error naming it. Tensors point
/// into the memory-mapped file at `<archive>/data/<key>`, views (strides, storage offsets) included,
/// so opening a large checkpoint copies no tensor data. Each storage record is checked against its
/// CRC-32 unless `verifyChecksums` is false (which skips reading every byte up front).
public struct TorchCheckpoint: Sendable {
  /// The unpickled object, usually a dictionary.
  public let root: CheckpointValue
  /// The archive's top folder name (`torch.save` uses the file name without extension).
  public let archiveName: String

  /// Maps and reads the checkpoint at `url`.
  public init(contentsOf url: URL, verifyChecksums: Bool = true) throws {
    try self.init(buffer: ByteBuffer(mapping: url), path: url.path, verifyChecksums: verifyChecksums)
  }

  /// Reads a checkpoint held in `buffer`; `path` only names it in errors.
  public init(buffer: ByteBuffer, path: String? = nil, verifyChecksums: Bool = true) throws(TorchCheckpointError) {
    do {
      (root, archiveName) = try Self.read(buffer, verify: verifyChecksums)
    } catch {
      throw TorchCheckpointError(error, path: path)
    }
  }

  /// The top-level value under `key`, when the checkpoint is a dictionary.
  public subscript(key: String) -> CheckpointValue? { root[key] }

  private static func read(_ buffer: ByteBuffer, verify: Bool) throws(TorchCheckpointError.Reason) -> (
    CheckpointValue, String
  ) {
    let archive: ZipArchive
    do {
      archive = try ZipArchive(buffer: buffer)
    } catch {
      try rejectBarePickle(buffer)
      throw .archive(error.description)
    }
    guard let pickleEntry = archive.entries.first(where: { Self.isTopLevelPickle($0.name) }) else {
      throw .missingPickle
    }
    let archiveName = String(pickleEntry.name.dropLast("/data.pkl".count))
    try checkByteOrder(archive, archiveName: archiveName)

    let pickled: PickleValue
    do {
      let range = try archive.storedRange(of: pickleEntry, verify: verify)
      let bytes = buffer.withUnsafeBytes(in: range) { Array($0) }
      pickled = try Unpickler(globals: TorchPickleGlobals.globals, persistentLoad: TorchPickleGlobals.persistentLoad)
        .load(bytes)
    } catch let error as ZipError {
      throw .archive(error.description)
    } catch let error as PickleError {
      throw .pickle(error)
    } catch {
      throw .unsupportedValue("\(error)")
    }
    var builder = TensorBuilder(archive: archive, archiveName: archiveName, verify: verify)
    return (try builder.value(pickled), archiveName)
  }

  /// A file that starts like a pickle is either torch's legacy format (a stream of pickles, the
  /// first a magic number) or a bare pickle. Its first pickle is read with the same whitelist, so
  /// a hostile file is reported by the global it asks for; anything else is the legacy format.
  private static func rejectBarePickle(_ buffer: ByteBuffer) throws(TorchCheckpointError.Reason) {
    guard buffer.count >= 2, buffer.withUnsafeBytes(in: 0..<1, { $0[0] == 0x80 }) else { return }
    let bytes = buffer.withUnsafeBytes(in: 0..<min(buffer.count, 1 << 20)) { Array($0) }
    do {
      _ = try Unpickler(globals: TorchPickleGlobals.globals, persistentLoad: TorchPickleGlobals.persistentLoad).load(
        bytes)
    } catch PickleError.forbiddenGlobal(let name) {
      throw .pickle(.forbiddenGlobal(name))
    } catch {}
    throw .legacyFormat
  }

  private static func isTopLevelPickle(_ name: String) -> Bool {
    name.hasSuffix("/data.pkl") && name.dropLast("/data.pkl".count).allSatisfy { $0 != "/" }
      && name.count > "/data.pkl".count
  }

  private static func checkByteOrder(_ archive: ZipArchive, archiveName: String) throws(TorchCheckpointError.Reason) {
    guard let entry = archive.entry(named: archiveName + "/byteorder") else { return }  // older writers: little-endian
    let order: String
    do {
      let range = try archive.storedRange(of: entry)
      order = archive.buffer.withUnsafeBytes(in: range) { String(decoding: $0, as: UTF8.self) }
    } catch {
      throw .archive(error.description)
    }
    guard order == "little" else { throw .unsupportedByteOrder(order) }
  }
}

/// Turns unpickled values into checkpoint values, resolving storage records to tensors.
private struct TensorBuilder {
  let archive: ZipArchive
  let archiveName: String
  let verify: Bool
  /// Verified byte ranges of storage records already seen (storages are often shared).
  var storages: [String: Range<Int>] = [:]

  mutating func value(_ value: PickleValue) throws(TorchCheckpointError.Reason) -> CheckpointValue {
    switch value {
    case .none: return .none
    case .bool(let value): return .bool(value)
    case .int(let value): return .int(value)
    case .float(let value): return .float(value)
    case .string(let value): return .string(value)
    case .bytes(let value): return .bytes(value)
    case .list(let items), .set(let items), .frozenSet(let items): return .list(try values(items))
    case .tuple(let items): return .tuple(try values(items))
    case .dict(let entries):
      var result: [CheckpointEntry] = []
      result.reserveCapacity(entries.count)
      for entry in entries {
        result.append(CheckpointEntry(key: try self.value(entry.key), value: try self.value(entry.value)))
      }
      return .dictionary(result)
    case .object(let object) where object.typeName == TorchPickleGlobals.tensorTypeName:
      return .tensor(try tensor(object.arguments))
    case .global(let name): return try unsupported("a bare reference to \(name)")
    case .ndarray: return try unsupported("a NumPy array")
    case .object(let object): return try unsupported("an object of type \(object.typeName)")
    }
  }

  private func unsupported(_ what: String) throws(TorchCheckpointError.Reason) -> CheckpointValue {
    throw .unsupportedValue(what)
  }

  private mutating func values(_ items: [PickleValue]) throws(TorchCheckpointError.Reason) -> [CheckpointValue] {
    var result: [CheckpointValue] = []
    result.reserveCapacity(items.count)
    for item in items { result.append(try value(item)) }
    return result
  }

  /// Builds a tensor from `_rebuild_tensor_v2`'s (storage, storage_offset, size, stride).
  private mutating func tensor(_ arguments: [PickleValue]) throws(TorchCheckpointError.Reason) -> StoredTensor {
    guard case .object(let storage) = arguments[0], storage.arguments.count == 3,
      case .string(let key) = storage.arguments[0], case .global(let typeName) = storage.arguments[1],
      case .int(let count) = storage.arguments[2]
    else { throw .unsupportedValue("a tensor without a storage") }
    guard let dtype = TensorElementType(torchStorageName: String(typeName.dropFirst("torch.".count))) else {
      throw .unsupportedValue("a storage of type \(typeName)")
    }
    guard case .int(let offset) = arguments[1], let shape = integers(arguments[2]), let strides = integers(arguments[3])
    else {
      throw .unsupportedValue("a tensor whose offset, size or stride is not made of integers")
    }
    let range = try storageRange(key: key, dtype: dtype, count: count)
    do {
      return try StoredTensor(
        dtype: dtype, shape: shape, strides: strides, storageOffset: Int(offset), buffer: archive.buffer,
        storageByteRange: range)
    } catch {
      throw .invalidTensor(error)
    }
  }

  private func integers(_ value: PickleValue) -> [Int]? {
    guard case .tuple(let items) = value else { return nil }
    var result: [Int] = []
    for item in items {
      guard case .int(let number) = item else { return nil }
      result.append(Int(number))
    }
    return result
  }

  private mutating func storageRange(key: String, dtype: TensorElementType, count: Int64) throws(TorchCheckpointError
    .Reason)
    -> Range<Int>
  {
    if let range = storages[key] { return range }
    guard let entry = archive.entry(named: "\(archiveName)/data/\(key)") else {
      throw .missingStorage(key: key, detail: "is missing from the archive")
    }
    let record: Range<Int>
    do {
      record = try archive.storedRange(of: entry, verify: verify)
    } catch {
      throw .archive(error.description)
    }
    let (bytes, overflow) = Int(count).multipliedReportingOverflow(by: dtype.byteSize)
    guard !overflow, bytes <= record.count else {
      throw .missingStorage(
        key: key, detail: "should hold \(count) \(dtype) elements but its record has \(record.count) bytes")
    }
    let range = record.lowerBound..<(record.lowerBound + bytes)
    storages[key] = range
    return range
  }
}
