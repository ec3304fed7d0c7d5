import Foundation
import Testing
import Torch
import TorchTestSupport

/// The fused CPU attention kernel (Sources/CTorch/fused_attention.cpp) against the composite libtorch
/// computation: matmul, softmax, the kernel's own keep-mask applied with `*`, matmul.
@Suite struct FusedAttentionTests {
  static let seed: (seed: UInt64, offset: UInt64) = (0x1234_5678_9ABC_DEF0, 42)

  /// softmax(q kᵀ · scale + mask) with the keep-mask `keep` applied as dropout, times v; fully masked rows
  /// (NaN after softmax) become zeros, as the kernel and libtorch's safe softmax give.
  static func composite(
    _ q: Tensor, _ k: Tensor, _ v: Tensor, mask: Tensor? = nil, isCausal: Bool = false, keep: Tensor? = nil,
    dropout: Double = 0
  ) -> Tensor {
    var scores = q.matmul(k.transposed(-2, -1)) * (1 / Double(q.size(-1)).squareRoot())
    if let mask {
      scores = mask.dtype == .bool ? scores.maskedFill(mask.logicalNot(), -.infinity) : scores + mask
    }
    if isCausal {
      scores = scores.maskedFill(Tensor.ones([q.size(2), k.size(2)], dtype: .bool).triu(1), -.infinity)
    }
    let allMasked = scores.isInfinite().logicalAnd(scores < 0).all(dims: [-1], keepDim: true)
    var probabilities = scores.softmax(dim: -1).maskedFill(allMasked, 0)
    if let keep { probabilities = probabilities * keep.to(q.dtype) * (1 / (1 - dropout)) }
    return probabilities.matmul(v)
  }

  /// Inputs [B, h, L, E] with gradients, in `dtype`.
  static func inputs(_ b: Int, _ h: Int, _ lq: Int, _ lk: Int, _ e: Int, dtype: DType = .float32) -> [Tensor] {
    [
      sample([b, h, lq, e], seed: 1).to(dtype).requiringGrad(),
      sample([b, h, lk, e], seed: 2).to(dtype).requiringGrad(),
      sample([b, h, lk, e], seed: 3).to(dtype).requiringGrad(),
    ]
  }

  /// Runs the fused kernel and the composite on copies of the same inputs; compares outputs and the
  /// gradients of q, k and v for the same upstream gradient.
  static func expectMatchesComposite(
    _ b: Int, _ h: Int, _ lq: Int, _ lk: Int, _ e: Int, mask: Tensor? = nil, isCausal: Bool = false,
    dropout: Double = 0, tolerance: Double = 2e-5, sourceLocation: SourceLocation = #_sourceLocation
  ) {
    let fusedInputs = inputs(b, h, lq, lk, e)
    let compositeInputs = inputs(b, h, lq, lk, e)
    let keep =
      dropout > 0
      ? FusedAttention.keepMask(batch: b, heads: h, queryLength: lq, keyLength: lk, dropout: dropout, seed: seed)
      : nil
    let fused = FusedAttention.attention(
      query: fusedInputs[0], key: fusedInputs[1], value: fusedInputs[2], mask: mask, dropout: dropout,
      isCausal: isCausal, seed: seed)
    let expected = composite(
      compositeInputs[0], compositeInputs[1], compositeInputs[2], mask: mask, isCausal: isCausal, keep: keep,
      dropout: dropout)
    #expect(fused.shape == [b, h, lq, e], sourceLocation: sourceLocation)
    expectClose(fused, expected.doubles(), atol: tolerance, rtol: tolerance, sourceLocation: sourceLocation)
    let upstream = sample([b, h, lq, e], seed: 9).to(.float32)
    (fused * upstream).sum().backward()
    (expected * upstream).sum().backward()
    for (name, (got, want)) in zip(["q", "k", "v"], zip(fusedInputs, compositeInputs)) {
      guard let gotGrad = got.grad, let wantGrad = want.grad else {
        Issue.record("no gradient for \(name)", sourceLocation: sourceLocation)
        continue
      }
      #expect(gotGrad.isFinite().all().item() == 1.0, "\(name) gradient not finite", sourceLocation: sourceLocation)
      expectClose(gotGrad, wantGrad.doubles(), atol: tolerance, rtol: tolerance, sourceLocation: sourceLocation)
    }
  }

  @Test func withoutDropoutMatchesComposite() {
    // Several query and key blocks (128 queries, 512 keys per forward tile; 64 × 256 in backward) and tails.
    Self.expectMatchesComposite(2, 3, 300, 700, 16)
    Self.expectMatchesComposite(1, 2, 5, 37, 8)
  }

