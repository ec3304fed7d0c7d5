import ArgumentParser

/// Training flags of `pretrain_encoder.py` (evaluation.md §8.2) with the reference's defaults, plus
/// `--max_steps` and `--log_every`.
struct PretrainTrainingOptions: ParsableArguments {
  @Option(parsing: .unconditional, help: "Epochs.")
  var epochs = 1

  @Option(
    name: [.long, .customLong("batch_size")], parsing: .unconditional, help: "Windows per micro-batch, per process.")
  var batchSize = 1

  @Option(help: "adam, adamw or muon.")
  var optimizer = "adamw"

  @Option(parsing: .unconditional, help: "Learning rate before batch scaling.")
  var lr = 3e-4

  @Option(name: [.long, .customLong("weight_decay")], parsing: .unconditional, help: "Weight decay.")
  var weightDecay = 1e-2

  @Option(parsing: .unconditional, help: "Early stopping: epochs without improvement.")
  var patience = 5

  @Option(
    name: [.long, .customLong("patience_delta")], parsing: .unconditional,
    help: "Early stopping: required improvement (absolute).")
  var patienceDelta = 0.1

  @Option(parsing: .unconditional, help: "Adam β1.")
  var beta1 = 0.9

  @Option(parsing: .unconditional, help: "Adam β2.")
  var beta2 = 0.95

  @Option(parsing: .unconditional, help: "Adam ε.")
  var eps = 1e-8

  @Option(name: [.long, .customLong("muon_momentum")], parsing: .unconditional, help: "Muon momentum.")
  var muonMomentum = 0.95

  @Flag(name: [.long, .customLong("muon_nesterov")], help: "Muon Nesterov momentum (always on, as in the reference).")
  var muonNesterov = false

  @Option(name: [.long, .customLong("muon_ns_steps")], parsing: .unconditional, help: "Muon Newton–Schulz steps.")
  var muonNsSteps = 5

  @Option(
    name: [.long, .customLong("muon_adamw_lr_ratio")], parsing: .unconditional,
    help: "AdamW learning rate = ratio × Muon's.")
  var muonAdamwLrRatio = 0.015

  @Option(name: [.long, .customLong("lr_schedule")], help: "constant, cosine or inv_sqrt.")
  var lrSchedule = "constant"

  @Option(name: [.long, .customLong("min_lr_ratio")], parsing: .unconditional, help: "Cosine floor.")
  var minLrRatio = 0.1

  @Option(parsing: .unconditional, help: "Linear warm-up steps.")
  var warmup = 2000

  @Option(
    name: [.long, .customLong("ref_global_bs")], parsing: .unconditional,
    help: "Global batch the learning rate was tuned for.")
  var refGlobalBs: Int?

  @Option(
    name: [.long, .customLong("grad_accum_steps")], parsing: .unconditional,
    help: "Micro-batches per optimizer step (real accumulation).")
  var gradAccumSteps = 1

  @Option(
    name: [.long, .customLong("grad_clip")], parsing: .unconditional, help: "Maximum global gradient norm, 0 = off.")
  var gradClip = 0.0

  @Option(name: [.long, .customLong("scale_wd")], help: "none, inv_sqrt or inv_linear.")
  var scaleWd = "none"

  @Flag(name: [.long, .customLong("save_step")], help: "Also checkpoint about every fifth of an epoch.")
  var saveStep = false

  @Flag(help: "Keep an exponential moving average of the weights.")
  var ema = false

  @Option(name: [.long, .customLong("ema_decay")], parsing: .unconditional, help: "EMA decay.")
  var emaDecay = 0.999

  @Option(
    name: [.long, .customLong("max_steps")], parsing: .unconditional,
    help: "Stop after this many optimizer steps in total (with --resume: extend the run to this many).")
  var maxSteps: Int?

  @Option(
    name: [.long, .customLong("log_every")], parsing: .unconditional, help: "Optimizer steps between metric records.")
  var logEvery = 10

  @Flag(help: "Adam/AdamW as one fused kernel per device and dtype (torch.optim's fused=True).")
  var fused = false

  @Flag var tf32: TF32Switch = .on
}

/// `--tf32` (the default, as the reference's `set_float32_matmul_precision("high")`) or `--no-tf32` / `--no_tf32`.
enum TF32Switch: String, EnumerableFlag {
  case on, off

  static func name(for value: TF32Switch) -> NameSpecification {
    switch value {
    case .on: [.customLong("tf32")]
    case .off: [.customLong("no-tf32"), .customLong("no_tf32")]
    }
  }

  static func help(for value: TF32Switch) -> ArgumentHelp? {
    switch value {
    case .on: "Let float32 matmuls use TF32 on CUDA (default; no effect on the CPU)."
    case .off: "Plain float32 matmuls on CUDA."
    }
  }
}

/// Run flags: seed, device, threads, resume, dev mode and the reference's distributed/wandb switches.
struct PretrainRunOptions: ParsableArguments {
  @Option(
    parsing: .unconditional, help: "Seed of libtorch's generator and the loader, 0 or more.",
    transform: parseSeed("--seed"))
  var seed: UInt64 = 0

  @Flag(help: "One batch: print its shapes and loss; no run folder.")
  var dev = false

  @Option(help: "cpu, cuda or cuda:N (default: cuda when available, else cpu).")
  var device: String?

  @Option(parsing: .unconditional, help: "libtorch intra-op threads (default: libtorch's choice).")
  var threads: Int?

  @Flag(
    help:
      "Data-parallel training (Gloo on CPU, NCCL on CUDA): start with `ecg launch --nproc_per_node N -- ecg pretrain --distributed …`."
  )
  var distributed = false

  @Flag(
    name: [.long, .customLong("sync_bn")],
    help: "With --distributed: BatchNorm statistics over all ranks' batches (SyncBatchNorm; default per rank).")
  var syncBn = false

  @Option(
    name: [.long, .customLong("dist_timeout")], parsing: .unconditional,
    help: "Seconds to wait for the other ranks (rendezvous and every collective).")
  var distTimeout = 1800

  @Flag(help: "Log to Weights & Biases (not available: use TensorBoard on runs/).")
  var wandb = false

  @Option(help: "Continue a run: its folder (latest complete checkpoint) or one checkpoint folder.")
  var resume: String?

  @Option(name: [.long, .customLong("runs_dir")], help: "Where run folders go: <runs_dir>/pretrain/<network>/<id>.")
  var runsDir = "runs"

  @Flag(help: "Plain progress lines even on a terminal.")
  var plain = false
}
