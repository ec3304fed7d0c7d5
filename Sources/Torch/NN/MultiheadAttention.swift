/// Multi-head attention with batch-first [batch, length, embed] tensors (`nn.MultiheadAttention` with
/// `batch_first=True`): packed `in_proj_weight` [3·embed, embed] and `in_proj_bias`, and `out_proj`.
public final class MultiheadAttention: Module {
  @Parameter("in_proj_weight") public var inProjWeight: Tensor
  @Parameter("in_proj_bias") public var inProjBias: Tensor?
  @Child("out_proj") public var outProj: Linear
  public let embedDim: Int
  public let heads: Int
  /// Dropout on the attention weights in training mode.
  public let dropout: Double

  public init(embedDim: Int, heads: Int, dropout: Double = 0, bias: Bool = true) {
    precondition(embedDim % heads == 0, "embed_dim \(embedDim) must be divisible by num_heads \(heads)")
    self.embedDim = embedDim
    self.heads = heads
    self.dropout = dropout
    super.init()
    // PyTorch builds out_proj (drawing its default init) before resetting the packed projection.
    outProj = Linear(embedDim, embedDim, bias: bias)
    inProjWeight = Tensor.empty([3 * embedDim, embedDim])
    Init.xavierUniform(inProjWeight)
    if bias {
      inProjBias = Tensor.zeros([3 * embedDim])
      if let outBias = outProj.bias { Init.zeros(outBias) }
    }
  }

  /// Attends from `query` [B, Lq, E] to `key`/`value` [B, Lk, E].
  /// - Parameters:
  ///   - keyPaddingMask: [B, Lk] boolean, true = padding (ignored), or additive float.
  ///   - attentionMask: [Lq, Lk] or [B·heads, Lq, Lk]; boolean true = not allowed, or additive float.
  ///   - needWeights: also return the attention weights, averaged over heads when `averageWeights`.
  /// - Returns: the output [B, Lq, E] and the weights ([B, Lq, Lk], or [B, heads, Lq, Lk]) when asked for.
  public func callAsFunction(
    query: Tensor, key: Tensor, value: Tensor, keyPaddingMask: Tensor? = nil, attentionMask: Tensor? = nil,
    needWeights: Bool = false, averageWeights: Bool = true, isCausal: Bool = false
  ) -> (output: Tensor, weights: Tensor?) {
    let (batch, queryLength) = (query.size(0), query.size(1))
    let keyLength = key.size(1)
    let headDim = embedDim / heads
    let weights = inProjWeight.chunk(3)
    let biases = inProjBias?.chunk(3)
    func project(_ x: Tensor, _ i: Int, _ length: Int) -> Tensor {
      Functional.linear(x, weight: weights[i], bias: biases?[i]).view(batch, length, heads, headDim).transposed(1, 2)
    }
    let q = project(query, 0, queryLength)
    let k = project(key, 1, keyLength)
    let v = project(value, 2, keyLength)

    let mask = additiveMask(
      batch: batch, queryLength: queryLength, keyLength: keyLength, keyPaddingMask: keyPaddingMask,
      attentionMask: attentionMask, isCausal: isCausal, dtype: q.dtype, device: q.device)
    let dropoutP = isTraining ? dropout : 0
    var attended: Tensor
    var returned: Tensor?
    if needWeights {
      var scores = q.matmul(k.transposed(-2, -1)) * (1 / Double(headDim).squareRoot())
      if let mask { scores = scores + mask }
      let probabilities = scores.softmax(dim: -1)
      let dropped = dropoutP > 0 ? Functional.dropout(probabilities, p: dropoutP, training: true) : probabilities
      attended = dropped.matmul(v)
      returned = averageWeights ? probabilities.mean(dim: 1) : probabilities
    } else {
      attended = Functional.scaledDotProductAttention(query: q, key: k, value: v, mask: mask, dropout: dropoutP)
    }
    attended = attended.transposed(1, 2).reshape(batch, queryLength, embedDim)
    return (outProj(attended), returned)
  }

  /// Self-attention: `query`, `key` and `value` are all `x`.
  public func callAsFunction(
    _ x: Tensor, keyPaddingMask: Tensor? = nil, attentionMask: Tensor? = nil, isCausal: Bool = false
  ) -> Tensor {
    self(query: x, key: x, value: x, keyPaddingMask: keyPaddingMask, attentionMask: attentionMask, isCausal: isCausal)
      .output
  }

  /// Merges the masks into one additive [B or 1, heads or 1, Lq, Lk] float mask (-inf where not allowed).
  private func additiveMask(
    batch: Int, queryLength: Int, keyLength: Int, keyPaddingMask: Tensor?, attentionMask: Tensor?, isCausal: Bool,
    dtype: DType, device: Device
  ) -> Tensor? {
    func additive(_ mask: Tensor) -> Tensor {
      guard mask.dtype == .bool else { return mask.to(dtype: dtype, device: device) }
      return Tensor.zeros(mask.shape, dtype: dtype, device: device).maskedFill(mask.to(device), -.infinity)
    }
    var combined: Tensor?
    if let attentionMask {
      let mask = additive(attentionMask)
      combined =
        mask.rank == 2 ? mask.view(1, 1, queryLength, keyLength) : mask.view(batch, heads, queryLength, keyLength)
    }
    if isCausal {
      let causal = Tensor.ones([queryLength, keyLength], dtype: .bool, device: device).triu(1)
      let mask = additive(causal).view(1, 1, queryLength, keyLength)
      combined = combined.map { $0 + mask } ?? mask
    }
    if let keyPaddingMask {
      let mask = additive(keyPaddingMask).view(batch, 1, 1, keyLength)
      combined = combined.map { $0 + mask } ?? mask
    }
    return combined
  }
}
