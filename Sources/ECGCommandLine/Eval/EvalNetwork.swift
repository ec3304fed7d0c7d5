import ECGModels
import ECGTraining
import Foundation
import Torch

extension EvalContext {
  /// A fresh network of the run's settings with the checkpoint's weights (its EMA with `--ema`), on the
  /// evaluation device, in eval mode. A checkpoint of another network or other sizes is rejected with the keys
  /// that do not fit.
  func loadNetwork() throws -> any Pretrainable {
    let network = try PretrainNetworks.build(settings)
    let report: CheckpointLoadReport
    do {
      report = try PretrainNetworks.loadInitialWeights(checkpoint, into: network, settings: settings)
    } catch let error as StateDictMismatch {
      throw CommandError(mismatch(error.report))
    } catch let error as ModelConfigurationError {
      throw CommandError("\(checkpoint) does not fit \(settings.neuralNetwork.rawValue): \(error)")
    }
    // The non-strict networks report what did not fit instead of throwing.
    if !report.keys.missing.isEmpty || !report.keys.shapeMismatches.isEmpty {
      throw CommandError(mismatch(report.keys))
    }
    network.module.to(device: device)
    network.module.eval()
    return network
  }

  private func mismatch(_ keys: LoadReport) -> String {
    var parts: [String] = []
    if !keys.missing.isEmpty {
      parts.append("\(keys.missing.count) weights missing (\(keys.missing.prefix(3).joined(separator: ", "))…)")
    }
    if let first = keys.shapeMismatches.first {
      parts.append(
        "\(keys.shapeMismatches.count) of other shapes (\(first.name): checkpoint \(first.found), network "
          + "\(first.expected))")
    }
    if !keys.unexpected.isEmpty { parts.append("\(keys.unexpected.count) unexpected") }
    return "the checkpoint \(checkpoint) does not fit a \(settings.neuralNetwork.rawValue) of these settings: "
      + parts.joined(separator: ", ")
      + ". Evaluate the run folder it came from (its config.yaml sets the network), or pass the --neural_network, "
      + "--objective, --preset and size flags it was trained with"
  }
}
