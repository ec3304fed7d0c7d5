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

  /// Gradients of two dtypes form two foreach groups; the result is the per-tensor computation's.
  @Test func gradientClippingGroupsByDType() {
    let parameters = [sample([3, 4], seed: 1), sample([5], seed: 2), sample([2, 2], seed: 3).to(.float32)]
      .map { $0.requiringGrad() }
    for (i, p) in parameters.enumerated() { p.grad = sample(p.shape, seed: UInt64(10 + i)).to(p.dtype) * 3 }
    let before = parameters.map { $0.grad!.doubles() }
    let expectedTotal = before.joined().map { $0 * $0 }.reduce(0, +).squareRoot()
    let total = clipGradientNorm(parameters, maxNorm: 1)
    #expect(total.dtype == .float64)
    #expect(Swift.abs(total.item() - expectedTotal) < 1e-5)
    let coefficient = 1 / (expectedTotal + 1e-6)
    for (p, old) in zip(parameters, before) {
      expectClose(p.grad!.doubles(), old.map { $0 * coefficient }, atol: 1e-6)
      #expect(p.grad!.dtype == p.dtype)
    }
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
