/// The element types the tensor file formats in this module read and write.
///
/// Raw values are the safetensors spellings (`F32`, `BF16`, ...); ``pytorchName`` gives PyTorch's
/// (`float32`, `bfloat16`, ...). The set matches the dtypes the Torch engine supports.
public enum TensorElementType: String, Sendable, CaseIterable, CustomStringConvertible {
  case float64 = "F64"
  case float32 = "F32"
  case float16 = "F16"
  case bfloat16 = "BF16"
  case int64 = "I64"
  case int32 = "I32"
  case uint8 = "U8"
  case bool = "BOOL"

  /// The safetensors spelling, e.g. `F32`.
  public var safeTensorsName: String { rawValue }

  /// PyTorch's spelling, e.g. `float32`.
  public var pytorchName: String {
    switch self {
    case .float64: "float64"
    case .float32: "float32"
    case .float16: "float16"
    case .bfloat16: "bfloat16"
    case .int64: "int64"
    case .int32: "int32"
    case .uint8: "uint8"
    case .bool: "bool"
    }
  }

  /// The legacy storage class `torch.save` names in its pickle, e.g. `FloatStorage`.
  public var torchStorageName: String {
    switch self {
    case .float64: "DoubleStorage"
    case .float32: "FloatStorage"
    case .float16: "HalfStorage"
    case .bfloat16: "BFloat16Storage"
    case .int64: "LongStorage"
    case .int32: "IntStorage"
    case .uint8: "ByteStorage"
    case .bool: "BoolStorage"
    }
  }

  /// Size of one element in bytes.
  public var byteSize: Int {
    switch self {
    case .float64, .int64: 8
    case .float32, .int32: 4
    case .float16, .bfloat16: 2
    case .uint8, .bool: 1
    }
  }

  /// Whether the type holds floating-point values.
  public var isFloatingPoint: Bool {
    switch self {
    case .float64, .float32, .float16, .bfloat16: true
    case .int64, .int32, .uint8, .bool: false
    }
  }

  /// Same as ``pytorchName``.
  public var description: String { pytorchName }

  /// The type with this safetensors spelling (`F32`), or nil.
  public init?(safeTensorsName: String) {
    self.init(rawValue: safeTensorsName)
  }

  /// The type with this PyTorch spelling (`float32`, also `torch.float32`), or nil.
  public init?(pytorchName: String) {
    let name = pytorchName.hasPrefix("torch.") ? String(pytorchName.dropFirst(6)) : pytorchName
    guard let match = Self.allCases.first(where: { $0.pytorchName == name }) else { return nil }
    self = match
  }

  /// The type of a legacy torch storage class name (`FloatStorage`), or nil.
  public init?(torchStorageName: String) {
    guard let match = Self.allCases.first(where: { $0.torchStorageName == torchStorageName }) else { return nil }
    self = match
  }

  /// Rank in the safetensors reference writer's ordering: it writes tensors sorted by dtype,
  /// descending in its enum order (so wider types come first), then by name.
  var safeTensorsWriteRank: Int {
    switch self {
    case .bool: 0
    case .uint8: 1
    case .float16: 7
    case .bfloat16: 8
    case .int32: 9
    case .float32: 11
    case .float64: 12
    case .int64: 13
    }
  }
}
