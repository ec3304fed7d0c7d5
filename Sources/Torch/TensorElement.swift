/// Swift types that can be copied into and out of tensors element by element.
public protocol TensorElement: Sendable {
  /// The tensor dtype with this element layout.
  static var dtype: DType { get }
}

extension Float: TensorElement { public static var dtype: DType { .float32 } }
extension Double: TensorElement { public static var dtype: DType { .float64 } }
extension Int64: TensorElement { public static var dtype: DType { .int64 } }
extension Int32: TensorElement { public static var dtype: DType { .int32 } }
extension UInt8: TensorElement { public static var dtype: DType { .uint8 } }
extension Bool: TensorElement { public static var dtype: DType { .bool } }
/// `Int` is 64-bit on every platform this package supports.
extension Int: TensorElement { public static var dtype: DType { .int64 } }
