import ArgumentParser
import Foundation
import TestSupport
import Testing

@testable import ECGCommandLine

/// Regressions of `/work/shared/reviews/cli-trial-1.md` about consistency: flag names, bounds, help, progress, README.
@Suite struct CLITrialConsistencyTests {
  @Test("finding 24: one flag name per concept, the same bounds and messages everywhere; old spellings still work")
  func flagsAndBounds() throws {
    let preprocess = try PreprocessCommand.parse(["--source", "wfdb", "--input", "i", "--out", "o", "--workers", "3"])
    #expect(preprocess.threads.count == 3)
    #expect(
      try PreprocessCommand.parse(["--source", "wfdb", "--input", "i", "--out", "o", "--threads", "2"]).threads.count
        == 2)
    #expect(try BenchTokenizerCommand.parse(["--repeat", "2"]).oldRepeat == 2)
    #expect(try BenchTokenizerCommand.parse(["--repeats", "2"]).repeats == 2)
    let commands: [(any ParsableCommand.Type, [String])] = [
      (PreprocessCommand.self, ["--source", "wfdb", "--input", "i", "--out", "o"]),
      (DataSynthCommand.self, ["--count", "3", "--out", "o"]),
      (DataImportCommand.self, ["--reference-dir", "r", "--name", "ptb_xl", "--out", "o"]),
    ]
    for (command, base) in commands {
      for (flag, message) in [
        (["--seed=-1"], "--seed must be 0 or more"), (["--threads", "0"], "--threads must be 1 or more"),
        (["--threads", "100000"], "--threads 100000 is more than 1024"),
      ] {
        #expect {
          _ = try command.parse(base + flag)
        } throws: { error in
          command.message(for: error).contains(message)
        }
      }
    }
    // Negative numbers need no `=` form: the bound's message, not "Missing value".
    #expect {
      _ = try DataInfoCommand.parse(["s", "--top", "-1"])
    } throws: { error in
      DataInfoCommand.message(for: error).contains("--top must be 0 or more")
    }
    #expect {
      _ = try DataSynthCommand.parse(["--count", "3", "--out", "o", "--seed", "-3"])
    } throws: { error in
      DataSynthCommand.message(for: error).contains("--seed must be 0 or more")
    }
    #expect(throws: (any Error).self) { try TokenizerInspectCommand.parse(["t.json", "--sample", "0"]) }
    #expect(throws: (any Error).self) { try TokenizerInspectCommand.parse(["t.json", "--threads", "0"]) }
    #expect(throws: (any Error).self) { try BenchOpsCommand.parse(["--threads", "0"]) }
    #expect(!PreprocessCommand.helpMessage().contains("--workers"))
  }

  @Test("finding 25: help without doubled defaults, the data overview lists synth, ecg --version works")
  func helpTexts() {
    #expect(!PreprocessCommand.helpMessage().contains("(default: the number of cores). (default:"))
    #expect(DataCommand.helpMessage().contains("synth"))
    let importHelp = DataImportCommand.helpMessage().split(whereSeparator: \.isWhitespace).joined(separator: " ")
    #expect(importHelp.contains("official (the same as patient"))
    #expect {
      _ = try ECGCommand.parseAsRoot(["--version"])
    } throws: { error in
      ECGCommand.message(for: error) == ECGVersion.current
    }
  }

  @Test("finding 26: one progress format with rate and m:ss ETA; resumed work is not counted as new")
  func progressFormat() {
    #expect(
      ProgressLine.text(done: 300, total: 1000, resumed: 0, elapsed: 2, unit: "records")
        == "300/1000 records  150 records/s  ETA 0:05")
    #expect(
      ProgressLine.text(done: 600, total: 1000, resumed: 500, elapsed: 4, unit: "merges")
        == "600/1000 merges  25.0 merges/s  ETA 0:16  (500 kept from an earlier run)")
    #expect(ProgressLine.duration(3725) == "1:02:05")
  }

  @Test("finding 28: the README starts with a command-line quick start")
  func readmeQuickStart() throws {
    let readme = try String(
      contentsOf: SharedFixtures.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
    let quickStart = try #require(readme.range(of: "## Command line in five minutes"))
    let firstSwift = readme.range(of: "```swift")?.lowerBound ?? readme.endIndex
    #expect(quickStart.lowerBound < firstSwift)
    #expect(readme.contains("ecg --version"))
  }
}
