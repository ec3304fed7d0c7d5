import Testing
import Torch

@Suite struct TensorBasicsTests {
  @Test func linksLibtorch211() {
    #expect(Torch.version.hasPrefix("2.11"))
  }

  @Test func arrayRoundTripKeepsShapeAndValues() {
    let t = Tensor([1, 2, 3, 4, 5, 6] as [Float], shape: [2, 3])
    #expect(t.shape == [2, 3])
    #expect(t.strides == [3, 1])
    #expect(t.rank == 2)
    #expect(t.count == 6)
    #expect(t.dtype == .float32)
    #expect(t.device == .cpu)
    #expect(t.isContiguous)
    #expect(t.toArray(of: Float.self) == [1, 2, 3, 4, 5, 6])
  }

  @Test(arguments: [DType.float32, .float64, .float16, .bfloat16, .int64, .int32, .uint8, .bool])
  func everyDTypeConverts(dtype: DType) {
    let t = Tensor([0, 1, 2, 3] as [Double]).to(dtype)
    #expect(t.dtype == dtype)
    let back = t.doubles()
    #expect(back == (dtype == .bool ? [0, 1, 1, 1] : [0, 1, 2, 3]))
    #expect(t.contiguousBytes().count == 4 * dtype.byteSize)
  }

  @Test func scalarsAndItems() {
    let s = Tensor(scalar: 2.5)
    #expect(s.shape == [])
    #expect(s.item() == 2.5)
    #expect(Tensor(scalar: Int64(7)).itemInt() == 7)
  }

  @Test func factories() {
    #expect(Tensor.zeros([2, 2]).floats() == [0, 0, 0, 0])
    #expect(Tensor.ones([3], dtype: .int64).ints() == [1, 1, 1])
    #expect(Tensor.full([2], 4.5).floats() == [4.5, 4.5])
    #expect(Tensor.arange(0, 5).ints() == [0, 1, 2, 3, 4])
    #expect(Tensor.arange(1, 2, step: 0.25, dtype: .float64).doubles() == [1, 1.25, 1.5, 1.75])
    #expect(Tensor.linspace(0, 1, steps: 5).floats() == [0, 0.25, 0.5, 0.75, 1])
    #expect(Tensor.eye(2, 3).floats() == [1, 0, 0, 0, 1, 0])
    #expect(Tensor.empty([4, 0]).count == 0)
    #expect(Tensor.zeros(like: Tensor.ones([2, 3], dtype: .float64)).dtype == .float64)
  }

  @Test func bytesInitialiserValidatesSize() throws {
    let values: [Float] = [1, 2, 3]
    let t = try values.withUnsafeBytes { try Tensor(bytes: $0, dtype: .float32, shape: [3]) }
    #expect(t.floats() == [1, 2, 3])
    #expect(throws: TorchError.self) {
      try values.withUnsafeBytes { try Tensor(bytes: $0, dtype: .float32, shape: [4]) }
    }
  }

  @Test func descriptionPrintsValues() {
    #expect(Tensor([1, 2] as [Int64]).description.contains("1"))
  }

  @Test func cudaQueriesAnswerWithoutAGPU() {
    // On machines without libtorch_cuda or a GPU these must answer, not crash.
    if !Device.isCUDAAvailable { #expect(Device.cudaDeviceCount == 0) }
    #expect(Device(parsing: "cuda:1") == .cuda(1))
    #expect(Device(parsing: "cpu") == .cpu)
    #expect(Device(parsing: "tpu") == nil)
  }

  @Test func intraOpThreadsCanBeSet() {
    let before = Torch.intraOpThreads
    Torch.intraOpThreads = 1
    #expect(Torch.intraOpThreads == 1)
    Torch.intraOpThreads = before
  }
}
