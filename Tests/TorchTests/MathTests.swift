import Foundation
import Testing
import Torch
import TorchTestSupport

@Suite struct MathTests {
  let x = Tensor([0.5, -1, 2, 4] as [Double])

  @Test func broadcastingArithmetic() {
    let column = Tensor([1, 2] as [Double], shape: [2, 1])
    let row = Tensor([10, 20, 30] as [Double], shape: [1, 3])
    #expect((column + row).doubles() == [11, 21, 31, 12, 22, 32])
    #expect((row - column).doubles() == [9, 19, 29, 8, 18, 28])
    #expect((column * row).doubles() == [10, 20, 30, 20, 40, 60])
    #expect((row / column).doubles() == [10, 20, 30, 5, 10, 15])
    #expect((x + 1).doubles() == [1.5, 0, 3, 5])
    #expect((2 * x).doubles() == [1, -2, 4, 8])
    #expect((1 - x).doubles() == [0.5, 2, -1, -3])
    #expect((4 / x).doubles() == [8, -4, 2, 1])
    #expect((-x).doubles() == [-0.5, 1, -2, -4])
  }

  @Test func integerTensorsStayIntegral() {
    let ints = Tensor([1, 2, 3] as [Int64])
    #expect((ints + 1).dtype == .int64)
    #expect((ints * 2).ints() == [2, 4, 6])
    #expect((ints + 0.5).dtype == .float32)
  }

  @Test func elementwiseFunctions() {
    expectClose(x.exp(), x.doubles().map(Foundation.exp))
    expectClose(x.abs().log(), x.doubles().map { Foundation.log(Swift.abs($0)) })
    expectClose(x.abs().sqrt(), [Double(0.5).squareRoot(), 1, Double(2.0).squareRoot(), 2])
    expectClose(x.abs().rsqrt(), [1 / Double(0.5).squareRoot(), 1, 1 / Double(2.0).squareRoot(), 0.5])
    expectClose(x.pow(2), [0.25, 1, 4, 16])
    expectClose(x.abs(), [0.5, 1, 2, 4])
    expectClose(x.sin(), x.doubles().map(Foundation.sin))
    expectClose(x.cos(), x.doubles().map(Foundation.cos))
    expectClose(x.tanh(), x.doubles().map(Foundation.tanh))
    expectClose(x.sigmoid(), x.doubles().map { 1 / (1 + Foundation.exp(-$0)) })
    expectClose(x.clamp(min: 0, max: 3), [0.5, 0, 2, 3])
    expectClose(x.clamp(max: 1), [0.5, -1, 1, 1])
    expectClose(x.floor(), [0, -1, 2, 4])
    expectClose(Tensor([0.5, 1.5, 2.5, -0.5] as [Double]).round(), [0, 2, 2, 0])
    expectClose(x.sign(), [1, -1, 1, 1])
    expectClose(Tensor([0.5] as [Double]).erf(), [0.5204998778130465], atol: 1e-12)
    expectClose(x.pow(Tensor([2, 3, 0.5, 0] as [Double])), [0.25, -1, Double(2.0).squareRoot(), 1])
  }

  @Test func comparisons() {
    let y = Tensor([1, -1, 0, 4] as [Double])
    #expect((x .== y).ints() == [0, 1, 0, 1])
    #expect((x .!= y).ints() == [1, 0, 1, 0])
    #expect((x < y).ints() == [1, 0, 0, 0])
    #expect((x <= y).ints() == [1, 1, 0, 1])
    #expect((x > 0).ints() == [1, 0, 1, 1])
    #expect(((x > 0) .& (x < 3)).ints() == [1, 0, 1, 0])
    #expect(x.maximum(y).doubles() == [1, -1, 2, 4])
    #expect(x.minimum(y).doubles() == [0.5, -1, 0, 4])
    #expect(x.allClose(x + 1e-9))
    #expect(!x.allClose(y))
  }

  @Test func inPlaceUpdates() {
    let t = Tensor([1, 2, 3] as [Double])
    t += Tensor([1, 1, 1] as [Double])
    #expect(t.doubles() == [2, 3, 4])
    t *= 2
    #expect(t.doubles() == [4, 6, 8])
    t.addInPlace(Tensor([1, 1, 1] as [Double]), alpha: -0.5)
    #expect(t.doubles() == [3.5, 5.5, 7.5])
    t.addcmulInPlace(Tensor([1, 2, 3] as [Double]), Tensor([2, 2, 2] as [Double]), value: 0.5)
    #expect(t.doubles() == [4.5, 7.5, 10.5])
    t.addcdivInPlace(Tensor([1, 1, 1] as [Double]), Tensor([2, 4, 8] as [Double]), value: 2)
    #expect(t.doubles() == [5.5, 8, 10.75])
    t.lerpInPlace(Tensor.zeros([3], dtype: .float64), weight: 0.5)
    #expect(t.doubles() == [2.75, 4, 5.375])
    t.zero()
    #expect(t.doubles() == [0, 0, 0])
    t.fill(3)
    #expect(t.doubles() == [3, 3, 3])
    let view = t[0..<2]
    view.fill(1)
    #expect(t.doubles() == [1, 1, 3])
  }
}

