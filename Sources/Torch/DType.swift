/// Element types of tensors. Raw values are libtorch's `c10::ScalarType` codes.
public enum DType: Int32, Sendable, CaseIterable, CustomStringConvertible {
  case uint8 = 0
  case int32 = 3
  case int64 = 4
  case float16 = 5
  case float32 = 6
  case float64 = 7
  case bool = 11
  case bfloat16 = 15

  /// Size of one element in bytes.
  public var byteSize: Int {
    switch self {
    case .uint8, .bool: 1
    case .float16, .bfloat16: 2
    case .int32, .float32: 4
    case .int64, .float64: 8
    }
  }

  /// Whether the type holds floating-point values (and so can require gradients).
  public var isFloatingPoint: Bool {
    switch self {
    case .float16, .bfloat16, .float32, .float64: true
    default: false
    }
  }

  /// PyTorch's spelling, e.g. `float32`.
  public var description: String {
    switch self {
    case .uint8: "uint8"
    case .int32: "int32"
    case .int64: "int64"
    case .float16: "float16"
    case .float32: "float32"
    case .float64: "float64"
    case .bool: "bool"
    case .bfloat16: "bfloat16"
    }
  }
}
