/// The whitelist of Python globals (module-level callables and classes) a pickle may use.
///
/// A pickle that names any global not listed here is rejected with `PickleError.forbiddenGlobal`, before anything
/// is called. Names are `module.qualname`, e.g. `collections.OrderedDict`. Each allowed global has a handler that
/// turns the arguments of `REDUCE`/`NEWOBJ` into a value, and optionally one that applies `BUILD` state to the
/// instances it made (looked up by the instance's type name).
public struct PickleGlobals: Sendable {
  /// Makes a value from the call arguments (REDUCE, NEWOBJ, INST, OBJ).
  public typealias Call = @Sendable (_ arguments: [PickleValue]) throws -> PickleValue
  /// Applies `BUILD` state to a value and returns the updated value.
  public typealias Build = @Sendable (_ instance: PickleValue, _ state: PickleValue) throws -> PickleValue

  public struct Handler: Sendable {
    /// Nil for globals that may only appear as values (e.g. a storage class inside a persistent id).
    public var call: Call?
    public init(call: Call?) { self.call = call }
  }

  private(set) var handlers: [String: Handler] = [:]
  private(set) var builders: [String: Build] = [:]

  /// An empty whitelist: only plain data (no globals at all).
  public init() {}

  /// Allows `name` to be called; `call` makes its value.
  public mutating func allow(_ name: String, call: @escaping Call) {
    handlers[name] = Handler(call: call)
  }

  /// Allows `name` to appear as a value (`PickleValue.global(name)`) but not to be called.
  public mutating func allowReference(_ name: String) {
    handlers[name] = Handler(call: nil)
  }

  /// Lets `BUILD` update instances whose `typeDescription` is `typeName`.
  public mutating func allowBuild(_ typeName: String, build: @escaping Build) {
    builders[typeName] = build
  }

  /// Whether `name` is whitelisted.
  public func allows(_ name: String) -> Bool { handlers[name] != nil }

  func handler(_ name: String) -> Handler? { handlers[name] }
  func builder(_ typeName: String) -> Build? { builders[typeName] }

  /// This whitelist plus `other`'s entries (which win on conflicts).
  public func merging(_ other: PickleGlobals) -> PickleGlobals {
    var merged = self
    merged.handlers.merge(other.handlers) { _, new in new }
    merged.builders.merge(other.builders) { _, new in new }
    return merged
  }
}

extension PickleGlobals {
  /// Built-in containers only: `collections.OrderedDict` (read as a dict), `builtins.set`, `builtins.frozenset`,
  /// `builtins.bytearray` and `_codecs.encode(text, 'latin1')` (how protocol 2 stores `bytes`).
  public static var plain: PickleGlobals {
    var globals = PickleGlobals()
    globals.allow("collections.OrderedDict") { arguments in
      guard let items = arguments.first else { return .dict([]) }
      return .dict(try pairs(items, for: "collections.OrderedDict"))
    }
    globals.allow("builtins.set") { arguments in .set(try elements(arguments.first, for: "builtins.set")) }
    globals.allow("builtins.frozenset") { arguments in
      .frozenSet(try elements(arguments.first, for: "builtins.frozenset"))
    }
    globals.allow("builtins.bytearray") { arguments in
      switch arguments.first {
      case nil: return .bytes([])
      case .bytes(let bytes)?: return .bytes(bytes)
      case .string(let text)? where arguments.count == 2: return .bytes(try latin1(text))
      case .list(let values)?:
        return .bytes(
          try values.map {
            guard let value = $0.intValue, (0...255).contains(value) else {
              throw PickleError.invalidValue("bytearray element \($0.typeDescription) is not a byte")
            }
            return UInt8(value)
          })
      default: throw PickleError.invalidValue("builtins.bytearray called with \(arguments.map(\.typeDescription))")
      }
    }
    globals.allow("_codecs.encode") { arguments in
      guard arguments.count == 2, case .string(let text) = arguments[0], case .string(let encoding) = arguments[1],
        ["latin1", "latin-1", "iso-8859-1"].contains(encoding.lowercased())
      else { throw PickleError.invalidValue("_codecs.encode is only supported as encode(str, 'latin1')") }
      return .bytes(try latin1(text))
    }
    // OrderedDict instances may carry attributes (e.g. torch's `_metadata`); they are not data, so they are dropped.
    globals.allowBuild("dict") { instance, _ in instance }
    return globals
  }

  private static func elements(_ value: PickleValue?, for name: String) throws -> [PickleValue] {
    switch value {
    case nil: return []
    case .list(let items)?, .tuple(let items)?, .set(let items)?, .frozenSet(let items)?: return items
    case let other?: throw PickleError.invalidValue("\(name) called with \(other.typeDescription)")
    }
  }

  private static func pairs(_ value: PickleValue, for name: String) throws -> [PickleKeyValue] {
    if case .dict(let entries) = value { return entries }
    return try elements(value, for: name).map {
      guard case .tuple(let pair) = $0, pair.count == 2 else {
        throw PickleError.invalidValue("\(name) expects (key, value) pairs, got \($0.typeDescription)")
      }
      return PickleKeyValue(pair[0], pair[1])
    }
  }

  static func latin1(_ text: String) throws -> [UInt8] {
    try text.unicodeScalars.map {
      guard $0.value < 256 else {
        throw PickleError.invalidValue("character U+\(String($0.value, radix: 16)) is not latin-1")
      }
      return UInt8($0.value)
    }
  }
}
