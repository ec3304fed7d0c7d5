import ArgumentParser
import Testing

@testable import ECGCommandLine

@Suite struct TokenizerBenchCommandTests {
  /// A tiny run of `ecg bench tokenizer` (numbers are not checked: performance is measured, not asserted).
  @Test func smallBenchRuns() throws {
    let command = try BenchTokenizerCommand.parse([
      "--batch", "2", "--corpus-windows", "1", "--merges", "5", "--repeat", "1",
    ])
    try command.run()
    #expect(throws: (any Error).self) { try BenchTokenizerCommand.parse(["--batch", "0"]) }
  }
}
