/// Writes small protocol-2 pickles opcode by opcode, for checkpoints the fixture does not cover.
struct PickleAssembler {
  private(set) var bytes: [UInt8] = [0x80, 0x02]

  mutating func global(_ module: String, _ name: String) { bytes += [0x63] + Array("\(module)\n\(name)\n".utf8) }
  mutating func string(_ text: String) {
    let utf8 = Array(text.utf8)
    bytes += [0x58] + withUnsafeBytes(of: UInt32(utf8.count).littleEndian) { Array($0) } + utf8
  }
  mutating func int(_ value: UInt8) { bytes += [0x4B, value] }
  mutating func mark() { bytes.append(0x28) }
  mutating func tuple() { bytes.append(0x74) }
  mutating func emptyTuple() { bytes.append(0x29) }
  mutating func reduce() { bytes.append(0x52) }
  mutating func persistentID() { bytes.append(0x51) }
  mutating func newFalse() { bytes.append(0x89) }
  mutating func setItems() { bytes.append(0x75) }
  mutating func stop() { bytes.append(0x2E) }

  /// Pushes `_rebuild_tensor_v2(storage(key, type, count), offset, shape, strides, False, OrderedDict())`.
  mutating func tensor(storage key: String, type: String, count: UInt8, offset: UInt8, shape: [UInt8], strides: [UInt8])
  {
    global("torch._utils", "_rebuild_tensor_v2")
    mark()
    mark()
    string("storage")
    global("torch", type)
    string(key)
    string("cpu")
    int(count)
    tuple()
    persistentID()
    int(offset)
    mark()
    for size in shape { int(size) }
    tuple()
    mark()
    for stride in strides { int(stride) }
    tuple()
    newFalse()
    global("collections", "OrderedDict")
    emptyTuple()
    reduce()
    tuple()
    reduce()
  }
}
