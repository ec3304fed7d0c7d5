import Foundation

/// Writes a `torch.save` checkpoint (PyTorch's zip format) that `torch.load` reads, also with
/// `weights_only=True`: a stored (uncompressed) zip with `<archive>/data.pkl` (pickle protocol 2),
/// `<archive>/data/<key>` (one record per tensor, little-endian, 64-byte aligned), `.format_version`,
/// `.storage_alignment`, `byteorder` and `version`.
///
/// The pickle uses only what `torch.load(weights_only=True)` allows: `collections.OrderedDict`,
/// `torch._utils._rebuild_tensor_v2` and the `torch.*Storage` classes. Dictionaries are plain `dict`s except
/// the top-level entries named in `orderedDictionaries`, written as `OrderedDict`s (as `module.state_dict()`
/// returns them). Each tensor gets its own contiguous storage (shared storages are not kept).
/// Archives over 4 GiB (ZIP64) are not supported.
public enum TorchCheckpointWriter {
  /// Writes `root` to `url` atomically.
  public static func write(
    _ root: CheckpointValue, to url: URL, archiveName: String = "archive", orderedDictionaries: Set<String> = []
  ) throws {
    var pickle = PickleEncoder(orderedTopLevelKeys: orderedDictionaries)
    pickle.encodeCheckpoint(root)
    var zip = StoredZipWriter()
    let prefix = archiveName + "/"
    zip.add(prefix + "data.pkl", pickle.bytes)
    zip.add(prefix + ".format_version", Array("1".utf8))
    zip.add(prefix + ".storage_alignment", Array("64".utf8))
    zip.add(prefix + "byteorder", Array("little".utf8))
    for (key, tensor) in pickle.storages.enumerated() {
      zip.add(prefix + "data/\(key)", tensor.contiguousBytes())
    }
    zip.add(prefix + "version", Array("3\n".utf8))
    let bytes = zip.finish()
    guard bytes.count < Int(UInt32.max), pickle.storages.count < Int(UInt16.max) - 8 else {
      throw TorchCheckpointWriteError(
        message: "the checkpoint needs ZIP64 (over 4 GiB or 65,000 tensors), which this writer does not produce")
    }
    var file = try AtomicFileWriter(destination: url)
    do {
      try bytes.withUnsafeBytes { try file.write($0) }
      try file.commit()
    } catch {
      file.abandon()
      throw error
    }
  }
}

/// A checkpoint that cannot be written in this format.
public struct TorchCheckpointWriteError: Error, CustomStringConvertible, Sendable {
  public let message: String
  public var description: String { message }
}

/// A pickle protocol 2 stream of checkpoint values, with tensors as persistent ids to storage records.
struct PickleEncoder {
  private(set) var bytes: [UInt8] = [0x80, 2]  // PROTO 2
  /// The tensors in storage-key order.
  private(set) var storages: [StoredTensor] = []
  private let orderedTopLevelKeys: Set<String>

  init(orderedTopLevelKeys: Set<String>) { self.orderedTopLevelKeys = orderedTopLevelKeys }

  mutating func encodeCheckpoint(_ value: CheckpointValue) {
    if case .dictionary(let entries) = value {
      let ordered = orderedTopLevelKeys
      dictionary(
        entries, ordered: false,
        orderedValue: { if case .string(let key) = $0 { ordered.contains(key) } else { false } })
    } else {
      encode(value)
    }
    bytes.append(0x2E)  // STOP
  }

  private mutating func dictionary(
    _ entries: [CheckpointEntry], ordered: Bool, orderedValue: (CheckpointValue) -> Bool = { _ in false }
  ) {
    if ordered {
      global("collections", "OrderedDict")
      bytes.append(0x29)  // EMPTY_TUPLE
      bytes.append(0x52)  // REDUCE
    } else {
      bytes.append(0x7D)  // EMPTY_DICT
    }
    guard !entries.isEmpty else { return }
    bytes.append(0x28)  // MARK
    for entry in entries {
      encode(entry.key)
      if orderedValue(entry.key), case .dictionary(let inner) = entry.value {
        dictionary(inner, ordered: true)
      } else {
        encode(entry.value)
      }
    }
    bytes.append(0x75)  // SETITEMS
  }

