import Testing
import Torch
import TorchTestSupport

/// Compares autograd gradients of `sum(f(inputs) * upstream)` with central finite differences in float64.
func expectGradientsMatchFiniteDifferences(
  _ inputs: [Tensor], step: Double = 1e-6, tolerance: Double = 1e-6,
  sourceLocation: SourceLocation = #_sourceLocation, _ f: ([Tensor]) -> Tensor
) {
  let output = f(inputs)
  let upstream = sample(output.shape, seed: 99)
  (output * upstream).sum().backward()
  for (k, input) in inputs.enumerated() where input.requiresGrad {
    guard let analytic = input.grad?.doubles() else {
      Issue.record("input \(k) received no gradient", sourceLocation: sourceLocation)
      continue
    }
    let base = input.doubles()
    let numeric = base.indices.map { i -> Double in
      func objective(_ delta: Double) -> Double {
        var values = base
        values[i] += delta
        let perturbed = inputs.enumerated().map { j, t in j == k ? Tensor(values, shape: t.shape) : t.detach() }
        return withNoGrad { (f(perturbed) * upstream).sum().item() }
      }
      return (objective(step) - objective(-step)) / (2 * step)
    }
    expectClose(analytic, numeric, atol: tolerance, rtol: tolerance, sourceLocation: sourceLocation)
  }
}

@Suite struct GradientCheckTests {
  @Test func matmulAndLinear() {
    expectGradientsMatchFiniteDifferences([
      sample([3, 4], seed: 1, requiresGrad: true), sample([4, 2], seed: 2, requiresGrad: true),
    ]) {
      $0[0].matmul($0[1])
    }
    expectGradientsMatchFiniteDifferences([
      sample([2, 3, 4], seed: 1, requiresGrad: true), sample([5, 4], seed: 2, requiresGrad: true),
      sample([5], seed: 3, requiresGrad: true),
    ]) { Functional.linear($0[0], weight: $0[1], bias: $0[2]) }
  }

  @Test func conv1dWithStridePaddingGroups() {
    expectGradientsMatchFiniteDifferences([
      sample([2, 4, 9], seed: 1, requiresGrad: true), sample([6, 2, 3], seed: 2, requiresGrad: true),
      sample([6], seed: 3, requiresGrad: true),
    ]) { Functional.conv1d($0[0], weight: $0[1], bias: $0[2], stride: 2, padding: 1, groups: 2) }
  }

  @Test func normalisationLayers() {
    expectGradientsMatchFiniteDifferences([
      sample([3, 5], seed: 1, requiresGrad: true), sample([5], seed: 2, requiresGrad: true),
      sample([5], seed: 3, requiresGrad: true),
    ]) { Functional.layerNorm($0[0], normalizedShape: [5], weight: $0[1], bias: $0[2]) }
    expectGradientsMatchFiniteDifferences([
      sample([4, 3, 5], seed: 1, requiresGrad: true), sample([3], seed: 2, requiresGrad: true),
      sample([3], seed: 3, requiresGrad: true),
    ]) { Functional.batchNorm($0[0], runningMean: nil, runningVar: nil, weight: $0[1], bias: $0[2], training: true) }
  }

  @Test func activationsAndSoftmax() {
    let x = { sample([3, 4], seed: 7, requiresGrad: true) }
    expectGradientsMatchFiniteDifferences([x()]) { $0[0].softmax(dim: -1) }
    expectGradientsMatchFiniteDifferences([x()]) { $0[0].logSoftmax(dim: 0) }
    expectGradientsMatchFiniteDifferences([x()]) { $0[0].gelu() }
    expectGradientsMatchFiniteDifferences([x()]) { $0[0].gelu(approximate: .tanh) }
    expectGradientsMatchFiniteDifferences([x()]) { $0[0].silu() }
  }

  @Test func attentionWithCausalAndKeyPaddingMasks() {
    let inputs = {
      [
        sample([2, 2, 4, 3], seed: 1, requiresGrad: true), sample([2, 2, 4, 3], seed: 2, requiresGrad: true),
        sample([2, 2, 4, 3], seed: 3, requiresGrad: true),
      ]
    }
    expectGradientsMatchFiniteDifferences(inputs()) {
      Functional.scaledDotProductAttention(query: $0[0], key: $0[1], value: $0[2], isCausal: true)
    }
    // Key padding: the last key of the second sequence is padding (false = masked out).
    let keep = Tensor([true, true, true, true, true, true, true, false], shape: [2, 1, 1, 4])
    expectGradientsMatchFiniteDifferences(inputs()) {
      Functional.scaledDotProductAttention(query: $0[0], key: $0[1], value: $0[2], mask: keep)
    }
  }

  @Test func lossesAndEmbedding() {
    let target = Tensor([2, -100, 0, 1] as [Int64])
    expectGradientsMatchFiniteDifferences([sample([4, 3], seed: 5, requiresGrad: true)]) {
      Functional.crossEntropy($0[0], target, ignoreIndex: -100)
    }
    expectGradientsMatchFiniteDifferences([sample([4, 3], seed: 5, requiresGrad: true), sample([4, 3], seed: 6)]) {
      Functional.mseLoss($0[0], $0[1])
    }
    let indices = Tensor([1, 0, 1, 3] as [Int64], shape: [2, 2])
    expectGradientsMatchFiniteDifferences([sample([4, 3], seed: 8, requiresGrad: true)]) {
      Functional.embedding(indices, weight: $0[0])
    }
    // With a padding index, that row gets no gradient although it is used; the others get theirs.
    let weight = sample([4, 3], seed: 8, requiresGrad: true)
    Functional.embedding(indices, weight: weight, paddingIndex: 0).sum().backward()
    #expect(weight.grad!.doubles() == [0, 0, 0, 2, 2, 2, 0, 0, 0, 1, 1, 1])
  }
}

@Suite struct AutogradTests {
  @Test func backwardAccumulatesAndCanBeCleared() {
    let w = Tensor([1, 2] as [Double]).requiringGrad()
    #expect(w.isLeaf)
    let y = (w * w).sum()
    #expect(y.hasGradFunction)
    y.backward()
    #expect(w.grad!.doubles() == [2, 4])
    (w * 3).sum().backward()
    #expect(w.grad!.doubles() == [5, 7])
    w.grad = nil
    #expect(w.grad == nil)
  }

  @Test func upstreamGradientAndRetainGraph() {
    let w = Tensor([1, 2] as [Double]).requiringGrad()
    let y = w * 2
    y.backward(Tensor([1, 10] as [Double]), retainGraph: true)
    #expect(w.grad!.doubles() == [2, 20])
    y.backward(Tensor([1, 1] as [Double]))
    #expect(w.grad!.doubles() == [4, 22])
  }

  @Test func noGradAndInferenceScopes() {
    let w = Tensor([1] as [Double]).requiringGrad()
    let free = withNoGrad { w * 2 }
    #expect(!free.requiresGrad)
    #expect(isGradEnabled)
    let inferred = withInferenceMode { w * 2 }
    #expect(!inferred.requiresGrad)
    #expect((w * 2).requiresGrad)
    #expect(!w.detach().requiresGrad)
  }

  @Test func optimizerStyleInPlaceUpdateInsideNoGrad() {
    let w = Tensor([1, 2] as [Double]).requiringGrad()
    (w * w).sum().backward()
    withNoGrad { w.addInPlace(w.grad!, alpha: -0.1) }
    #expect(w.doubles() == [0.8, 1.6])
    #expect(w.isLeaf)
  }
}
