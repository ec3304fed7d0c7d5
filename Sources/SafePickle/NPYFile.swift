#if canImport(Foundation)
  import Foundation
#endif

/// Reader for NumPy `.npy` files (format versions 1.0, 2.0 and 3.0).
///
/// Numeric arrays are read directly. Object arrays (`descr` `|O`) store a pickle; they are read only with
/// `allowPickle: true`, and then through the safe `Unpickler` (NumPy arrays and plain data only), never by running
/// code. The reference's preprocessed records are `np.save` of a dict: read them with
/// `try NPYFile.read(bytes, allowPickle: true).item()`.
public enum NPYFile {
  /// Parses an `.npy` file's bytes.
  public static func read(_ bytes: [UInt8], allowPickle: Bool = false) throws -> NumpyArray {
    let (header, dataOffset) = try parseHeader(bytes)
    let dtype = try NumpyDType(descriptor: header.descr)
    if dtype == .object {
      guard allowPickle else {
        throw PickleError.invalidValue(".npy file holds Python objects (a pickle); read it with pickles allowed")
      }
      let value = try Unpickler(globals: .numpyWithObjectArrays).load(bytes, from: dataOffset).value
      guard case .ndarray(let array) = value else {
        throw PickleError.invalidValue(".npy object payload is a \(value.typeDescription), not an array")
      }
      return array
    }
    var elements = 1
    for dimension in header.shape {
      let (product, overflow) = elements.multipliedReportingOverflow(by: dimension)
      guard !overflow, product <= 1 << 40 else {
        throw PickleError.malformed(".npy shape \(header.shape) is too large", offset: 10)
      }
      elements = product
    }
    let byteCount = elements * dtype.itemSize
    guard bytes.count - dataOffset >= byteCount else {
      throw PickleError.truncated(offset: bytes.count, needed: byteCount - (bytes.count - dataOffset))
    }
    return try NumpyArray(
      dtype: dtype, shape: header.shape, isFortranOrder: header.fortranOrder,
      bytes: Array(bytes[dataOffset..<dataOffset + byteCount]))
  }

  #if canImport(Foundation)
    /// Reads the `.npy` file at `path`.
    public static func read(contentsOf path: String, allowPickle: Bool = false) throws -> NumpyArray {
      guard let data = FileManager.default.contents(atPath: path) else {
        throw PickleError.invalidValue("cannot read '\(path)': no such file or not readable")
      }
      do {
        return try read([UInt8](data), allowPickle: allowPickle)
      } catch let error as PickleError {
        throw PickleError.invalidValue("'\(path)': \(error.description)")
      }
    }
  #endif

  struct Header {
    var descr: String
    var fortranOrder: Bool
    var shape: [Int]
  }

  static func parseHeader(_ bytes: [UInt8]) throws -> (Header, Int) {
    var reader = ByteReader(bytes)
    let magic = try reader.take(6)
    guard magic.elementsEqual([0x93] + Array("NUMPY".utf8)) else {
      throw PickleError.malformed("not a .npy file (missing the \\x93NUMPY magic)", offset: 0)
    }
    let major = try reader.byte()
    _ = try reader.byte()
    guard (1...3).contains(major) else {
      throw PickleError.malformed(".npy format version \(major) is not supported (1, 2 and 3 are)", offset: 6)
    }
    let headerLength = try reader.length(major == 1 ? 2 : 4)
    let headerBytes = try reader.take(headerLength)
    guard let text = String(validating: headerBytes, as: UTF8.self) else {
      throw PickleError.invalidText(".npy header is not UTF-8", offset: 10)
    }
    var parser = PythonLiteralParser(text)
    guard case .dict(let entries) = try parser.parse() else {
      throw PickleError.malformed(".npy header is not a dict", offset: 10)
    }
    let header = PickleValue.dict(entries)
    guard case .string(let descr)? = header["descr"], case .bool(let fortran)? = header["fortran_order"],
      case .tuple(let dimensions)? = header["shape"]
    else { throw PickleError.malformed(".npy header lacks descr, fortran_order or shape: \(text)", offset: 10) }
    let shape = try dimensions.map {
      guard let value = $0.intValue, value >= 0, value <= Int64(Int32.max) else {
        throw PickleError.malformed(".npy shape entry \($0) is not a dimension", offset: 10)
      }
      return Int(value)
    }
    return (Header(descr: descr, fortranOrder: fortran, shape: shape), reader.offset)
  }
}
