import ArgumentParser
import Foundation
import Torch

/// `ecg bench ops`: throughput of core tensor operations, so later work can compare.
struct BenchOpsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "ops",
    abstract:
      "Time float32 matmul 1024³, softmax and layer_norm on [64, 512, 512], and sdpa [8, 8, 512, 64] forward+backward."
  )

  @OptionGroup var device: DeviceOption

  @Option(parsing: .unconditional, help: "Timed repetitions per operation, 1 or more (the median is reported).")
  var repeats = 5

  @Option(parsing: .unconditional, help: "Untimed warm-up runs per operation, 0 or more.")
  var warmup = 2

  @OptionGroup var threads: ThreadsOption

  func validate() throws {
    if repeats < 1 { throw ValidationError("--repeats must be 1 or more") }
    if warmup < 0 { throw ValidationError("--warmup must be 0 or more") }
  }

  func run() throws {
    let device = try self.device.resolved()
    // libtorch's intra-op pool is process-wide: set here, where the command runs, never in an initialiser.
    if let threads = threads.requested { try Torch.setIntraOpThreads(threads) }
    Torch.manualSeed(0)
    func time(_ body: () -> Tensor) throws -> Double {
      try Stopwatch.median(warmup: warmup, repeats: repeats) {
        _ = body()
        try Device.synchronize(device)
      }
    }

    let a = Tensor.randn([1024, 1024], device: device)
    let b = Tensor.randn([1024, 1024], device: device)
    let matmul = try withNoGrad { try time { a.matmul(b) } }

    let activations = Tensor.randn([64, 512, 512], device: device)
    let softmax = try withNoGrad { try time { activations.softmax(dim: -1) } }
    let layerNorm = try withNoGrad { try time { Functional.layerNorm(activations, normalizedShape: [512]) } }

    let q = Tensor.randn([8, 8, 512, 64], device: device).requiringGrad()
    let k = Tensor.randn([8, 8, 512, 64], device: device).requiringGrad()
    let v = Tensor.randn([8, 8, 512, 64], device: device).requiringGrad()
    let sdpa = try time {
      let out = Functional.scaledDotProductAttention(query: q, key: k, value: v, isCausal: true)
      out.sum().backward()
      return out
    }

    let activationBytes = Double(64 * 512 * 512 * 4)
    try printJSON([
      "device": device.description,
      "threads": Torch.intraOpThreads,
      "libtorch": Torch.version,
      "repeats": repeats,
      "matmul_f32_1024": ["ms": matmul * 1e3, "gflops": 2 * pow(1024, 3) / matmul / 1e9],
      "softmax_f32_64x512x512": ["ms": softmax * 1e3, "gb_per_s": 2 * activationBytes / softmax / 1e9],
      "layer_norm_f32_64x512x512": ["ms": layerNorm * 1e3, "gb_per_s": 2 * activationBytes / layerNorm / 1e9],
      "sdpa_causal_f32_8x8x512x64_fwd_bwd": ["ms": sdpa * 1e3],
    ])
  }
}
