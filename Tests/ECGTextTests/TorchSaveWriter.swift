import Foundation
import Torch

/// Writes a state dict the way `torch.save(model.state_dict(), "pytorch_model.bin")` lays it out (a stored ZIP
/// with `archive/data.pkl`, a protocol-2 pickle of an `OrderedDict` of `_rebuild_tensor_v2` calls, and one
/// `archive/data/<i>` record per storage), for tests of loading Hugging Face `.bin` weights.
enum TorchSaveWriter {
  static func write(_ state: StateDict, to url: URL) throws {
    var pickle: [UInt8] = [0x80, 0x02]
    func global(_ module: String, _ name: String) { pickle += [0x63] + Array("\(module)\n\(name)\n".utf8) }
    func string(_ text: String) { pickle += [0x58] + le(UInt32(text.utf8.count)) + Array(text.utf8) }
    func int(_ value: Int) { pickle += [0x4A] + le(Int32(value)) }
    let (mark, tuple, emptyTuple, reduce) = (UInt8(0x28), UInt8(0x74), UInt8(0x29), UInt8(0x52))

    var records: [(String, [UInt8])] = []
    global("collections", "OrderedDict")
    pickle += [emptyTuple, reduce, mark]
    for (index, (name, tensor)) in state.enumerated() {
      let storageType = tensor.dtype == .int64 ? "LongStorage" : "FloatStorage"
      let values = tensor.dtype == .int64 ? tensor : tensor.to(.float32)
      records.append(("archive/data/\(index)", values.contiguous().contiguousBytes()))
      string(name)
      global("torch._utils", "_rebuild_tensor_v2")
      pickle += [mark, mark]
      string("storage")
      global("torch", storageType)
      string(String(index))
      string("cpu")
      int(tensor.count)
      pickle += [tuple, 0x51]  // persistent id
      int(0)
      pickle.append(mark)
      for size in tensor.shape { int(size) }
      pickle += [tuple, mark]
      var stride = 1
      var strides: [Int] = []
      for size in tensor.shape.reversed() {
        strides.insert(stride, at: 0)
        stride *= size
      }
      for s in strides { int(s) }
      pickle += [tuple, 0x89]  // requires_grad False
      global("collections", "OrderedDict")
      pickle += [emptyTuple, reduce, tuple, reduce]
    }
    pickle += [0x75, 0x2E]  // SETITEMS, STOP
    let files = [("archive/data.pkl", pickle), ("archive/byteorder", Array("little".utf8))] + records
    try Data(zip(files)).write(to: url)
  }

  /// A ZIP archive of stored (uncompressed) entries.
  private static func zip(_ files: [(String, [UInt8])]) -> [UInt8] {
    var output: [UInt8] = []
    var directory: [UInt8] = []
    for (name, bytes) in files {
      let offset = UInt32(output.count)
      let crc = crc32(bytes)
      let nameBytes = Array(name.utf8)
      let sizes = le(crc) + le(UInt32(bytes.count)) + le(UInt32(bytes.count)) + le(UInt16(nameBytes.count))
      output += le(UInt32(0x0403_4B50)) + le(UInt16(20)) + le(UInt16(0)) + le(UInt16(0)) + le(UInt32(0)) + sizes
      output += le(UInt16(0)) + nameBytes + bytes
      directory += le(UInt32(0x0201_4B50)) + le(UInt16(20)) + le(UInt16(20)) + le(UInt16(0)) + le(UInt16(0))
      directory += le(UInt32(0)) + sizes + le(UInt16(0)) + le(UInt16(0)) + le(UInt16(0)) + le(UInt16(0))
      directory += le(UInt32(0)) + le(offset) + nameBytes
    }
    let directoryOffset = UInt32(output.count)
    output += directory
    output += le(UInt32(0x0605_4B50)) + le(UInt16(0)) + le(UInt16(0)) + le(UInt16(files.count))
    output += le(UInt16(files.count)) + le(UInt32(directory.count)) + le(directoryOffset) + le(UInt16(0))
    return output
  }

  private static func crc32(_ bytes: [UInt8]) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes {
      crc ^= UInt32(byte)
      for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
    }
    return ~crc
  }

  private static func le<Value: FixedWidthInteger>(_ value: Value) -> [UInt8] {
    withUnsafeBytes(of: value.littleEndian) { Array($0) }
  }
}
