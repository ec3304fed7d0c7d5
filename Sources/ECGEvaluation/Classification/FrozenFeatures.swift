import ECGData
import Torch

/// The frozen encoder's features of a split (classification.md §2.2.1): eval mode (no BatchNorm update, no
/// dropout), no gradients, batches of `batchSize` windows on `device`; float32 [N, D] on the CPU.
public func extractFeatures(
  _ network: some FeatureExtracting, split: ClassificationSplit, store: DatasetStore, preparation: WindowPreparation,
  batchSize: Int = 64, device: Device = .cpu
) -> LabeledFeatures {
  network.eval()
  let parts = withNoGrad {
    stride(from: 0, to: split.count, by: batchSize).map { start in
      let indices = Array(split.windows[start..<min(start + batchSize, split.count)])
      let signal = preparation.batch(store, indices: indices).to(device: device)
      return network.pooledFeatures(signal).to(dtype: .float32).to(device: .cpu)
    }
  }
  return LabeledFeatures(features: Tensor.cat(parts, dim: 0), labels: split.labelTensor)
}