  @Test func withDropoutMatchesCompositeWithTheSameMask() {
    Self.expectMatchesComposite(2, 3, 300, 700, 16, dropout: 0.1)
    Self.expectMatchesComposite(1, 2, 5, 37, 8, dropout: 0.5)
  }

  @Test func causalMatchesComposite() {
    Self.expectMatchesComposite(1, 2, 260, 260, 8, isCausal: true, dropout: 0.2)
    // More keys than queries: top-left aligned as PyTorch's is_causal.
    Self.expectMatchesComposite(1, 1, 40, 90, 4, isCausal: true)
  }

  @Test func keyPaddingAndFullMasksMatchComposite() {
    // Boolean key padding [B, 1, 1, Lk] (true = attend): the second sequence ends with 100 padded keys.
    let lk = 600
    let padding = Tensor((0..<(2 * lk)).map { $0 < lk || $0 % lk < lk - 100 }, shape: [2, 1, 1, lk])
    Self.expectMatchesComposite(2, 2, 150, lk, 8, mask: padding, dropout: 0.1)
    // Additive float [Lq, Lk], broadcast over batch and heads.
    let additive = sample([150, lk], seed: 5).to(.float32) * 3
    Self.expectMatchesComposite(2, 2, 150, lk, 8, mask: additive, dropout: 0.3)
    // Boolean [B, h, Lq, Lk] with a strided key dimension (a transposed view).
    let full = sample([2, 2, lk, 150], seed: 6).gt(-0.5).transposed(2, 3)
    Self.expectMatchesComposite(2, 2, 150, lk, 8, mask: full, isCausal: true, dropout: 0.1)
  }

  @Test func fullyMaskedRowsGiveZerosNotNaN() {
    // Query rows 1 and 3 may attend to nothing.
    var allowed = [Bool](repeating: true, count: 4 * 6)
    for j in 0..<6 {
      allowed[1 * 6 + j] = false
      allowed[3 * 6 + j] = false
    }
    let mask = Tensor(allowed, shape: [1, 1, 4, 6])
    Self.expectMatchesComposite(2, 2, 4, 6, 3, mask: mask, dropout: 0.25)
    let x = Self.inputs(1, 1, 4, 6, 3)
    let out = FusedAttention.attention(query: x[0], key: x[1], value: x[2], mask: mask, dropout: 0.25, seed: Self.seed)
    out.sum().backward()
    #expect(out.select(dim: 2, index: 1).abs().sum().item() == 0)
    #expect(out.select(dim: 2, index: 3).abs().sum().item() == 0)
    #expect(x[0].grad!.select(dim: 2, index: 1).abs().sum().item() == 0)
    // No keys at all.
    let none = FusedAttention.attention(
      query: x[0].detach(), key: Tensor.zeros([1, 1, 0, 3]), value: Tensor.zeros([1, 1, 0, 3]))
    #expect(none.shape == [1, 1, 4, 3] && none.abs().sum().item() == 0)
  }

  @Test func withoutDropoutEqualsLibtorch() {
    let x = Self.inputs(2, 4, 257, 300, 32)
    let keep = sample([2, 1, 1, 300], seed: 8).gt(-0.8)
    for isCausal in [false, true] {
      for mask in [nil, keep] {
        let fused = Functional.scaledDotProductAttention(
          query: x[0], key: x[1], value: x[2], mask: mask, isCausal: isCausal, kernel: .fused)
        let reference = Functional.scaledDotProductAttention(
          query: x[0], key: x[1], value: x[2], mask: mask, isCausal: isCausal, kernel: .libtorch)
        expectClose(fused, reference.doubles(), atol: 1e-5, rtol: 1e-5)
      }
    }
  }

  @Test func float64GradientsMatchFiniteDifferences() {
    let mask = Tensor([true, true, true, false, true, true, true, true], shape: [2, 1, 1, 4])
    let inputs = {
      [
        sample([2, 2, 3, 5], seed: 1, requiresGrad: true), sample([2, 2, 4, 5], seed: 2, requiresGrad: true),
        sample([2, 2, 4, 3], seed: 3, requiresGrad: true),
      ]
    }
    for isCausal in [false, true] {
      expectGradientsMatchFiniteDifferences(inputs()) {
        FusedAttention.attention(
          query: $0[0], key: $0[1], value: $0[2], mask: mask, dropout: 0.3, isCausal: isCausal, seed: Self.seed)
      }
    }
  }

  @Test func float32AndFloat64DrawTheSameMask() {
    // float32 runs the AVX2 Philox (when the CPU has it), float64 the scalar one: the same bits either way.
    let x64 = Self.inputs(2, 2, 9, 77, 4, dtype: .float64)
    let x32 = Self.inputs(2, 2, 9, 77, 4)
    let a = FusedAttention.attention(query: x64[0], key: x64[1], value: x64[2], dropout: 0.4, seed: Self.seed)
    let b = FusedAttention.attention(query: x32[0], key: x32[1], value: x32[2], dropout: 0.4, seed: Self.seed)
    expectClose(b, a.doubles(), atol: 1e-5, rtol: 1e-5)
  }

