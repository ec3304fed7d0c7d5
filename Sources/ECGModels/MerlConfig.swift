import Torch

/// Configuration of MERL (`MerlConfig`, models.md §8.1), coding keys as the reference's fields, plus the ResNet
/// fields the fixtures use (`resnet_block`, `resnet_num_blocks`, `resnet_widths`) and `text_hidden_size`.
public struct MerlConfig: Codable, Sendable, Equatable {
  public var projHidden = 256
  public var projOut = 256
  /// ResNet output channels (2048 for ResNet-50/101, 512 for ResNet-18/34); must match the ResNet.
  public var inChannels = 2048
  /// Unused by the reference (kept for configuration files).
  public var numLayers = 12
  /// Rate of the two dropout views `ecg1`, `ecg2`.
  public var dropout = 0.1
  /// Samples per lead L. The reference builder never sets it (its default 2500); ours passes `--segment_len`.
  public var seqLen = 2500
  /// The text model's name or local folder (a BERT-like Hugging Face folder; the reference fixes MedCPT).
  public var lm = "ncbi/MedCPT-Query-Encoder"
  /// `resnet18`, `resnet34`, `resnet50`, `resnet101` (the reference's only choice) or `custom`.
  public var resnetType = "resnet101"
  /// All-gather the embeddings over ranks before the loss (`--distributed`); the gather itself is
  /// `Merl.batchGather`, which the distributed trainer sets.
  public var distributed = false
  /// Length of the ResNet output (the attention pool's positions), derived from `seq_len` when not given
  /// (the reference's 157 / 79 / 32 for 2500 / 1250 / 500; it fails for other lengths, models.md §14).
  public var spacialDim = MerlResNet.outputLength(2500)
  /// For `custom`: the block kind, the four stage block counts and widths.
  public var resnetBlock: MerlResNetBlock?
  public var resnetNumBlocks: [Int]?
  public var resnetWidths: [Int]?
  /// Input width of `proj_t.0`: the text model's hidden size (the reference hard-codes 768); a given text model
  /// overrides it.
  public var textHiddenSize = 768

  enum CodingKeys: String, CodingKey {
    case projHidden = "proj_hidden"
    case projOut = "proj_out"
    case inChannels = "in_channels"
    case numLayers = "num_layers"
    case dropout
    case seqLen = "seq_len"
    case lm
    case resnetType = "resnet_type"
    case distributed
    case spacialDim = "spacial_dim"
    case resnetBlock = "resnet_block"
    case resnetNumBlocks = "resnet_num_blocks"
    case resnetWidths = "resnet_widths"
    case textHiddenSize = "text_hidden_size"
  }

  public init() {}

  /// As the reference builder builds it (`distributed` = `--distributed`), with `seq_len` = `--segment_len`
  /// (the reference leaves 2500 and then fails on any other length, models.md §14).
  public init(segmentLength: Int, distributed: Bool = false) {
    seqLen = segmentLength
    spacialDim = MerlResNet.outputLength(segmentLength)
    self.distributed = distributed
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    let d = MerlConfig()
    projHidden = try c.decodeValue(.projHidden, orDefault: d.projHidden)
    projOut = try c.decodeValue(.projOut, orDefault: d.projOut)
    inChannels = try c.decodeValue(.inChannels, orDefault: d.inChannels)
    numLayers = try c.decodeValue(.numLayers, orDefault: d.numLayers)
    dropout = try c.decodeValue(.dropout, orDefault: d.dropout)
    seqLen = try c.decodeValue(.seqLen, orDefault: d.seqLen)
    lm = try c.decodeValue(.lm, orDefault: d.lm)
    resnetType = try c.decodeValue(.resnetType, orDefault: d.resnetType)
    // The reference passes `--distributed`, which is None when not given.
    distributed = try c.decodeIfPresent(Bool.self, forKey: .distributed) ?? false
    spacialDim = try c.decodeValue(.spacialDim, orDefault: MerlResNet.outputLength(seqLen))
    resnetBlock = try c.decodeIfPresent(MerlResNetBlock.self, forKey: .resnetBlock)
    resnetNumBlocks = try c.decodeIfPresent([Int].self, forKey: .resnetNumBlocks)
    resnetWidths = try c.decodeIfPresent([Int].self, forKey: .resnetWidths)
    textHiddenSize = try c.decodeValue(.textHiddenSize, orDefault: d.textHiddenSize)
  }

  /// `d_model`: the ResNet's output channels.
  public var dModel: Int { inChannels }

  /// The ResNet's block kind, stage block counts and widths.
  public func resnetLayout() throws -> (block: MerlResNetBlock, blocks: [Int], widths: [Int]) {
    let standard = [64, 128, 256, 512]
    switch resnetType {
    case "resnet18": return (.basicBlock, [2, 2, 2, 2], resnetWidths ?? standard)
    case "resnet34": return (.basicBlock, [3, 4, 6, 3], resnetWidths ?? standard)
    case "resnet50": return (.bottleneck, [3, 4, 6, 3], resnetWidths ?? standard)
    case "resnet101": return (.bottleneck, [3, 4, 23, 3], resnetWidths ?? standard)
    case "custom":
      guard let block = resnetBlock, let blocks = resnetNumBlocks, let widths = resnetWidths else {
        throw ModelConfigurationError("resnet_type custom needs resnet_block, resnet_num_blocks and resnet_widths")
      }
      return (block, blocks, widths)
    default:
      throw ModelConfigurationError(
        "unknown resnet_type \(resnetType): use resnet18, resnet34, resnet50, resnet101 or custom")
    }
  }

  /// Throws for configurations that cannot build or run MERL.
  public func validate() throws {
    let (block, blocks, widths) = try resnetLayout()
    guard blocks.count == 4, widths.count == 4, (blocks + widths).allSatisfy({ $0 > 0 }) else {
      throw ModelConfigurationError(
        "the ResNet needs four positive block counts and widths, got \(blocks) and \(widths)")
    }
    guard inChannels == widths[3] * block.expansion else {
      throw ModelConfigurationError(
        "in_channels (\(inChannels)) must be the ResNet's output channels, \(widths[3] * block.expansion)")
    }
    let length = MerlResNet.outputLength(seqLen)
    guard spacialDim == length else {
      throw ModelConfigurationError(
        "spacial_dim (\(spacialDim)) must equal the ResNet's output length for seq_len \(seqLen), \(length)")
    }
    guard projOut % 4 == 0 else { throw ModelConfigurationError("proj_out (\(projOut)) must be divisible by 4 heads") }
    guard (0..<1).contains(dropout) else { throw ModelConfigurationError("dropout must be in [0, 1), got \(dropout)") }
  }
}
