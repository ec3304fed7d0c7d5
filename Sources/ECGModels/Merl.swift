import ECGCore
import ECGText
import Torch

/// A frozen BERT-like text encoder for MERL: any module with a pooled output (`pooler_output`) for a tokenised
/// batch. `ECGText.BertModel` conforms; its weights are the `lm.*` entries of MERL's state_dict.
public protocol MerlTextModel: Module {
  /// Width of the pooled output (`hidden_size`), the input width of `proj_t.0`.
  var pooledWidth: Int { get }
  /// `lm(**condition).pooler_output`: [B, pooledWidth].
  func pooledOutput(_ text: TextCondition) -> Tensor
  /// The longest token sequence the model reads (nil: no limit).
  var maxTokens: Int? { get }
}

extension MerlTextModel {
  public var maxTokens: Int? { nil }
}

extension BertModel: MerlTextModel {
  public var pooledWidth: Int { configuration.hiddenSize }
  public var maxTokens: Int? { configuration.maxPositionEmbeddings }

  /// `pooler_output` (MERL builds only with a BERT that has the pooling layer).
  public func pooledOutput(_ text: TextCondition) -> Tensor {
    guard let pooled = self(text).poolerOutput else { preconditionFailure("this BERT has no pooling layer") }
    return pooled
  }
}

/// What MERL returns (models.md §8.3); `loss` and `out` are the reference's fields, the rest its intermediates.
public struct MerlOutput {
  /// CLIP(proj_ecg, proj_text) + CLIP(ecg1, ecg2).
  public let loss: Tensor
  /// `out`: the ResNet features [B, in_channels, spacial_dim].
  public let out: Tensor
  /// `downconv` output [B, proj_out, spacial_dim].
  public let ecgFeat: Tensor
  /// Attention-pooled ECG embedding [B, proj_out].
  public let projECG: Tensor
  /// The cls query's attention over the time positions, averaged over heads [B, 1, spacial_dim].
  public let attPoolWeights: Tensor
  /// Mean over time of `ecgFeat` [B, proj_out].
  public let ecgPooled: Tensor
  /// The two dropout views [B, proj_out].
  public let ecg1: Tensor
  public let ecg2: Tensor
  /// The text model's pooled output [B, hidden] and its projection [B, proj_out].
  public let textEmb: Tensor
  public let projText: Tensor
  /// The ECG–text and ECG–ECG CLIP terms.
  public let lossCMA: Tensor
  public let lossUMA: Tensor
}

/// MERL (merl.py `Merl`, models.md §8): ECG–text contrastive learning (CLIP between the attention-pooled ECG
/// embedding and the projected report embedding) plus an ECG–ECG term between two dropout views of the
/// mean-pooled embedding.
///
/// Modules in registration order: `resnet` (1-D ResNet, BatchNorm running statistics), `lm` (the frozen text
/// model, kept in eval mode even when MERL trains; absent for an ECG-only model), `downconv`, `att_pool_head`,
/// `linear1`, `linear2`, `proj_t`. The text projection's input width is the text model's hidden size, so any
/// BERT-like folder works (the reference hard-codes 768).
public final class Merl: Module {
  @Child("resnet") public var resnet: MerlResNet
  @Child("lm") public var lm: (any MerlTextModel)?
  @Child("downconv") public var downconv: Conv1d
  @Child("att_pool_head") public var attPoolHead: AttentionPool
  @Child("linear1") public var linear1: Linear
  @Child("linear2") public var linear2: Linear
  @Child("proj_t") public var projT: Sequential
  @Child("dropout1") var dropout1: Dropout
  @Child("dropout2") var dropout2: Dropout
  /// The configuration it was built from (`text_hidden_size` set to the text model's width).
  public let config: MerlConfig
  /// Under data parallelism (`distributed`, §8.3 step 5): every rank's rows of a batch concatenated in rank
  /// order, differentiably (`ProcessGroup.differentiableAllGather`), so the contrastive terms compare each ECG
  /// with the reports of the global batch. Set by the distributed trainer (`DistributedTraining`); nil computes
  /// the losses over this process's batch alone.
  public var batchGather: ((Tensor) -> Tensor)?

