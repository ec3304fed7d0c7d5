/// A value read from a `torch.save` checkpoint: Python data with tensors in place.
///
/// Dictionaries keep their pickle order and their keys as values (state dicts use strings,
/// optimizer state uses integer parameter ids).
public indirect enum CheckpointValue: Sendable {
  /// Python `None`.
  case none
  /// A Python `bool`.
  case bool(Bool)
  /// A Python `int` that fits in 64 bits.
  case int(Int64)
  /// A Python `float`.
  case float(Double)
  /// A Python `str`.
  case string(String)
  /// Python `bytes` or `bytearray`.
  case bytes([UInt8])
  /// A Python `list` (also used for `set` and `frozenset`, whose order is the pickle's).
  case list([CheckpointValue])
  /// A Python `tuple`.
  case tuple([CheckpointValue])
  /// A `dict` or `collections.OrderedDict`, in order.
  case dictionary([CheckpointEntry])
  /// A tensor (or parameter), pointing into the checkpoint file.
  case tensor(StoredTensor)

  /// The value under string key `key` of a dictionary (the last, if repeated, as in Python).
  public subscript(key: String) -> CheckpointValue? {
    guard case .dictionary(let entries) = self else { return nil }
    return entries.last { if case .string(key) = $0.key { true } else { false } }?.value
  }

  /// The entries of a dictionary.
  public var dictionaryEntries: [CheckpointEntry]? {
    if case .dictionary(let entries) = self { return entries }
    return nil
  }

  /// The tensor, when this is one.
  public var tensor: StoredTensor? {
    if case .tensor(let tensor) = self { return tensor }
    return nil
  }

  /// The integer, when this is an `int`.
  public var intValue: Int64? {
    if case .int(let value) = self { return value }
    return nil
  }

  /// A dictionary whose keys are all strings and values all tensors (a PyTorch `state_dict`), in
  /// order; nil for anything else.
  public var stateDictionary: [(name: String, tensor: StoredTensor)]? {
    guard let entries = dictionaryEntries else { return nil }
    var result: [(name: String, tensor: StoredTensor)] = []
    for entry in entries {
      guard case .string(let name) = entry.key, case .tensor(let tensor) = entry.value else { return nil }
      result.append((name, tensor))
    }
    return result
  }

  /// Whether a tensor occurs anywhere inside.
  public var containsTensors: Bool {
    switch self {
    case .tensor: true
    case .list(let items), .tuple(let items): items.contains { $0.containsTensors }
    case .dictionary(let entries): entries.contains { $0.key.containsTensors || $0.value.containsTensors }
    default: false
    }
  }

  /// Python's name for the value's type, for messages.
  public var typeDescription: String {
    switch self {
    case .none: "None"
    case .bool: "bool"
    case .int: "int"
    case .float: "float"
    case .string: "str"
    case .bytes: "bytes"
    case .list: "list"
    case .tuple: "tuple"
    case .dictionary: "dict"
    case .tensor(let tensor): "tensor(\(tensor.dtype), \(tensor.shape))"
    }
  }
}

/// One key/value pair of a ``CheckpointValue/dictionary(_:)``.
public struct CheckpointEntry: Sendable {
  /// The key, usually a string.
  public var key: CheckpointValue
  /// The value.
  public var value: CheckpointValue

  /// A pair.
  public init(key: CheckpointValue, value: CheckpointValue) {
    self.key = key
    self.value = value
  }
}
