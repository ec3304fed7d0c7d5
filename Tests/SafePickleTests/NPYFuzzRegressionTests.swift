import Testing

@testable import SafePickle

/// `.npy` and pickle inputs that trapped, kept as regression tests (see docs/fuzzing.md): each must be read or
/// throw a `PickleError`, never trap.
@Suite struct NPYFuzzRegressionTests {
  /// An `.npy` file (format 1.0) with `header` padded as NumPy pads it, followed by `data`.
  static func npy(header: String, data: [UInt8] = []) -> [UInt8] {
    var text = Array(header.utf8)
    let total = 10 + text.count + 1
    text += repeatElement(UInt8(ascii: " "), count: (64 - total % 64) % 64) + [0x0A]
    return [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(text.count & 0xFF), UInt8(text.count >> 8)] + text + data
  }

  @Test func shapeWhoseByteCountOverflowsIsAnError() {
    // Each dimension is allowed (≤ Int32.max), their product overflows Int: trapped in `reduce(1, *)`.
    let bytes = Self.npy(header: "{'descr': '<f8', 'fortran_order': False, 'shape': (2147483647, 2147483647, 4), }")
    #expect(throws: PickleError.self) { try NPYFile.read(bytes) }
  }
}
