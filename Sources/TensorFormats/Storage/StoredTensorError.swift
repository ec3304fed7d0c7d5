import Foundation

/// A tensor's layout does not fit its bytes, or its values were asked for as the wrong type.
public enum StoredTensorError: Error, Equatable, CustomStringConvertible, LocalizedError {
  /// The storage range lies outside the buffer.
  case storageOutsideBuffer(range: Range<Int>, bufferSize: Int)
  /// Shape and strides have different lengths.
  case rankMismatch(shape: [Int], strides: [Int])
  /// A size, stride or the storage offset is negative.
  case negativeSize(shape: [Int], strides: [Int], storageOffset: Int)
  /// The element count overflows.
  case tooLarge(shape: [Int])
  /// The view reaches elements past the end of its storage.
  case viewOutsideStorage(shape: [Int], strides: [Int], storageOffset: Int, storageElements: Int)
  /// The given bytes do not hold exactly the elements of the shape.
  case byteCountMismatch(dtype: TensorElementType, shape: [Int], expected: Int, actual: Int)
  /// Values of one type were asked of a tensor of another.
  case wrongElementType(requested: String, actual: TensorElementType)

  public var description: String {
    switch self {
    case .storageOutsideBuffer(let range, let size):
      "tensor storage bytes \(range.lowerBound)..<\(range.upperBound) lie outside the \(size)-byte buffer; the file is truncated or corrupt"
    case .rankMismatch(let shape, let strides):
      "tensor shape \(shape) and strides \(strides) have different lengths; the file is corrupt"
    case .negativeSize(let shape, let strides, let offset):
      "tensor shape \(shape), strides \(strides) or storage offset \(offset) is negative; the file is corrupt"
    case .tooLarge(let shape):
      "tensor shape \(shape) is too large to address; the file is corrupt"
    case .viewOutsideStorage(let shape, let strides, let offset, let elements):
      "tensor view (shape \(shape), strides \(strides), offset \(offset)) reaches past its storage of \(elements) elements; the file is corrupt"
    case .byteCountMismatch(let dtype, let shape, let expected, let actual):
      "a \(dtype) tensor of shape \(shape) needs \(expected) bytes, got \(actual)"
    case .wrongElementType(let requested, let actual):
      "cannot read \(requested) values from a \(actual) tensor; convert it first or use a matching accessor"
    }
  }

  public var errorDescription: String? { description }
}
