import Foundation
import Torch

/// Per-sample, per-lead reconstruction quality (evaluation.md §6.3), each float32 [B, C].
public struct ReconstructionMetrics: Sendable {
  /// Mean over time of (prediction − target)².
  public var mse: Tensor
  /// Mean over time of |prediction − target|.
  public var mae: Tensor
  /// −10·log10(max(mse, 1e-10)): peak value 1, at most 100 dB.
  public var psnr: Tensor
  /// 1-D SSIM averaged over time (see `ssim`).
  public var ssim: Tensor

  /// Compares `prediction` with `target` ([B, C, T] each) at sampling rate `samplingRate` (sets the SSIM window).
  public init(prediction: Tensor, target: Tensor, samplingRate: Int) {
    precondition(prediction.shape == target.shape && prediction.shape.count == 3, "inputs must be two [B, C, T]")
    let p = prediction.to(.float32)
    let t = target.to(.float32)
    let error = p - t
    mse = error.pow(2).mean(dim: 2)
    mae = error.abs().mean(dim: 2)
    psnr = mse.clamp(min: 1e-10).log() * (-10 / Foundation.log(10.0))
    ssim = Self.ssim(p, t, window: Self.ssimWindow(samplingRate: samplingRate))
  }

  /// The SSIM window length: ⌊11·sf/250⌋ with its lowest bit set (250 Hz → 11, 500 Hz → 23).
  public static func ssimWindow(samplingRate: Int) -> Int { (11 * samplingRate / 250) | 1 }

  /// 1-D SSIM per sample and lead: Gaussian window (σ 1.5, normalised to sum 1) applied per channel with zero
  /// padding of ⌊w/2⌋ (output length T), C1 = 0.01², C2 = 0.03², mean of the SSIM map over time (edges included).
  static func ssim(_ x: Tensor, _ y: Tensor, window: Int) -> Tensor {
    let channels = x.shape[1]
    let centre = Double(window / 2)
    let taps = (0..<window).map { Foundation.exp(-pow(Double($0) - centre, 2) / (2 * 1.5 * 1.5)) }
    let total = taps.reduce(0, +)
    let kernel = Tensor(taps.map { Float($0 / total) }, shape: [1, 1, window]).expand([channels, 1, window])
      .contiguous()
    func blur(_ signal: Tensor) -> Tensor {
      Functional.conv1d(signal, weight: kernel, padding: window / 2, groups: channels)
    }
    let muX = blur(x)
    let muY = blur(y)
    let varianceX = blur(x * x) - muX * muX
    let varianceY = blur(y * y) - muY * muY
    let covariance = blur(x * y) - muX * muY
    let c1 = 0.01 * 0.01
    let c2 = 0.03 * 0.03
    let numerator = (2 * muX * muY + c1) * (2 * covariance + c2)
    let denominator = (muX * muX + muY * muY + c1) * (varianceX + varianceY + c2)
    return (numerator / denominator).mean(dim: 2)
  }
}
