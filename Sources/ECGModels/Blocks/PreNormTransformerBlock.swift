import Torch

/// The pre-norm transformer block of the MAE family (st_mem.py `TransformerBlock`; models.md §9.1), shared by
/// MTAE, MLAE and ST-MEM: `x = attn(x) + x; x = ff(x) + x` with `attn` = PreNorm(Attention) and
/// `ff` = PreNorm(FeedForward). Drop-path and every dropout have rate 0 in all built models, so neither exists here.
///
/// Keys: `attn.norm.*`, `attn.fn.to_qkv.*`, `attn.fn.to_out.0.*`, `ff.norm.*`, `ff.fn.net.0.*`, `ff.fn.net.3.*`.
/// Construction draws (default Linear inits) in the reference's order: `to_qkv`, `to_out.0`, `net.0`, `net.3`.
final class PreNormTransformerBlock: Module {
  @Child("attn") var attn: PreNorm<SelfAttention>
  @Child("ff") var ff: PreNorm<FeedForward>

  /// - Parameters: `width` the token width, `heads` × `headDim` the attention's inner width, `hidden` the
  ///   feed-forward width, `qkvBias` whether `to_qkv` has a bias.
  init(width: Int, heads: Int, headDim: Int, hidden: Int, qkvBias: Bool) {
    super.init()
    attn = PreNorm(width, SelfAttention(width: width, heads: heads, headDim: headDim, qkvBias: qkvBias))
    ff = PreNorm(width, FeedForward(width: width, hidden: hidden))
  }

  /// x [B, N, width] → [B, N, width].
  func callAsFunction(_ x: Tensor) -> Tensor {
    let x = attn(x) + x
    return ff(x) + x
  }
}

/// `fn(LayerNorm(x))` with keys `norm.*` (eps 1e-5) and `fn.*` (st_mem.py `PreNorm`).
final class PreNorm<Body: UnaryLayer>: Module, UnaryLayer {
  @Child("norm") var norm: LayerNorm
  @Child("fn") var fn: Body

  init(_ width: Int, _ body: Body) {
    super.init()
    norm = LayerNorm(width)
    fn = body
  }

  func callAsFunction(_ input: Tensor) -> Tensor { fn(norm(input)) }
}

/// Multi-head self-attention without masks (st_mem.py `Attention`): `to_qkv` Linear(width, 3·heads·headDim),
/// q, k, v the three consecutive chunks, heads split by columns, softmax(q kᵀ / √headDim) v, `to_out.0` Linear.
final class SelfAttention: Module, UnaryLayer {
  @Child("to_qkv") var toQKV: Linear
  @Child("to_out") var toOut: Sequential
  let heads: Int
  let headDim: Int

  init(width: Int, heads: Int, headDim: Int, qkvBias: Bool) {
    self.heads = heads
    self.headDim = headDim
    super.init()
    let inner = heads * headDim
    toQKV = Linear(width, 3 * inner, bias: qkvBias)
    // The reference's `to_out` is Sequential(Linear, Dropout(0)); only the Linear has keys.
    toOut = Sequential(Linear(inner, width))
  }

  /// x [B, N, width] → [B, N, width].
  func callAsFunction(_ x: Tensor) -> Tensor {
    let (batch, length) = (x.size(0), x.size(1))
    // [B, N, 3·inner] → 3 × [B, heads, N, headDim]
    let qkv = toQKV(x).view(batch, length, 3, heads, headDim).permute(2, 0, 3, 1, 4)
    let attended = Functional.scaledDotProductAttention(
      query: qkv.select(dim: 0, index: 0), key: qkv.select(dim: 0, index: 1), value: qkv.select(dim: 0, index: 2))
    return toOut(attended.transposed(1, 2).reshape(batch, length, heads * headDim))
  }
}

/// Linear → GELU → Linear (st_mem.py `FeedForward`, keys `net.0.*`, `net.3.*`; the dropouts at 1, 2 and 4 have
/// rate 0 and no keys).
final class FeedForward: Module, UnaryLayer {
  @Child("net") var net: Sequential

  init(width: Int, hidden: Int) {
    super.init()
    net = Sequential(Linear(width, hidden), GELU(), Identity(), Linear(hidden, width))
  }

  func callAsFunction(_ input: Tensor) -> Tensor { net(input) }
}