  @Test func keepRateIsOneMinusPAndKeptValuesAreScaled() {
    for p in [0.1, 0.5] {
      let keep = FusedAttention.keepMask(
        batch: 2, heads: 4, queryLength: 300, keyLength: 300, dropout: p, seed: Self.seed)
      let rate = keep.to(.float64).mean().item()
      // 720,000 Bernoulli draws: standard deviation of the rate ≤ 6e-4.
      #expect(Swift.abs(rate - (1 - p)) < 0.003, "keep rate \(rate) for p = \(p)")
      // Rate per position within a 32-key Philox block (each lane and word of the generator).
      let perPosition = keep.view(2 * 4 * 300 * 300 / 32, 32).to(.float64).mean(dim: 0).doubles()
      #expect(perPosition.allSatisfy { Swift.abs($0 - (1 - p)) < 0.02 }, "\(perPosition)")
    }
    let other = FusedAttention.keepMask(batch: 1, heads: 1, queryLength: 64, keyLength: 64, dropout: 0.5, seed: (1, 42))
    let same = FusedAttention.keepMask(
      batch: 1, heads: 1, queryLength: 64, keyLength: 64, dropout: 0.5, seed: Self.seed)
    #expect(other.ne(same).any().item() == 1, "another seed gives the same mask")

    // Uniform attention over 64 keys of ones: each output is (kept keys / 64) / (1 - p).
    let p = 0.25
    let q = Tensor.zeros([1, 2, 50, 4])
    let v = Tensor.ones([1, 2, 64, 1])
    let out = FusedAttention.attention(
      query: q, key: Tensor.zeros([1, 2, 64, 4]), value: v, dropout: p, seed: Self.seed)
    let keep = FusedAttention.keepMask(batch: 1, heads: 2, queryLength: 50, keyLength: 64, dropout: p, seed: Self.seed)
    let expected = keep.to(.float32).mean(dim: -1, keepDim: true) / (1 - p)
    expectClose(out, expected.doubles(), atol: 1e-6, rtol: 1e-6)
  }

  @Test func stridedInputsGiveTheSameResult() {
    // The multi-head attention layout: [B, L, h, E] projected, viewed as [B, h, L, E].
    let q = sample([2, 40, 3, 8], seed: 1).to(.float32)
    let k = sample([2, 50, 3, 8], seed: 2).to(.float32)
    let v = sample([2, 50, 3, 8], seed: 3).to(.float32)
    let strided = FusedAttention.attention(
      query: q.transposed(1, 2), key: k.transposed(1, 2), value: v.transposed(1, 2), dropout: 0.2, seed: Self.seed)
    let dense = FusedAttention.attention(
      query: q.transposed(1, 2).contiguous(), key: k.transposed(1, 2).contiguous(),
      value: v.transposed(1, 2).contiguous(), dropout: 0.2, seed: Self.seed)
    #expect(strided.doubles() == dense.doubles())
    // The output is stored as [B, L, h, E]: merging the heads is a view.
    #expect(strided.transposed(1, 2).isContiguous)
  }

