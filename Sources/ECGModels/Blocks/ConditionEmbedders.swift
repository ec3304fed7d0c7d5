import ECGCore
import Torch

/// Turns a condition into one embedding per row, [B, d] (DiT `condition_embedder`, models.md §3.4).
public protocol ConditionEmbedder: Module {
  func embed(_ condition: SignalCondition) -> Tensor
}

/// A frozen text model whose last hidden state conditions DiT (`--condition text`): a BERT-like encoder with
/// Hugging Face state-dict names.
public protocol TextEncoder: Module {
  /// Width H of the hidden states.
  var hiddenSize: Int { get }
  /// `last_hidden_state` [B, T, H] for tokenised texts [B, T].
  func lastHiddenState(_ text: TextCondition) -> Tensor
}

/// `--condition lead` (`LeadEmbedder`): `proj` Linear(1, d) of each sample of the conditioning lead plus
/// `pos_emb`, averaged over time: lead [B, L] → [B, d].
final class LeadConditionEmbedder: Module, ConditionEmbedder {
  @Child("proj") var proj: Linear
  @Child("pos_emb") var posEmb: Embedding

  init(dModel: Int, maxSeqLen: Int) {
    super.init()
    proj = Linear(1, dModel)
    posEmb = Embedding(maxSeqLen, dModel)
  }

  func embed(_ condition: SignalCondition) -> Tensor {
    guard case .lead(let lead) = condition else { preconditionFailure("a lead-conditioned DiT needs a lead condition") }
    let e = proj(lead.to(.float32).unsqueeze(-1)) + posEmb(positions(lead.size(1), device: lead.device))
    return e.mean(dim: 1)
  }
}

/// `--condition text`: the frozen text model (`text_feature_extractor.*`, always in eval mode, no gradients)
/// and `proj` Linear(H, d) of the **unmasked** mean of its last hidden state over all positions, padding
/// included (the reference's behaviour, M6): tokens [B, T] → [B, d].
final class TextConditionEmbedder: Module, ConditionEmbedder {
  @Child("text_feature_extractor") var textFeatureExtractor: any TextEncoder
  @Child("proj") var proj: Linear

  init(textEncoder: any TextEncoder, dModel: Int) {
    super.init()
    textFeatureExtractor = textEncoder
    textEncoder.freeze()
    proj = Linear(textEncoder.hiddenSize, dModel)
  }

  /// The text model's output for `text` (the fixtures' `text_last_hidden_state`).
  func lastHiddenState(_ text: TextCondition) -> Tensor {
    textFeatureExtractor.eval()
    return withNoGrad { textFeatureExtractor.lastHiddenState(text) }
  }

  func embed(_ condition: SignalCondition) -> Tensor {
    guard case .text(let text) = condition else { preconditionFailure("a text-conditioned DiT needs a text condition") }
    return proj(lastHiddenState(text).mean(dim: 1))
  }
}
