/// A pickle reader (protocols 0-5) that never executes anything.
///
/// Plain data (None, bools, ints, floats, str, bytes, lists, tuples, dicts, sets) is read directly. A pickle that
/// names a Python global gets it only if `globals` whitelists it; its handler builds a `PickleValue` from the
/// arguments. Persistent ids (how `torch.save` refers to tensor storages) go to `persistentLoad`.
///
/// ```swift
/// let value = try Unpickler(globals: .numpy).load(bytes)
/// ```
public struct Unpickler: Sendable {
  /// Resolves a persistent id (the value pickled by `persistent_id`, e.g. torch's
  /// `('storage', torch.FloatStorage, key, location, numel)`) to the value that stands in for it.
  public typealias PersistentLoad = @Sendable (_ id: PickleValue) throws -> PickleValue

  public var globals: PickleGlobals
  public var persistentLoad: PersistentLoad?

  public init(globals: PickleGlobals = .plain, persistentLoad: PersistentLoad? = nil) {
    self.globals = globals
    self.persistentLoad = persistentLoad
  }

  /// Reads the pickle at the start of `bytes` (bytes after its STOP opcode are ignored).
  public func load(_ bytes: [UInt8]) throws -> PickleValue {
    try load(bytes, from: 0).value
  }

  /// Reads one pickle starting at `offset`; also returns the offset just after its STOP opcode.
  public func load(_ bytes: [UInt8], from offset: Int) throws -> (value: PickleValue, end: Int) {
    var machine = PickleMachine(
      reader: ByteReader(bytes, offset: offset), globals: globals, persistentLoad: persistentLoad)
    defer { machine.tearDown() }
    let value = try machine.run()
    return (value, machine.reader.offset)
  }
}

extension Unpickler {
  /// Reads `bytes` with the given whitelist; see `Unpickler`.
  public static func load(
    _ bytes: [UInt8], globals: PickleGlobals = .plain, persistentLoad: PersistentLoad? = nil
  ) throws -> PickleValue {
    try Unpickler(globals: globals, persistentLoad: persistentLoad).load(bytes)
  }
}
