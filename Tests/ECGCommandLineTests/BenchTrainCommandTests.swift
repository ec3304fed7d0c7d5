import Testing
import Torch

@testable import ECGCommandLine

/// `ecg bench train` runs every registered network at the tiny preset (its figures are printed, never asserted).
@Suite struct BenchTrainCommandTests {
  @Test(arguments: TrainBenchModel.all.map(\.name))
  func runsOneStep(_ model: String) throws {
    try BenchTrainCommand.parse(["--model", model, "--preset", "tiny", "--batch", "1", "--steps", "1", "--warmup", "0"])
      .run()
  }

  @Test(arguments: Adam.Implementation.allCases)
  func runsWithEachAdamImplementation(_ implementation: Adam.Implementation) throws {
    try BenchTrainCommand.parse([
      "--model", "dit_rf", "--preset", "tiny", "--batch", "1", "--steps", "1", "--warmup", "0", "--optimizer-impl",
      implementation.rawValue,
    ]).run()
  }

  @Test func validates() {
    #expect(throws: (any Error).self) { try BenchTrainCommand.parse(["--model", "resnet"]) }
    #expect(throws: (any Error).self) { try BenchTrainCommand.parse(["--model", "nepa", "--preset", "huge"]) }
    #expect(throws: (any Error).self) { try BenchTrainCommand.parse(["--model", "nepa", "--steps", "0"]) }
    #expect(throws: (any Error).self) { try BenchTrainCommand.parse(["--model", "nepa", "--device", "tpu"]) }
    #expect(throws: (any Error).self) { try BenchTrainCommand.parse(["--model", "nepa", "--trainer", "--repeats", "0"]) }
    #expect(throws: (any Error).self) { try BenchTrainCommand.parse(["--model", "nepa", "--optimizer-impl", "sgd"]) }
    #expect(throws: (any Error).self) {
      try BenchTrainCommand.parse(["--model", "nepa", "--trainer", "--optimizer-impl", "fused"])
    }
  }
}

/// In the serialized suite of the pretraining tests, which set `PretrainNetworks.factory`: `--trainer` builds its
/// network through it.
extension PretrainCommandTests {
  /// Whole trainer steps of a real network through the loader, the loop and the logs (figures printed only).
  @Test func benchTrainTimesWholeTrainerSteps() throws {
    try BenchTrainCommand.parse([
      "--model", "nepa", "--preset", "tiny", "--batch", "2", "--steps", "2", "--repeats", "1", "--loader-workers", "0",
      "--trainer",
    ]).run()
  }
}
