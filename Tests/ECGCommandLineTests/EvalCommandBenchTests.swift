import ArgumentParser
import Testing

@testable import ECGCommandLine

/// `ecg bench eval` runs every task at a tiny size (its figures are printed, never asserted).
struct EvalCommandBenchTests {
  @Test func timesEveryTaskAtEachBatchSize() throws {
    try BenchEvalCommand.parse([
      "--preset", "tiny", "--segment-len", "40", "--windows", "3", "--batch-sizes", "1", "2", "--sample-steps", "1",
      "--threads", "1",
    ]).run()
  }

  @Test func rejectsWhatCannotBeMeasured() {
    #expect(throws: (any Error).self) { try BenchEvalCommand.parse(["--preset", "huge"]) }
    #expect(throws: (any Error).self) { try BenchEvalCommand.parse(["--windows", "1"]) }
    #expect(throws: (any Error).self) { try BenchEvalCommand.parse(["--batch-sizes", "0"]) }
    #expect {
      try BenchEvalCommand.parse(["--segment-len", "0"])
    } throws: { error in
      BenchEvalCommand.message(for: error).contains("--segment-len 1 or more")
    }
    #expect(throws: (any Error).self) { try BenchEvalCommand.parse(["--tasks", "classification"]) }
  }
}
