import Testing

@testable import ECGCommandLine

/// `ecg bench train` runs every registered network at the tiny preset (its figures are printed, never asserted).
@Suite struct BenchTrainCommandTests {
  @Test(arguments: TrainBenchModel.all.map(\.name))
  func runsOneStep(_ model: String) throws {
    try BenchTrainCommand.parse(["--model", model, "--preset", "tiny", "--batch", "1", "--steps", "1", "--warmup", "0"])
      .run()
  }

  @Test func validates() {
    #expect(throws: (any Error).self) { try BenchTrainCommand.parse(["--model", "resnet"]) }
    #expect(throws: (any Error).self) { try BenchTrainCommand.parse(["--model", "nepa", "--preset", "huge"]) }
    #expect(throws: (any Error).self) { try BenchTrainCommand.parse(["--model", "nepa", "--steps", "0"]) }
    #expect(throws: (any Error).self) { try BenchTrainCommand.parse(["--model", "nepa", "--device", "tpu"]) }
  }
}