@Suite struct ReductionTests {
  let m = Tensor([1, 2, 3, 4, 5, 6] as [Double], shape: [2, 3])

  @Test func sumsAndMeans() {
    #expect(m.sum().item() == 21)
    #expect(m.sum(dim: 0).doubles() == [5, 7, 9])
    #expect(m.sum(dim: 1, keepDim: true).shape == [2, 1])
    #expect(m.mean(dim: 1).doubles() == [2, 5])
    #expect(m.mean().item() == 3.5)
    #expect(m.prod(dims: [1]).doubles() == [6, 120])
  }

  @Test func extremes() {
    #expect(m.max().item() == 6)
    #expect(m.min(dims: [0]).doubles() == [1, 2, 3])
    let (values, indices) = Tensor([3, 9, 1, 7] as [Double], shape: [2, 2]).max(dim: 1)
    #expect(values.doubles() == [9, 7])
    #expect(indices.ints() == [1, 1])
    #expect(Tensor([3, 9, 1, 7] as [Double], shape: [2, 2]).min(dim: 0).indices.ints() == [1, 1])
    #expect(m.argmax().itemInt() == 5)
    #expect(m.argmax(dim: 0).ints() == [1, 1, 1])
    #expect(Tensor([3, 1, 2] as [Double]).argmin().itemInt() == 1)
  }

  @Test func spread() {
    let v = Tensor([1, 2, 3, 4] as [Double])
    expectClose(v.variance(), [1.6666666666666667])
    expectClose(v.std(), [1.2909944487358056])
    expectClose(v.variance(correction: 0), [1.25])
    expectClose(m.std(dims: [1]), [1, 1])
    expectClose(Tensor([3, 4] as [Double]).norm(), [5])
    expectClose(Tensor([3, -4] as [Double]).norm(1), [7])
    expectClose(m.norm(2, dims: [1]), [Double(14.0).squareRoot(), Double(77.0).squareRoot()])
    expectClose(Tensor([1, 2, 3] as [Double]).logsumexp(dim: 0), [3.40760596444438])
  }

  @Test func scans() {
    #expect(Tensor([1, 2, 3] as [Double]).cumsum(dim: 0).doubles() == [1, 3, 6])
    #expect(Tensor([1, 2, 3] as [Double]).cumprod(dim: 0).doubles() == [1, 2, 6])
    #expect(m.cumsum(dim: 1).doubles() == [1, 3, 6, 4, 9, 15])
  }

  @Test func sortingAndTopK() {
    let v = Tensor([3, 1, 2] as [Double])
    let sorted = v.sort()
    #expect(sorted.values.doubles() == [1, 2, 3])
    #expect(sorted.indices.ints() == [1, 2, 0])
    #expect(v.argsort(descending: true).ints() == [0, 2, 1])
    let top = v.topk(2)
    #expect(top.values.doubles() == [3, 2])
    #expect(top.indices.ints() == [0, 2])
    #expect(v.topk(1, largest: false).values.doubles() == [1])
  }
}

@Suite struct LinearAlgebraTests {
  let a = Tensor([1, 2, 3, 4] as [Double], shape: [2, 2])
  let b = Tensor([5, 6, 7, 8] as [Double], shape: [2, 2])

  @Test func products() {
    #expect(a.matmul(b).doubles() == [19, 22, 43, 50])
    #expect(a.unsqueeze(0).bmm(b.unsqueeze(0)).doubles() == [19, 22, 43, 50])
    #expect(Tensor.einsum("ij,jk->ik", a, b).doubles() == [19, 22, 43, 50])
    #expect(Tensor.einsum("ij->j", a).doubles() == [4, 6])
    #expect(Tensor.ones([2, 2], dtype: .float64).addmm(a, b, beta: 2, alpha: 1).doubles() == [21, 24, 45, 52])
    #expect(Tensor([1, 2] as [Double]).outer(Tensor([3, 4] as [Double])).doubles() == [3, 4, 6, 8])
    // matmul broadcasts a vector.
    #expect(a.matmul(Tensor([1, 1] as [Double])).doubles() == [3, 7])
  }
}