  @Test func dispatchOnlyTakesWhatTheKernelSupports() {
    let x = Self.inputs(1, 2, 4, 4, 3)
    #expect(FusedAttention.applies(query: x[0], key: x[1], value: x[2], mask: nil, dropout: 0.1))
    #expect(
      !FusedAttention.applies(query: x[0].select(dim: 0, index: 0), key: x[1], value: x[2], mask: nil, dropout: 0.1))
    #expect(!FusedAttention.applies(query: x[0], key: x[1], value: x[2], mask: nil, dropout: 1))
    let maskWithGradient = Tensor.zeros([4, 4]).requiringGrad()
    #expect(!FusedAttention.applies(query: x[0], key: x[1], value: x[2], mask: maskWithGradient, dropout: 0.1))
    #expect(!FusedAttention.applies(query: x[0].to(.bfloat16), key: x[1], value: x[2], mask: nil, dropout: 0.1))
  }

  /// The float32 row operations exist as scalar, AVX2 and AVX-512 code (the best the CPU has runs; the
  /// environment variable can only lower it, and is read once per process, hence a child process each).
  /// Each must match the float64 kernel, which always runs the scalar code: outputs, gradients, mask bits.
  @Test(arguments: ["scalar", "avx2", "avx512"])
  func everyInstructionSetComputesTheSameAttention(_ instructionSet: String) async {
    await #expect(processExitsWith: .success) { [instructionSet = instructionSet as String] in
      setenv("ECG_FUSED_ATTENTION_ISA", instructionSet, 1)
      let order = ["scalar", "avx2", "avx512"]
      precondition(
        order.firstIndex(of: FusedAttention.instructionSet)! <= order.firstIndex(of: instructionSet)!,
        "ECG_FUSED_ATTENTION_ISA=\(instructionSet) ran \(FusedAttention.instructionSet)")
      let keep = Tensor((0..<(2 * 77)).map { $0 % 77 < 70 || $0 < 77 }, shape: [2, 1, 1, 77])
      func run(_ dtype: DType, isCausal: Bool) -> [Tensor] {
        let x = FusedAttentionTests.inputs(2, 3, 45, 77, 8, dtype: dtype)
        let out = FusedAttention.attention(
          query: x[0], key: x[1], value: x[2], mask: keep, dropout: 0.4, isCausal: isCausal,
          seed: FusedAttentionTests.seed)
        (out * sample(out.shape, seed: 4).to(dtype)).sum().backward()
        return [out, x[0].grad!, x[1].grad!, x[2].grad!].map { $0.to(.float64) }
      }
      for isCausal in [false, true] {
        for (got, want) in zip(run(.float32, isCausal: isCausal), run(.float64, isCausal: isCausal)) {
          let difference = (got - want).abs().max().item()
          precondition(difference < 1e-5, "\(instructionSet): differs from float64 by \(difference)")
        }
      }
    }
  }

  /// MultiheadAttention in training (dropout > 0) runs the fused kernel with its merged additive mask (-inf
  /// where padded): the same output as projections + `FusedAttention` + out_proj under the same seed; a fully
  /// padded sequence gives finite outputs and gradients. Seeded, hence in a child process.
  @Test func multiheadAttentionTrainsThroughTheKernel() async {
    await #expect(processExitsWith: .success) {
      Torch.manualSeed(3)
      let layer = MultiheadAttention(embedDim: 16, heads: 4, dropout: 0.2)
      let x = sample([2, 30, 16], seed: 1).to(.float32)
      // Sequence 0: the last 10 keys are padding; sequence 1: every key is padding.
      let padding = Tensor((0..<60).map { $0 >= 20 }, shape: [2, 30])
      Torch.manualSeed(11)
      let y = layer(x, keyPaddingMask: padding)
      y.sum().backward()
      precondition(y.isFinite().all().item() == 1, "non-finite output")
      precondition(layer.inProjWeight.grad!.isFinite().all().item() == 1, "non-finite gradient")

      Torch.manualSeed(11)
      let weights = layer.inProjWeight.detach().chunk(3)
      let biases = layer.inProjBias!.detach().chunk(3)
      let heads = (0..<3).map {
        Functional.linear(x, weight: weights[$0], bias: biases[$0]).view(2, 30, 4, 4).transposed(1, 2)
      }
      let mask = Tensor.zeros([2, 30]).maskedFill(padding, -.infinity).view(2, 1, 1, 30)
      let attended = FusedAttention.attention(query: heads[0], key: heads[1], value: heads[2], mask: mask, dropout: 0.2)
      let expected = withNoGrad { layer.outProj(attended.transposed(1, 2).reshape(2, 30, 16)) }
      let difference = (y.detach() - expected).abs().max().item()
      precondition(difference < 1e-5, "MultiheadAttention differs from the fused kernel by \(difference)")
    }
  }

  /// libtorch's default generator is process-wide and other suites draw from it concurrently, so the seeded
  /// checks run in a child process of their own.
  @Test func manualSeedMakesTheMaskReproducible() async {
    await #expect(processExitsWith: .success) {
      let q = sample([2, 2, 30, 8], seed: 1).to(.float32)
      let k = sample([2, 2, 40, 8], seed: 2).to(.float32)
      let v = sample([2, 2, 40, 8], seed: 3).to(.float32)
      func run() -> [Double] {
        FusedAttention.attention(query: q, key: k, value: v, dropout: 0.3).doubles()
      }
      Torch.manualSeed(7)
      let first = run()
      let second = run()
      Torch.manualSeed(7)
      precondition(run() == first, "the same seed gave another mask")
      precondition(first != second, "consecutive calls drew the same mask")
      // Functional.scaledDotProductAttention takes the fused kernel on the CPU with dropout (automatic).
      Torch.manualSeed(7)
      let dispatched = Functional.scaledDotProductAttention(
        query: q, key: k, value: v, dropout: 0.3, kernel: .automatic)
      precondition(dispatched.doubles() == first, "automatic dispatch did not run the fused kernel")
    }
  }
}