  /// Builds MERL with the reference's default initialisation drawn from libtorch's generator (the text model draws
  /// nothing). `textModel` is frozen here; nil builds the ECG side only (features, checkpoints), whose forward
  /// traps.
  public init(config: MerlConfig, textModel: (any MerlTextModel)?) throws {
    try config.validate()
    let layout = try config.resnetLayout()
    if let bert = textModel as? BertModel, !bert.hasPooler {
      throw ModelConfigurationError("MERL needs the text model's pooler output; this BERT has no pooling layer")
    }
    var config = config
    if let textModel { config.textHiddenSize = textModel.pooledWidth }
    self.config = config
    super.init()
    resnet = MerlResNet(block: layout.block, blocks: layout.blocks, widths: layout.widths)
    if let textModel {
      textModel.freeze()
      textModel.eval()
    }
    lm = textModel
    downconv = Conv1d(config.inChannels, config.projOut, kernelSize: 1)
    attPoolHead = AttentionPool(positions: config.spacialDim, width: config.projOut, heads: 4)
    linear1 = Linear(config.projOut, config.projOut, bias: false)
    linear2 = Linear(config.projOut, config.projOut, bias: false)
    let textWidth = textModel?.pooledWidth ?? config.textHiddenSize
    projT = Sequential(Linear(textWidth, config.projHidden), GELU(), Linear(config.projHidden, config.projOut))
    dropout1 = Dropout(config.dropout)
    dropout2 = Dropout(config.dropout)
  }

  /// Training forward (`forward(signal, condition)`, §8.3): `batch.signal` [B, 12, L] and `batch.condition`
  /// `.text` (the tokenised reports) → loss (over the gathered batch with `batchGather`) and this rank's
  /// intermediates. Dropout (the two views) draws from libtorch's generator in training mode; nothing else draws.
  public func callAsFunction(_ batch: SignalBatch) -> MerlOutput {
    guard case .text(let text) = batch.condition else {
      preconditionFailure("MERL needs the tokenised reports as the batch's text condition")
    }
    guard let lm else { preconditionFailure("this MERL was built without a text model") }
    let ecg = encodeECG(batch.signal)
    // The reference's text model stays in eval mode (from_pretrained) whatever MERL's mode is.
    if lm.isTraining { lm.eval() }
    let textEmb = withNoGrad { lm.pooledOutput(text.to(ecg.ecgFeat.device)) }
    let projText = projT(textEmb)
    // All four batches are gathered before either loss, in the reference's order (each a collective).
    let gather = batchGather ?? { $0 }
    let (allECG, allText) = (gather(ecg.projECG), gather(projText))
    let (allECG1, allECG2) = (gather(ecg.ecg1), gather(ecg.ecg2))
    let lossCMA = Self.clipLoss(allECG, allText)
    let lossUMA = Self.clipLoss(allECG1, allECG2)
    return MerlOutput(
      loss: lossCMA + lossUMA, out: ecg.out, ecgFeat: ecg.ecgFeat, projECG: ecg.projECG,
      attPoolWeights: ecg.attPoolWeights, ecgPooled: ecg.ecgPooled, ecg1: ecg.ecg1, ecg2: ecg.ecg2, textEmb: textEmb,
      projText: projText, lossCMA: lossCMA, lossUMA: lossUMA)
  }

