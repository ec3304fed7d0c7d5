import ECGModels
import Testing
import Torch

@Suite struct RandomDrawsTests {
  @Test func replayHandsOutRecordedDrawsInOrder() {
    let first = Tensor([1, 2, 3] as [Float], shape: [3])
    let second = Tensor([7, 8] as [Int64], shape: [2])
    let draws = RandomDraws(replaying: [first, second])
    #expect(!draws.isExhausted)
    #expect(draws.randn([3]).floats() == [1, 2, 3])
    #expect(draws.randint(0, 1000, [2]).ints() == [7, 8])
    #expect(draws.consumed == 2)
    #expect(draws.isExhausted)
  }

  @Test func replayConvertsToTheRequestedDtype() {
    let draws = RandomDraws(replaying: [Tensor([0.25, 0.5] as [Float], shape: [2])])
    let got = draws.rand([2], dtype: .float64)
    #expect(got.dtype == .float64)
    #expect(got.doubles() == [0.25, 0.5])
  }

  @Test func replayRefusesAShapeTheCallDoesNotAskFor() async {
    await #expect(processExitsWith: .failure) {
      _ = RandomDraws(replaying: [Tensor.zeros([4])]).randn([2, 2])
    }
  }

  /// The generator mode makes the plain libtorch calls, so a seed gives the same values.
  @Test func generatorDrawsMatchDirectCalls() async {
    await #expect(processExitsWith: .success) {
      let view = Tensor.zeros([2, 5, 3]).transposed(1, 2)
      Torch.manualSeed(7)
      let direct = [Tensor.randn(like: view), Tensor.rand([4]), Tensor.randint(0, 1000, [3])]
      Torch.manualSeed(7)
      let draws = RandomDraws()
      let routed = [draws.randn(like: view), draws.rand([4]), draws.randint(0, 1000, [3])]
      precondition(zip(direct, routed).allSatisfy { $0.doubles() == $1.doubles() }, "draws differ")
    }
  }
}
