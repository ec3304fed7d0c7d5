import Testing
import Torch

/// libtorch's default generator is process-wide and other suites draw from it concurrently (layer
/// initialisation, dropout), so the exact-stream checks run in a child process of their own.
@Suite struct RandomTests {
  @Test func manualSeedReproducesPyTorchStreams() async {
    await #expect(processExitsWith: .success) {
      func close(_ got: [Double], _ want: [Double]) -> Bool {
        got.count == want.count && zip(got, want).allSatisfy { Swift.abs($0 - $1) < 1e-4 }
      }
      Torch.manualSeed(0)
      precondition(close(Tensor.randn([3]).doubles(), [1.5410, -0.2934, -2.1788]), "randn differs from PyTorch")
      Torch.manualSeed(0)
      precondition(close(Tensor.rand([3]).doubles(), [0.4963, 0.7682, 0.0885]), "rand differs from PyTorch")
      Torch.manualSeed(42)
      let a = [Tensor.randn([5]).doubles(), Tensor.randint(0, 100, [5]).doubles(), Tensor.randperm(6).doubles()]
      Torch.manualSeed(42)
      let b = [Tensor.randn([5]).doubles(), Tensor.randint(0, 100, [5]).doubles(), Tensor.randperm(6).doubles()]
      precondition(a == b, "the same seed gave different draws")
    }
  }

  /// A generator of its own draws PyTorch's stream of its seed, continues it across draws, and neither moves nor
  /// is moved by the default generator.
  @Test func aCPUGeneratorOfItsOwnDrawsItsSeedsStreamUndisturbed() async {
    await #expect(processExitsWith: .success) {
      let generator = CPUGenerator(seed: 0)
      let first = generator.randn([3]).doubles()
      Torch.manualSeed(7)
      let interleaved = Tensor.randn([100]).doubles()  // the default generator draws in between
      let second = generator.rand([2]).doubles()
      Torch.manualSeed(7)
      precondition(Tensor.randn([100]).doubles() == interleaved, "the generator moved the default one")
      Torch.manualSeed(0)
      let expected = Tensor.randn([3]).doubles()
      let expectedNext = Tensor.rand([2]).doubles()
      precondition(zip(first, [1.5410, -0.2934, -2.1788]).allSatisfy { Swift.abs($0 - $1) < 1e-4 }, "\(first)")
      precondition(first == expected && second == expectedNext, "not the seed's stream: \(first) \(second)")
    }
  }

  @Test func samplersRespectTheirDomains() {
    let ints = Tensor.randint(3, 7, [1000]).ints()
    #expect(ints.allSatisfy { (3..<7).contains($0) })
    #expect(Set(Tensor.randperm(10).ints()) == Set(0..<10))
    let picks = Tensor([0, 0, 1, 0] as [Double]).multinomial(5, replacement: true).ints()
    #expect(picks == [2, 2, 2, 2, 2])
    let u = Tensor.rand([10000]).doubles()
    #expect(u.allSatisfy { $0 >= 0 && $0 < 1 })
    let mean = u.reduce(0, +) / Double(u.count)
    #expect(Swift.abs(mean - 0.5) < 0.02)
  }
}
