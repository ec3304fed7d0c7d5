import Testing
import Torch
import TorchTestSupport

/// The three Adam implementations (single-tensor, multi-tensor foreach, fused) on the CPU: the foreach path runs
/// the single-tensor arithmetic through `_foreach_*` ops and must match it bit for bit; the fused kernel evaluates
/// each element's update in one expression with its own operation order (and vectorised FMAs), so it may differ
/// in the last bits of float32: a few 1e-7 after a handful of steps of size ~1e-2.
@Suite struct AdamImplementationTests {
  private static let fusedTolerance = 2e-6

  private func makeParameters() -> [NamedTensor] {
    [
      ("w", sample([5, 3], seed: 11).to(.float32).requiringGrad()),
      ("b", sample([3], seed: 12).to(.float32).requiringGrad()),
      ("frozen_this_step", sample([4], seed: 13).to(.float32).requiringGrad()),
      ("double", sample([2, 2], seed: 14).requiringGrad()),
    ]
  }

  private func makeOptimizer(_ parameters: [NamedTensor], _ implementation: Adam.Implementation, decoupled: Bool)
    -> Adam
  {
    Adam(
      parameters, learningRate: 1e-2, betas: (0.9, 0.95), eps: 1e-8, weightDecay: 0.1,
      decoupledWeightDecay: decoupled, implementation: implementation)
  }

  /// Sets recorded gradients (none for the third parameter on step 2, which then skips that step) and steps.
  private func train(_ optimizer: Adam, steps: Range<Int>) {
    for step in steps {
      for (i, (_, p)) in optimizer.parameters.enumerated() {
        p.grad = step == 2 && i == 2 ? nil : sample(p.shape, seed: UInt64(100 * step + i)).to(p.dtype)
      }
      optimizer.step()
    }
  }

  private func values(_ parameters: [NamedTensor]) -> [[Double]] { parameters.map { $0.tensor.doubles() } }

  private func expectMatch(
    _ a: [[Double]], _ b: [[Double]], tolerance: Double, _ what: String,
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    for (x, y) in zip(a, b) {
      if tolerance == 0 {
        #expect(x == y, "\(what)", sourceLocation: sourceLocation)
      } else {
        expectClose(x, y, atol: tolerance, rtol: 0, sourceLocation: sourceLocation)
      }
    }
  }

  @Test(arguments: [true, false])
  func foreachMatchesSingleTensorAndFusedIsClose(decoupled: Bool) {
    let reference = makeParameters()
    let single = makeOptimizer(reference, .singleTensor, decoupled: decoupled)
    train(single, steps: 0..<5)
    for implementation in [Adam.Implementation.forEach, .fused] {
      let parameters = makeParameters()
      let optimizer = makeOptimizer(parameters, implementation, decoupled: decoupled)
      train(optimizer, steps: 0..<5)
      let tolerance = implementation == .fused ? Self.fusedTolerance : 0
      expectMatch(values(parameters), values(reference), tolerance: tolerance, "\(implementation) parameters")
      let (got, want) = (optimizer.state(), single.state())
      #expect(got.scalars == want.scalars)
      #expect(got.scalars["param_step/frozen_this_step"] == 4)
      for (name, tensor) in want.tensors {
        expectMatch(
          [got.tensors[name]!.doubles()], [tensor.doubles()], tolerance: tolerance, "\(implementation) \(name)")
      }
    }
  }

  @Test(arguments: Adam.Implementation.allCases, Adam.Implementation.allCases)
  func stateMovesBetweenImplementations(from saved: Adam.Implementation, to restored: Adam.Implementation) throws {
    let uninterrupted = makeParameters()
    train(makeOptimizer(uninterrupted, restored, decoupled: true), steps: 0..<5)

    let first = makeParameters()
    let before = makeOptimizer(first, saved, decoupled: true)
    train(before, steps: 0..<3)
    let state = before.state()
    let second = makeParameters()
    withNoGrad { for ((_, a), (_, b)) in zip(second, first) { a.copy(from: b) } }
    let after = makeOptimizer(second, restored, decoupled: true)
    try after.restore(state)
    #expect(after.stepCount == 3)
    train(after, steps: 3..<5)
    // Same implementation before and after: identical; across implementations the first three steps differ
    // only as the implementations do.
    let tolerance = saved == restored || (saved != .fused && restored != .fused) ? 0 : Self.fusedTolerance
    expectMatch(values(second), values(uninterrupted), tolerance: tolerance, "\(saved) → \(restored)")
  }

  @Test func defaultIsSingleTensorOnTheCPU() {
    #expect(Adam.Implementation.default(for: makeParameters()) == .singleTensor)
    #expect(Adam.adamW(makeParameters()).implementation == .singleTensor)
    #expect(Adam.Implementation(rawValue: "foreach") == .forEach)
  }
}
