/// A Python value read from a pickle. Only data: nothing here can run code.
public indirect enum PickleValue: Sendable, Equatable {
  case none
  case bool(Bool)
  /// A Python `int` that fits in 64 bits (larger ones are rejected with `PickleError.invalidValue`).
  case int(Int64)
  case float(Double)
  case string(String)
  /// `bytes` or `bytearray`.
  case bytes([UInt8])
  case list([PickleValue])
  case tuple([PickleValue])
  /// A `dict` (or `collections.OrderedDict`), keys and values in pickle order.
  case dict([PickleKeyValue])
  case set([PickleValue])
  case frozenSet([PickleValue])
  /// A whitelisted global referenced as a value rather than called, e.g. `torch.FloatStorage`.
  case global(String)
  /// A NumPy array (from the `numpy` globals preset or an `.npy` file).
  case ndarray(NumpyArray)
  /// An instance produced by a whitelisted global that has no dedicated case.
  case object(PickleObject)
}

/// One entry of a pickled `dict`.
public struct PickleKeyValue: Sendable, Equatable {
  public var key: PickleValue
  public var value: PickleValue

  public init(_ key: PickleValue, _ value: PickleValue) {
    self.key = key
    self.value = value
  }
}

/// An instance of a whitelisted Python type, kept as its constructor call and `BUILD` state.
public struct PickleObject: Sendable, Equatable {
  /// The qualified type name, e.g. `torch.Tensor`; handlers choose it.
  public var typeName: String
  /// The arguments it was made from (REDUCE / NEWOBJ arguments, or whatever the handler keeps).
  public var arguments: [PickleValue]
  /// The state given by `BUILD`, if any.
  public var state: PickleValue?

  public init(typeName: String, arguments: [PickleValue], state: PickleValue? = nil) {
    self.typeName = typeName
    self.arguments = arguments
    self.state = state
  }
}

extension PickleValue {
  /// The Python type name, for error messages.
  public var typeDescription: String {
    switch self {
    case .none: return "None"
    case .bool: return "bool"
    case .int: return "int"
    case .float: return "float"
    case .string: return "str"
    case .bytes: return "bytes"
    case .list: return "list"
    case .tuple: return "tuple"
    case .dict: return "dict"
    case .set: return "set"
    case .frozenSet: return "frozenset"
    case .global(let name): return "global \(name)"
    case .ndarray: return "numpy.ndarray"
    case .object(let object): return object.typeName
    }
  }

  public var intValue: Int64? {
    switch self {
    case .int(let value): return value
    case .bool(let value): return value ? 1 : 0
    default: return nil
    }
  }

  /// The value of an `int` or `float` as a `Double`.
  public var doubleValue: Double? {
    switch self {
    case .float(let value): return value
    case .int(let value): return Double(value)
    case .bool(let value): return value ? 1 : 0
    default: return nil
    }
  }

  public var stringValue: String? {
    if case .string(let value) = self { return value }
    return nil
  }

  public var boolValue: Bool? {
    if case .bool(let value) = self { return value }
    return nil
  }

  /// The elements of a list or tuple.
  public var sequenceElements: [PickleValue]? {
    switch self {
    case .list(let elements), .tuple(let elements): return elements
    default: return nil
    }
  }

  /// The entries of a dict.
  public var dictEntries: [PickleKeyValue]? {
    if case .dict(let entries) = self { return entries }
    return nil
  }

  /// The value stored under a string key of a dict (the last one if the key repeats, as in Python).
  public subscript(key: String) -> PickleValue? {
    dictEntries?.last { $0.key == .string(key) }?.value
  }
}
