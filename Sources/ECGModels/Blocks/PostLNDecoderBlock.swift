import Torch

/// The post-LN transformer block of NEPA, the decoder transformer (`DecoderBlock`, models.md §4.3) and MAE-ViT
/// (`ViTBlock`, whose attention key is `attn`):
///
///     y = MHA(x, x, x);               x = norm1(x + dropout(y))
///     y = lin2(dropout_ff(GELU(lin1(x)))); x = norm2(x + dropout(y))
///
/// `x` [B, T, d] → [B, T, d]. Keys: `self_attn.*` (or `attentionKey`), `lin1.*`, `lin2.*`, `norm1.*`, `norm2.*`. Construction draws
/// in the reference's order: self_attn (out_proj, then in_proj_weight), lin1, lin2.
final class PostLNDecoderBlock: Module {
  @Child var selfAttn: MultiheadAttention
  @Child("lin1") var lin1: Linear
  @Child("lin2") var lin2: Linear
  @Child("norm1") var norm1: LayerNorm
  @Child("norm2") var norm2: LayerNorm
  @Child("dropout") var dropout: Dropout
  @Child("dropout_ff") var dropoutFF: Dropout

  init(dModel: Int, heads: Int, dimFF: Int, dropout p: Double, attentionKey: String = "self_attn") {
    _selfAttn = Child(attentionKey)
    super.init()
    selfAttn = MultiheadAttention(embedDim: dModel, heads: heads, dropout: p)
    lin1 = Linear(dModel, dimFF)
    lin2 = Linear(dimFF, dModel)
    norm1 = LayerNorm(dModel)
    norm2 = LayerNorm(dModel)
    dropout = Dropout(p)
    dropoutFF = Dropout(p)
  }

  /// `x` [B, T, d]; `keyPaddingMask` [B, T] bool (true = padded); `causal` masks keys after each query.
  /// A query whose keys are all masked gets a zero attention row (the reference's training numerics, §1.2).
  func callAsFunction(_ x: Tensor, keyPaddingMask: Tensor? = nil, causal: Bool = false) -> Tensor {
    let attended = selfAttn(x, keyPaddingMask: keyPaddingMask, isCausal: causal)
    let h = norm1(x + dropout(attended))
    let ff = lin2(dropoutFF(lin1(h).gelu()))
    return norm2(h + dropout(ff))
  }
}

extension Module {
  /// Xavier-uniform on every parameter with at least two dimensions, in `named_parameters()` order (the
  /// `_reset_parameters` of NEPA and the decoder transformer).
  func xavierInitialiseMatrices() {
    for (_, parameter) in namedParameters() where parameter.rank >= 2 { Init.xavierUniform(parameter) }
  }
}
