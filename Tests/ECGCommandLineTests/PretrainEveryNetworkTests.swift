import ECGCore
import ECGData
import ECGText
import ECGTraining
import Foundation
import TestSupport
import Testing
import Torch

@testable import ECGCommandLine

/// Every network `ecg pretrain` builds, at a tiny size on a synthetic store (windows of 2500 samples cut to
/// `--segment_len 32`), through the real loader and trainer: finite losses in float32 and under
/// `--bfloat_16`, and a loss that falls when one batch is trained on again and again. In the serialized
/// suite, since the command tests set `PretrainNetworks.factory`.
extension PretrainCommandTests {
  static let tinySize = [
    "--preset", "tiny", "--d_model", "32", "--n_heads", "4", "--dim_ff", "64", "--num_layers", "1",
    "--segment_len", "32", "--batch_size", "4", "--device", "cpu", "--warmup", "0", "--lr", "3e-3",
  ]

  /// The flags that pick each network (and what it needs beside the store).
  static func networkFlags(_ name: String) -> [String] {
    let decoder = [
      "--neural_network", "trans_discrete_decoder", "--bpe_tokenizer_path", SharedFixtures.referenceTokenizerPath,
      "--bpe_symbolic_len", "64",
    ]
    switch name {
    case "dit_rectified_flow": return ["--neural_network", "trans_continuous_dit", "--objective", "rectified_flow"]
    case "dit_ddpm": return ["--neural_network", "trans_continuous_dit", "--objective", "ddpm"]
    case "decoder": return decoder
    // The signal head's position table has --segment_len rows, shorter than the store's windows.
    case "decoder_signal_head": return decoder + ["--signal_head", "--signal_head_layers", "1"]
    case "mae_vit": return ["--neural_network", "mae_vit", "--patch_dim", "32"]
    case "merl":
      return [
        "--neural_network", "merl", "--text_feature_extractor", TextModelFolder.defaultURL.path,
        "--condition_text_max_len", "16",
      ]
    default: return ["--neural_network", name]
    }
  }

  static let networkCases = [
    "dit_rectified_flow", "dit_ddpm", "trans_continuous_nepa", "decoder", "decoder_signal_head", "mae_vit", "mtae",
    "st_mem", "mlae", "merl",
  ]

  @Test(arguments: networkCases)
  func everyNetworkTrainsFiniteInFloat32AndBFloat16AndOverfitsOneBatch(_ name: String) throws {
    if name == "merl" {
      try #require(
        FileManager.default.fileExists(atPath: TextModelFolder.defaultURL.appendingPathComponent("config.json").path),
        "MERL needs the text model: run `make setup`")
    }
    let folder = try SharedFixtures.temporaryDirectory(prefix: "pretrain-every-\(name)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let store = try Self.store(in: folder)
    let settings = try PretrainCommand.parse(["--data", store] + Self.networkFlags(name) + Self.tinySize)
      .resolvedSettings()
    let loader = try settings.makeLoader()
    let firstBatch = try #require(Array(LoaderBatches(loader).batches(epoch: 0, startingAt: 0).prefix(1)).first)

    for bfloat16 in [false, true] {
      var configuration = settings.training
      configuration.epochs = 1
      configuration.maxSteps = 2
      configuration.logEvery = 1
      configuration.bfloat16 = bfloat16
      let losses = try Self.train(settings, configuration, batches: LoaderBatches(loader))
      #expect(losses.count == 2 && losses.allSatisfy(\.isFinite), "\(name), bf16 \(bfloat16): \(losses)")
    }

    var overfit = settings.training
    overfit.epochs = 20
    overfit.patience = 1000
    overfit.logEvery = 1
    let losses = try Self.train(settings, overfit, batches: RepeatedBatch(batch: firstBatch))
    // Five-step means: the diffusion objectives draw fresh noise and times every step, so single losses jitter;
    // parallel suites share libtorch's generator, so the draws are not the same from run to run.
    let first = losses.prefix(5).reduce(0, +) / 5
    let last = losses.suffix(5).reduce(0, +) / 5
    #expect(losses.count == 20 && last < 0.9 * first, "\(name): one batch 20 times, losses \(losses)")
  }

  /// Trains a fresh network (seed 0) with `configuration`; the per-step losses.
  static func train(
    _ settings: PretrainSettings, _ configuration: TrainingConfiguration, batches: any TrainingBatches
  ) throws -> [Double] {
    Torch.manualSeed(0)
    let network = try PretrainNetworks.make(settings)
    let optimizer = ReferenceOptimizer(
      settings.optimizerConfiguration(batchesPerEpoch: batches.batchesPerEpoch),
      parameters: network.module.namedParameters())
    let trainer = try Trainer(network: network, optimizer: optimizer, batches: batches, configuration: configuration)
    var losses: [Double] = []
    try trainer.run(progress: { if case .metrics(let record) = $0 { losses.append(record.loss) } })
    return losses
  }
}

/// One batch, served as a one-batch epoch every epoch.
private struct RepeatedBatch: TrainingBatches {
  let batch: ModelInput
  var batchesPerEpoch: Int { 1 }
  func batches(epoch: Int, startingAt start: Int) -> AnySequence<ModelInput> { AnySequence([batch][start...]) }
}
