import Testing

@testable import ECGCommandLine

/// `ecg bench synth` runs (its figures are printed, never asserted).
@Suite struct BenchSynthCommandTests {
  @Test func runsAndValidates() throws {
    try BenchSynthCommand.parse(["--count", "8", "--repeats", "1", "--threads", "2"]).run()
    #expect(throws: (any Error).self) { try BenchSynthCommand.parse(["--count", "0"]) }
    #expect(throws: (any Error).self) { try BenchSynthCommand.parse(["--threads", "0"]) }
  }
}
