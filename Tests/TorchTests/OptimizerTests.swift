import Foundation
import Testing
import Torch
import TorchTestSupport

@Suite struct OptimizerTests {
  @Test func gradientClippingScalesToTheGlobalNorm() {
    let a = Tensor.zeros([2]).requiringGrad()
    let b = Tensor.zeros([1]).requiringGrad()
    a.grad = Tensor([3, 0] as [Float])
    b.grad = Tensor([4] as [Float])
    let total = clipGradientNorm([a, b], maxNorm: 1)
    // The norm stays a tensor on the gradients' device: reading it is the caller's (logging) sync point.
    #expect(total.shape == [] && total.device == a.grad!.device)
    #expect(Swift.abs(total.item() - 5) < 1e-6)
    expectClose(a.grad!.doubles() + b.grad!.doubles(), [0.6, 0, 0.8], atol: 1e-6)
    let small = clipGradientNorm([a, b], maxNorm: 10)
    #expect(Swift.abs(small.item() - 1) < 1e-5)
    expectClose(a.grad!.doubles(), [0.6, 0], atol: 1e-6)
    #expect(clipGradientNorm([Tensor.zeros([3]).requiringGrad()], maxNorm: 1).item() == 0)
  }

  @Test func emaFollowsAndRestores() throws {
    let p = Tensor([0, 0] as [Float]).requiringGrad()
    let ema = EMA([("w", p)], decay: 0.5)
    withNoGrad { p.fill(4) }
    ema.update()
    #expect(ema.shadows["w"]!.floats() == [2, 2])
    ema.update()
    #expect(ema.shadows["w"]!.floats() == [3, 3])
    try ema.restore(StateDict([("w", Tensor([1, 1] as [Float]))]))
    #expect(ema.shadows["w"]!.floats() == [1, 1])
    #expect(throws: OptimizerStateMismatch.self) { try ema.restore(StateDict()) }
  }
}