  private mutating func encode(_ value: CheckpointValue) {
    switch value {
    case .none: bytes.append(0x4E)  // NONE
    case .bool(let flag): bytes.append(flag ? 0x88 : 0x89)  // NEWTRUE / NEWFALSE
    case .int(let number): integer(number)
    case .float(let number):
      bytes.append(0x47)  // BINFLOAT, big-endian
      withUnsafeBytes(of: number.bitPattern.bigEndian) { bytes += $0 }
    case .string(let text): string(text)
    case .bytes(let data):
      // What CPython's protocol 2 emits for bytes: `_codecs.encode(<latin-1 text>, 'latin1')`.
      global("_codecs", "encode")
      string(String(String.UnicodeScalarView(data.map { Unicode.Scalar($0) })))
      string("latin1")
      bytes.append(0x86)  // TUPLE2
      bytes.append(0x52)  // REDUCE
    case .list(let items):
      bytes.append(0x5D)  // EMPTY_LIST
      guard !items.isEmpty else { return }
      bytes.append(0x28)  // MARK
      for item in items { encode(item) }
      bytes.append(0x65)  // APPENDS
    case .tuple(let items): tuple(items)
    case .dictionary(let entries): dictionary(entries, ordered: false)
    case .tensor(let tensor): self.tensor(tensor)
    }
  }

  /// `_rebuild_tensor_v2(storage, offset, size, stride, requires_grad, OrderedDict())` with the storage as
  /// persistent id `('storage', torch.<Kind>Storage, '<key>', 'cpu', numel)`.
  private mutating func tensor(_ tensor: StoredTensor) {
    let key = storages.count
    storages.append(tensor)
    global("torch._utils", "_rebuild_tensor_v2")
    bytes.append(0x28)  // MARK (arguments)
    bytes.append(0x28)  // MARK (persistent id)
    string("storage")
    global("torch", tensor.dtype.torchStorageName)
    string(String(key))
    string("cpu")
    integer(Int64(tensor.elementCount))
    bytes.append(0x74)  // TUPLE
    bytes.append(0x51)  // BINPERSID
    integer(0)
    tuple(tensor.shape.map { .int(Int64($0)) })
    tuple(StoredTensor.contiguousStrides(for: tensor.shape).map { .int(Int64($0)) })
    bytes.append(0x89)  // requires_grad False
    global("collections", "OrderedDict")
    bytes.append(0x29)  // EMPTY_TUPLE
    bytes.append(0x52)  // REDUCE: backward hooks
    bytes.append(0x74)  // TUPLE
    bytes.append(0x52)  // REDUCE
  }

  private mutating func tuple(_ items: [CheckpointValue]) {
    switch items.count {
    case 0: bytes.append(0x29)  // EMPTY_TUPLE
    case 1...3:
      for item in items { encode(item) }
      bytes.append([0x85, 0x86, 0x87][items.count - 1])  // TUPLE1/2/3
    default:
      bytes.append(0x28)  // MARK
      for item in items { encode(item) }
      bytes.append(0x74)  // TUPLE
    }
  }

  private mutating func integer(_ value: Int64) {
    if (0...0xFF).contains(value) {
      bytes += [0x4B, UInt8(value)]  // BININT1
    } else if (0...0xFFFF).contains(value) {
      bytes += [0x4D, UInt8(value & 0xFF), UInt8(value >> 8)]  // BININT2
    } else if (Int64(Int32.min)...Int64(Int32.max)).contains(value) {
      bytes.append(0x4A)  // BININT, little-endian signed
      withUnsafeBytes(of: Int32(value).littleEndian) { bytes += $0 }
    } else {
      bytes += [0x8A, 8]  // LONG1 with 8 bytes, little-endian two's complement
      withUnsafeBytes(of: value.littleEndian) { bytes += $0 }
    }
  }

  private mutating func string(_ text: String) {
    let utf8 = Array(text.utf8)
    bytes.append(0x58)  // BINUNICODE
    withUnsafeBytes(of: UInt32(utf8.count).littleEndian) { bytes += $0 }
    bytes += utf8
  }

  private mutating func global(_ module: String, _ name: String) {
    bytes.append(0x63)  // GLOBAL
    bytes += Array("\(module)\n\(name)\n".utf8)
  }
}
