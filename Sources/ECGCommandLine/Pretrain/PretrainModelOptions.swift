import ArgumentParser

/// Network flags (evaluation.md §8.1) plus size presets and overrides.
struct PretrainModelOptions: ParsableArguments {
  @Option(
    name: [.long, .customLong("neural_network")],
    help:
      "trans_continuous_dit, trans_continuous_nepa, trans_discrete_decoder, mae_vit, merl, mlae, mtae or st_mem.")
  var neuralNetwork: String?

  @Option(help: "ddpm, rectified_flow, autoregressive, mae, merl, mlae, mtae or st_mem.")
  var objective: String?

  @Option(help: "Size preset: tiny, small or base (base = the reference's defaults).")
  var preset: String = "base"

  @Option(name: [.long, .customLong("d_model")], parsing: .unconditional, help: "Model width (overrides the preset).")
  var dModel: Int?

  @Option(name: [.long, .customLong("num_layers")], parsing: .unconditional, help: "Layers (overrides the preset).")
  var numLayers: Int?

  @Option(
    name: [.long, .customLong("n_heads")], parsing: .unconditional, help: "Attention heads (overrides the preset).")
  var nHeads: Int?

  @Option(
    name: [.long, .customLong("dim_ff")], parsing: .unconditional, help: "Feed-forward width (overrides the preset).")
  var dimFF: Int?

  @Option(
    name: [.long, .customLong("max_seq_len")], parsing: .unconditional,
    help: "DiT's position table length (the reference's builder keeps 2500; must cover --segment_len).")
  var maxSeqLen: Int?

  @Option(
    name: [.long, .customLong("patch_dim")], parsing: .unconditional,
    help: "MAE-ViT patch size (must equal --segment_len).")
  var patchDim = 2500

  @Option(name: [.long, .customLong("num_patches")], parsing: .unconditional, help: "MAE masking: number of patches.")
  var numPatches = 12

  @Flag(name: [.long, .customLong("signal_head")], help: "Attach the flow-matching signal head to the decoder.")
  var signalHead = false

  @Option(name: [.long, .customLong("signal_head_layers")], parsing: .unconditional, help: "Signal-head layers.")
  var signalHeadLayers = 4

  @Option(
    name: [.long, .customLong("signal_head_num_steps")], parsing: .unconditional,
    help: "Signal-head Euler steps at inference.")
  var signalHeadNumSteps = 50

  @Flag(name: [.long, .customLong("freeze_decoder")], help: "Freeze the decoder under the signal head.")
  var freezeDecoder = false

  @Option(name: [.long, .customLong("flow_loss_weight")], parsing: .unconditional, help: "α in CE + α·flow.")
  var flowLossWeight = 1.0

  @Option(name: [.long, .customLong("nn_ckpt")], help: "Initial weights: one of our checkpoints or a reference .pt.")
  var nnCkpt: String?

  @Flag(name: [.long, .customLong("bfloat_16")], help: "Mixed precision: bf16 compute, float32 weights and state.")
  var bfloat16 = false

  @Flag(name: [.long, .customLong("torch_compile")], help: "Accepted for compatibility; eager mode is used.")
  var torchCompile = false
}

/// Width, depth and heads of a size preset; nil fields keep the network's own (reference) default.
struct ModelSize: Codable, Equatable {
  var dModel: Int?
  var numLayers: Int?
  var nHeads: Int?
  var dimFF: Int?

  enum CodingKeys: String, CodingKey {
    case dModel = "d_model"
    case numLayers = "num_layers"
    case nHeads = "n_heads"
    case dimFF = "dim_ff"
  }

  static func preset(_ name: String) -> ModelSize? {
    switch name {
    case "tiny": ModelSize(dModel: 64, numLayers: 2, nHeads: 4, dimFF: 256)
    case "small": ModelSize(dModel: 256, numLayers: 6, nHeads: 8, dimFF: 1024)
    case "base": ModelSize()
    default: nil
    }
  }
}