  /// The ECG side of the forward (§8.3 steps 1–3): signal [B, 12, L] → ResNet output, `downconv` output, the
  /// attention-pooled embedding and the two dropout views of the mean-pooled one.
  public func encodeECG(
    _ signal: Tensor
  ) -> (
    out: Tensor, ecgFeat: Tensor, projECG: Tensor, attPoolWeights: Tensor, ecgPooled: Tensor, ecg1: Tensor, ecg2: Tensor
  ) {
    let out = resnet(signal)
    let ecgFeat = downconv(out)
    let (projECG, weights) = attPoolHead(ecgFeat)
    let ecgPooled = ecgFeat.mean(dim: 2)
    return (out, ecgFeat, projECG, weights, ecgPooled, dropout1(linear1(ecgPooled)), dropout2(linear2(ecgPooled)))
  }

  /// The reference's `get_features(signal)`: the ResNet output [B, in_channels, spacial_dim], unpooled
  /// (BatchNorm with running statistics in eval mode).
  public func resnetFeatures(_ batch: SignalBatch) -> Tensor { resnet(batch.signal) }

  /// CLIP loss with temperature 0.07 (merl.py `clip_loss`): x, y [B, D] with rows L2-normalised,
  /// S = x·yᵀ · (1/0.07), CE(S, arange(B)) + CE(Sᵀ, arange(B)).
  public static func clipLoss(_ x: Tensor, _ y: Tensor) -> Tensor {
    let x = Functional.normalize(x, dim: -1)
    let y = Functional.normalize(y, dim: -1)
    let similarity = x.matmul(y.transposed(0, 1)) * (1 / 0.07)
    let labels = Tensor.arange(0, Double(x.size(0)), dtype: .int64, device: x.device)
    return Functional.crossEntropy(similarity, labels) + Functional.crossEntropy(similarity.transposed(0, 1), labels)
  }

  /// Features for evaluation: the ResNet output averaged over time (global average pooling, as MERL's linear
  /// probe does) → [B, in_channels].
  public func features(_ batch: SignalBatch) -> Tensor { resnetFeatures(batch).mean(dim: 2) }
}

/// MERL's attention pooling (merl/blocks.py `AttentionPool2d`): a learned cls query attends over the time steps.
///
/// x [B, D, T] → tokens [B, T, D]; cls = `cls_token` + `positional_embedding[:, 0]`; [cls, tokens] +
/// `positional_embedding` (all T+1 rows, so the cls token receives row 0 twice — the reference's quirk, kept);
/// `mhsa`(query = cls, key = value = all) with the plain-softmax weights averaged over heads; `c_proj`.
/// Keys: `positional_embedding` [1, T+1, D] (init randn / D), `cls_token` [1, 1, D] (randn), `mhsa.*`, `c_proj.*`.
public final class AttentionPool: Module {
  @Parameter("positional_embedding") public var positionalEmbedding: Tensor
  @Parameter("cls_token") public var clsToken: Tensor
  @Child("mhsa") public var mhsa: MultiheadAttention
  @Child("c_proj") public var cProj: Linear

  init(positions: Int, width: Int, heads: Int) {
    super.init()
    positionalEmbedding = Tensor.randn([1, positions + 1, width]) / Double(width)
    clsToken = Tensor.randn([1, 1, width])
    mhsa = MultiheadAttention(embedDim: width, heads: heads)
    cProj = Linear(width, width)
  }

  /// x [B, D, T] → (pooled [B, D], weights over the T time steps [B, 1, T]).
  func callAsFunction(_ x: Tensor) -> (pooled: Tensor, weights: Tensor) {
    let tokens = x.permute(0, 2, 1)
    let (batch, width) = (tokens.size(0), tokens.size(2))
    let cls = (clsToken + positionalEmbedding.narrow(dim: 1, start: 0, length: 1)).expand([batch, 1, width])
    let sequence = Tensor.cat([cls, tokens], dim: 1) + positionalEmbedding
    let (attended, weights) = mhsa(
      query: sequence.narrow(dim: 1, start: 0, length: 1), key: sequence, value: sequence, needWeights: true)
    let pooled = cProj(attended).reshape(batch, width)
    return (pooled, weights!.narrow(dim: 2, start: 1, length: sequence.size(1) - 1))
  }
}
