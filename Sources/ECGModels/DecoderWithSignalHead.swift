import ECGCore
import Torch

/// Configuration of the `--signal_head` wrapper (models.md §6.1): `{decoder, signal_head, freeze_decoder,
/// flow_loss_weight}`.
public struct DecoderWithSignalHeadConfig: Codable, Sendable, Equatable {
  public var decoder: DecoderTransformerConfig
  public var signalHead: SignalFlowHeadConfig
  /// Freezes every decoder parameter and drops the language-model loss.
  public var freezeDecoder = false
  /// α in `loss = CE + α·flow`.
  public var flowLossWeight = 1.0

  public init(decoder: DecoderTransformerConfig, signalHead: SignalFlowHeadConfig) {
    self.decoder = decoder
    self.signalHead = signalHead
  }

  enum CodingKeys: String, CodingKey {
    case decoder, signalHead = "signal_head", freezeDecoder = "freeze_decoder", flowLossWeight = "flow_loss_weight"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.init(
      decoder: try c.decode(DecoderTransformerConfig.self, forKey: .decoder),
      signalHead: try c.decodeIfPresent(SignalFlowHeadConfig.self, forKey: .signalHead) ?? SignalFlowHeadConfig())
    freezeDecoder = try c.decodeIfPresent(Bool.self, forKey: .freezeDecoder) ?? false
    flowLossWeight = try c.decodeIfPresent(Double.self, forKey: .flowLossWeight) ?? 1
  }
}

/// The discrete decoder with a flow-matching signal head (`DecoderWithSignalHead`, models.md §6): keys
/// `decoder.*` then `signal_head.*`.
public final class DecoderWithSignalHead: Module {
  /// `loss` = CE + α·flow (α·flow alone when frozen or without labels), `prediction` [B, S, L].
  public struct Output {
    public let loss: Tensor
    public let prediction: Tensor
  }

  /// `signal` [B, S, L] and the greedy `newTokens` [B, steps] it was conditioned on.
  public struct SignalGeneration {
    public let signal: Tensor
    public let newTokens: Tensor
  }

  public let config: DecoderWithSignalHeadConfig

  @Child("decoder") public var decoder: DecoderTransformer
  @Child("signal_head") public var signalHead: SignalFlowHead

  public init(_ config: DecoderWithSignalHeadConfig) throws {
    self.config = config
    super.init()
    decoder = try DecoderTransformer(config.decoder)
    signalHead = try SignalFlowHead(config.signalHead)
    if config.freezeDecoder { decoder.freeze() }
  }

  /// The training forward (§6.4): `batch.tgtIDs` [B, T], `batch.signal` [B, S, L], optional labels and key
  /// padding mask (default `tgtIDs == pad_id`). Draws `randn_like(x1)` then `rand(B)`. The hidden states are
  /// not detached: the flow loss trains the decoder too unless it is frozen.
  public func callAsFunction(_ batch: TokenBatch, draws: RandomDraws = RandomDraws()) -> Output {
    guard let signal = batch.signal else { preconditionFailure("the signal head's forward needs batch.signal") }
    let mask = batch.keyPaddingMask ?? batch.tgtIDs.eq(Double(config.decoder.padID))
    let decoded = decoder(batch.tgtIDs, keyPaddingMask: mask, labels: config.freezeDecoder ? nil : batch.labels)
    let x1 = signal.transposed(1, 2).to(decoded.hiddenStates.dtype)
    let b = x1.size(0)
    let x0 = draws.randn(like: x1)
    let t = draws.rand([b], device: x1.device)
    let tt = t.view(b, 1, 1).to(x1.dtype)
    let xt = (1 - tt) * x0 + tt * x1
    let prediction = signalHead(xt, t, context: decoded.hiddenStates, contextMask: mask)
    let flow = Functional.mseLoss(prediction, (x1 - x0).to(prediction.dtype))
    let weighted = flow * config.flowLossWeight
    let loss = decoded.loss.map { $0 + weighted } ?? weighted
    return Output(loss: loss, prediction: prediction.transposed(1, 2))
  }

  /// `generate` of the decoder (§6.5).
  public func generate(
    _ tgtIDs: Tensor, maxNewTokens: Int, temperature: Double = 1, topK: Int? = nil, doSample: Bool = false,
    returnNewOnly: Bool = false, returnLogits: Bool = true, draws: RandomDraws = RandomDraws()
  ) -> DecoderTransformer.Generation {
    decoder.generate(
      tgtIDs, maxNewTokens: maxNewTokens, temperature: temperature, topK: topK, doSample: doSample,
      returnNewOnly: returnNewOnly, returnLogits: returnLogits, draws: draws)
  }

  /// Signal generation (§6.5): greedy tokens after the prompt, the decoder's hidden states over the last
  /// `max_seq_len` tokens of prompt + new tokens, then Euler sampling of the head from `randn(B, L, S)`.
  public func generateSignal(
    _ tgtIDs: Tensor, maxNewTokens: Int, length: Int, numSteps: Int? = nil, draws: RandomDraws = RandomDraws()
  ) -> SignalGeneration {
    withNoGrad {
      let newTokens = decoder.generate(tgtIDs, maxNewTokens: maxNewTokens, returnNewOnly: true, returnLogits: false)
        .tokens
      var full = Tensor.cat([tgtIDs, newTokens], dim: 1)
      let limit = config.decoder.maxSeqLen
      if full.size(1) > limit { full = full.narrow(dim: 1, start: full.size(1) - limit, length: limit) }
      let mask = full.eq(Double(config.decoder.padID))
      let hidden = decoder(full, keyPaddingMask: mask).hiddenStates
      let signal = signalHead.sample(
        batchSize: tgtIDs.size(0), length: length, context: hidden, contextMask: mask, numSteps: numSteps, draws: draws)
      return SignalGeneration(signal: signal, newTokens: newTokens)
    }
  }

  /// `resize_embeddings` of the decoder.
  public func resizeEmbeddings(_ newVocabSize: Int) throws { try decoder.resizeEmbeddings(newVocabSize) }
}
