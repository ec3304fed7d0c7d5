import Foundation
import Testing
import Torch
import TorchTestSupport

@Suite struct NeuralOpsTests {
  let v = Tensor([1, 2, 3] as [Double])

  @Test func activations() {
    expectClose(v.softmax(dim: 0), [0.09003057317038046, 0.24472847105479767, 0.6652409557748219])
    expectClose(v.logSoftmax(dim: 0), [-2.4076059644443806, -1.4076059644443806, -0.4076059644443806])
    let g = Tensor([1, -1] as [Double])
    expectClose(g.gelu(), [0.8413447460685429, -0.15865525393145707], atol: 1e-12)
    expectClose(g.gelu(approximate: .tanh), [0.8411919906082768, -0.15880800939172324], atol: 1e-12)
    expectClose(g.silu(), [0.7310585786300049, -0.2689414213699951], atol: 1e-12)
    #expect(g.relu().doubles() == [1, 0])
    expectClose(Functional.normalize(Tensor([3, 4] as [Double], shape: [1, 2])), [0.6, 0.8])
  }

  @Test func linearAndConvolution() {
    let x = Tensor([1, 2] as [Double], shape: [1, 2])
    let w = Tensor([1, 0, 0, 1, 1, 1] as [Double], shape: [3, 2])
    let b = Tensor([0, 1, 2] as [Double])
    #expect(Functional.linear(x, weight: w, bias: b).doubles() == [1, 3, 5])
    #expect(Functional.linear(x, weight: w).doubles() == [1, 2, 3])
    let signal = Tensor([1, 2, 3, 4, 5] as [Double], shape: [1, 1, 5])
    let kernel = Tensor([1, 0, -1] as [Double], shape: [1, 1, 3])
    #expect(Functional.conv1d(signal, weight: kernel).doubles() == [-2, -2, -2])
    #expect(Functional.conv1d(signal, weight: kernel, padding: 1).doubles() == [-2, -2, -2, -2, 4])
    #expect(Functional.conv1d(signal, weight: kernel, stride: 2).doubles() == [-2, -2])
    let twoChannels = Tensor([1, 2, 3, 10, 20, 30] as [Double], shape: [1, 2, 3])
    let depthwise = Tensor([1, 1, 2, 2] as [Double], shape: [2, 1, 2])
    #expect(Functional.conv1d(twoChannels, weight: depthwise, groups: 2).doubles() == [3, 5, 60, 100])
  }

  @Test func normalisations() {
    let x = Tensor([1, 2, 3, 4] as [Double], shape: [1, 4])
    let scale = 1 / (1.25 + 1e-5).squareRoot()
    expectClose(Functional.layerNorm(x, normalizedShape: [4]), [-1.5, -0.5, 0.5, 1.5].map { $0 * scale })
    let affine = Functional.layerNorm(
      x, normalizedShape: [4], weight: Tensor.full([4], 2, dtype: .float64), bias: Tensor.ones([4], dtype: .float64))
    expectClose(affine, [-1.5, -0.5, 0.5, 1.5].map { 2 * $0 * scale + 1 })

    let batch = Tensor([1, 3] as [Double], shape: [2, 1])
    let mean = Tensor.zeros([1], dtype: .float64)
    let variance = Tensor.ones([1], dtype: .float64)
    let trained = Functional.batchNorm(batch, runningMean: mean, runningVar: variance, training: true)
    expectClose(trained, [-1 / (1 + 1e-5).squareRoot(), 1 / (1 + 1e-5).squareRoot()])
    expectClose(mean, [0.2])
    expectClose(variance, [1.1])
    let evaluated = Functional.batchNorm(batch, runningMean: mean, runningVar: variance, training: false)
    expectClose(evaluated, [(1 - 0.2) / (1.1 + 1e-5).squareRoot(), (3 - 0.2) / (1.1 + 1e-5).squareRoot()])
  }

  @Test func embeddingPoolingPaddingDropout() {
    let weight = Tensor([0, 0, 1, 1, 2, 2] as [Double], shape: [3, 2])
    #expect(Functional.embedding(Tensor([2, 0] as [Int64]), weight: weight).doubles() == [2, 2, 0, 0])
    #expect(
      Functional.adaptiveAvgPool1d(Tensor([1, 2, 3, 4] as [Double], shape: [1, 1, 4]), outputSize: 2).doubles() == [
        1.5, 3.5,
      ])
    #expect(
      Functional.pad(Tensor([1, 2] as [Double], shape: [1, 2]), [1, 2], value: 9).doubles() == [9, 1, 2, 9, 9])
    #expect(
      Functional.pad(Tensor([1, 2, 3] as [Double], shape: [1, 1, 3]), [1, 1], mode: .reflect).doubles() == [
        2, 1, 2, 3, 2,
      ])
    let ones = Tensor.ones([1000], dtype: .float64)
    #expect(Functional.dropout(ones, p: 0.5, training: false).doubles() == ones.doubles())
    let dropped = Functional.dropout(ones, p: 0.5, training: true).doubles()
    #expect(Set(dropped).isSubset(of: [0, 2]))
    #expect((300...700).contains(dropped.filter { $0 == 0 }.count))
  }

  @Test func losses() {
    expectClose(Functional.mseLoss(Tensor([1, 2] as [Double]), Tensor([3, 5] as [Double])), [6.5])
    expectClose(Functional.mseLoss(Tensor([1, 2] as [Double]), Tensor([3, 5] as [Double]), reduction: .sum), [13])
    expectClose(Functional.l1Loss(Tensor([1, 2] as [Double]), Tensor([3, 5] as [Double])), [2.5])
    let logits = Tensor([1, 2, 3, 1, 2, 3] as [Double], shape: [2, 3])
    let target = Tensor([2, -100] as [Int64])
    expectClose(Functional.crossEntropy(logits, target), [0.4076059644443806])
    expectClose(
      Functional.crossEntropy(logits, Tensor([2, 0] as [Int64]), reduction: .none),
      [0.4076059644443806, 2.4076059644443806])
    expectClose(
      Functional.binaryCrossEntropyWithLogits(Tensor([0, 0] as [Double]), Tensor([1, 0] as [Double])),
      [Foundation.log(2.0)])
  }

  @Test func attention() {
    // One head, three positions; the causal first query can only see the first key.
    let q = sample([1, 1, 3, 4], seed: 3)
    let k = sample([1, 1, 3, 4], seed: 4)
    let values = sample([1, 1, 3, 4], seed: 5)
    let causal = Functional.scaledDotProductAttention(query: q, key: k, value: values, isCausal: true)
    expectClose(causal[0, 0, 0].doubles(), values[0, 0, 0].doubles(), atol: 1e-12)
    // A hand-written reference: softmax(q k^T / sqrt(d) + mask) v.
    let scores = q.matmul(k.transposed(-2, -1)) / 2
    let keep = Tensor([true, true, false, true, true, false, true, true, false], shape: [3, 3])
    let reference = scores.maskedFill(keep.logicalNot(), -Double.infinity).softmax(dim: -1).matmul(values)
    let masked = Functional.scaledDotProductAttention(query: q, key: k, value: values, mask: keep)
    expectClose(masked.doubles(), reference.doubles(), atol: 1e-12)
    let scaled = Functional.scaledDotProductAttention(query: q, key: k, value: values, scale: 1)
    expectClose(scaled.doubles(), (scores * 2).softmax(dim: -1).matmul(values).doubles(), atol: 1e-12)
  }
}
