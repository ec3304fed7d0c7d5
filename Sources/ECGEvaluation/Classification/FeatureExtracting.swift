import ECGCore
import ECGModels
import Torch

/// A network with one pooled feature vector per ECG: the entry point the downstream probes use
/// (classification.md §2.2.1). Gradients flow through it when fine-tuning.
public protocol FeatureExtracting: Module {
  /// signal float32 [B, 12, L] → [B, D].
  func pooledFeatures(_ signal: Tensor) -> Tensor
}

extension DiT: FeatureExtracting {
  /// `get_features`: the final norm's output averaged over positions (no condition, time 0).
  public func pooledFeatures(_ signal: Tensor) -> Tensor { features(signal) }
}

extension NEPA: FeatureExtracting {
  /// `encode` averaged over positions (the reference's `get_features` is a stub).
  public func pooledFeatures(_ signal: Tensor) -> Tensor { features(signal) }
}

extension Merl: FeatureExtracting {
  /// The ResNet output averaged over time [B, 2048] (= MERL's average-pool linear probe).
  public func pooledFeatures(_ signal: Tensor) -> Tensor { features(SignalBatch(signal: signal)) }
}

extension MTAE: FeatureExtracting {
  /// The encoder's cls output (MTAE and MLAE).
  public func pooledFeatures(_ signal: Tensor) -> Tensor { features(SignalBatch(signal: signal)) }
}

extension STMEM: FeatureExtracting {
  /// `forward_encoding`: the mean over leads and patches, then the norm.
  public func pooledFeatures(_ signal: Tensor) -> Tensor { features(SignalBatch(signal: signal)) }
}

extension MAEViT: FeatureExtracting {
  /// `get_features` with every patch visible: each lead's signal cut into `patch_dim` patches [B, 12·L/P, P].
  public func pooledFeatures(_ signal: Tensor) -> Tensor {
    let (b, leads, length) = (signal.size(0), signal.size(1), signal.size(2))
    let patchDim = config.patchDim
    precondition(length % patchDim == 0, "MAE-ViT features need L a multiple of patch_dim \(patchDim), got \(length)")
    let patches = signal.contiguous().reshape([b, leads * length / patchDim, patchDim])
    let visible = Tensor.ones([b, leads * length / patchDim], device: signal.device)
    return features(PatchBatch(patches: patches, visibleMask: visible))
  }
}
