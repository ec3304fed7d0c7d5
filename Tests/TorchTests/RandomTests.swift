import Testing
import Torch

/// libtorch's generators are global, so these run one at a time.
@Suite(.serialized) struct RandomTests {
  @Test func randnMatchesPyTorchAfterManualSeed() {
    withRandomStream {
      Torch.manualSeed(0)
      expectClose(Tensor.randn([3]).doubles(), [1.5410, -0.2934, -2.1788], atol: 1e-4)
    }
  }

  @Test func randMatchesPyTorchAfterManualSeed() {
    withRandomStream {
      Torch.manualSeed(0)
      expectClose(Tensor.rand([3]).doubles(), [0.4963, 0.7682, 0.0885], atol: 1e-4)
    }
  }

  @Test func sameSeedSameStream() {
    withRandomStream {
      Torch.manualSeed(42)
      let a = [Tensor.randn([5]).doubles(), Tensor.randint(0, 100, [5]).doubles(), Tensor.randperm(6).doubles()]
      Torch.manualSeed(42)
      let b = [Tensor.randn([5]).doubles(), Tensor.randint(0, 100, [5]).doubles(), Tensor.randperm(6).doubles()]
      #expect(a == b)
    }
  }

  @Test func samplersRespectTheirDomains() {
    withRandomStream {
      Torch.manualSeed(1)
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
}
