import TensorFormats
import Testing

@Suite struct StoredTensorTests {
  /// Storage 0..<24 as float32.
  static func storage() -> ByteBuffer {
    let values = (0..<24).map { Float($0).bitPattern.littleEndian }
    return values.withUnsafeBytes { ByteBuffer(copying: $0) }
  }

  @Test func stridedViewWithStorageOffsetGathersTheRightElements() throws {
    // Like torch.arange(24).view(6, 4)[:, 1:3]: shape [6, 2], strides [4, 1], offset 1.
    let view = try StoredTensor(
      dtype: .float32, shape: [6, 2], strides: [4, 1], storageOffset: 1, buffer: Self.storage())
    #expect(!view.isContiguous)
    #expect(try view.floatValues() == [1, 2, 5, 6, 9, 10, 13, 14, 17, 18, 21, 22])
    let contiguous = view.makeContiguous()
    #expect(contiguous.isContiguous)
    #expect(try contiguous.floatValues() == [1, 2, 5, 6, 9, 10, 13, 14, 17, 18, 21, 22])
    #expect(view.contiguousBytes() == contiguous.contiguousBytes())
  }

  @Test func transposedViewIsReadInLogicalOrder() throws {
    let view = try StoredTensor(
      dtype: .float32, shape: [3, 2], strides: [1, 3], storageOffset: 0, buffer: Self.storage())
    #expect(try view.floatValues() == [0, 3, 1, 4, 2, 5])
  }

  @Test func viewsReachingPastTheStorageAreRejected() {
    #expect(throws: StoredTensorError.self) {
      try StoredTensor(dtype: .float32, shape: [6, 2], strides: [4, 1], storageOffset: 3, buffer: Self.storage())
    }
    #expect(throws: StoredTensorError.self) {
      try StoredTensor(dtype: .float32, shape: [2], strides: [-1], buffer: Self.storage())
    }
    #expect(throws: StoredTensorError.self) {
      try StoredTensor(dtype: .float32, shape: [Int.max, 4], buffer: Self.storage())
    }
  }

  @Test func sizeOneDimensionsAndEmptyTensorsCountAsContiguous() throws {
    let view = try StoredTensor(
      dtype: .float32, shape: [1, 4], strides: [99, 1], storageOffset: 2, buffer: Self.storage())
    #expect(view.isContiguous)
    #expect(try view.floatValues() == [2, 3, 4, 5])
    let empty = try StoredTensor(dtype: .float32, shape: [0, 5], strides: [7, 3], buffer: Self.storage())
    #expect(empty.contiguousBytes().isEmpty)
  }

  @Test func valuesOfTheWrongTypeAreRefused() throws {
    let ints = try StoredTensor(int64: [1, 2], shape: [2])
    #expect(throws: StoredTensorError.wrongElementType(requested: "Float", actual: .int64)) { try ints.floatValues() }
    #expect(try ints.doubleValues() == [1, 2])
  }

  @Test func halfPrecisionEncodingRoundsToNearestEven() throws {
    // 1 + 2^-11 lies halfway between two halves: ties go to the even one (1.0).
    let values: [Float] = [1 + 0x1p-11, 1 + 0x1p-11 + 0x1p-20, 70000, -0x1p-25, .nan, 0x1p-24]
    let half = try StoredTensor(float16: values, shape: [6]).floatValues()
    #expect(half[0] == 1)
    #expect(half[1] == 1 + 0x1p-10)
    #expect(half[2] == .infinity)
    #expect(half[3] == 0 && half[3].sign == .minus)
    #expect(half[4].isNaN)
    #expect(half[5] == 0x1p-24)
    let bfloat = try StoredTensor(bfloat16: [1 + 0x1p-8, 1 + 0x1p-8 + 0x1p-20, .nan], shape: [3]).floatValues()
    #expect(bfloat[0] == 1)
    #expect(bfloat[1] == 1 + 0x1p-7)
    #expect(bfloat[2].isNaN)
  }
}

extension StoredTensorTests {
  /// Memory owned elsewhere, as a libtorch tensor's would be.
  final class Owner: @unchecked Sendable {
    let pointer: UnsafeMutableRawPointer
    let bytes: [UInt8]
    init(_ bytes: [UInt8]) {
      self.bytes = bytes
      pointer = UnsafeMutableRawPointer.allocate(byteCount: bytes.count, alignment: 16)
      pointer.copyMemory(from: bytes, byteCount: bytes.count)
    }
    deinit { pointer.deallocate() }
  }

  @Test func borrowedBytesAreWrittenWithoutACopy() throws {
    let owner = Owner((0..<8).map { UInt8($0) })
    let buffer = ByteBuffer(borrowing: owner.pointer, count: 8, owner: owner)
    let tensor = try StoredTensor(dtype: .uint8, shape: [2, 4], buffer: buffer)
    #expect(tensor.withContiguousBytes { $0.baseAddress } == UnsafeRawPointer(owner.pointer))
    var writer = SafeTensorsWriter()
    try writer.add(tensor, named: "x")
    let read = try SafeTensorsFile(buffer: ByteBuffer(copying: writer.serialized()))
    #expect(try read["x"]?.uint8Values() == owner.bytes)
  }
}
