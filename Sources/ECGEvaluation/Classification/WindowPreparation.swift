import ECGData
import Torch

/// How a stored window becomes the network's input (classification.md §1.4): optionally MERL's CPSC2018 window
/// (the first 5 s, zero-padded back to 10 s), fitted to the network's length (cut, or zero-padded at the end as
/// MERL pads short records), then normalised exactly as the network was pretrained (zeros enter min/max, as
/// MERL's padded arrays do).
public struct WindowPreparation: Sendable {
  /// The network's input length L (its `--segment_len`).
  public var length: Int
  public var normalization: SignalNormalization
  public var eps: Double
  /// MERL's CPSC2018 window: keep `merlKeptSamples` samples per lead, zero the rest (`--cpsc_window merl`).
  public var merlKeptSamples: Int?

  public init(length: Int, normalization: SignalNormalization, eps: Double = 1e-6, merlKeptSamples: Int? = nil) {
    self.length = length
    self.normalization = normalization
    self.eps = eps
    self.merlKeptSamples = merlKeptSamples
  }

  /// A lead-major window of `leads` × `storedLength` → lead-major `leads` × `length`.
  public func prepare(_ window: [Float], leads: Int, storedLength: Int) -> [Float] {
    var fitted = [Float](repeating: 0, count: leads * length)
    let copied = min(storedLength, length, merlKeptSamples ?? Int.max)
    for lead in 0..<leads {
      for t in 0..<copied { fitted[lead * length + t] = window[lead * storedLength + t] }
    }
    return normalization.apply(fitted, leads: leads, eps: eps)
  }

  /// The windows at `indices` of `store`, prepared, as float32 [B, leads, length].
  public func batch(_ store: DatasetStore, indices: [Int]) -> Tensor {
    var values: [Float] = []
    values.reserveCapacity(indices.count * store.leadCount * length)
    for index in indices {
      values += prepare(store.window(at: index), leads: store.leadCount, storedLength: store.segmentLength)
    }
    return Tensor(values, shape: [indices.count, store.leadCount, length])
  }
}
