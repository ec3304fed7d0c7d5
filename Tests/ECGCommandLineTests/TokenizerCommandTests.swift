import ArgumentParser
import ECGTokenizer
import Foundation
import TestSupport
import Testing

@testable import ECGCommandLine

/// The `ecg tokenizer` commands, run in-process on temporary files.
@Suite struct TokenizerCommandTests {
  static let referenceTokenizer = SharedFixtures.referenceTokenizerPath

  private func run(_ arguments: [String]) throws {
    var command = try TokenizerCommand.parseAsRoot(arguments)
    try command.run()
  }

  private func errorMessage(_ arguments: [String]) -> String? {
    do {
      try run(arguments)
      return nil
    } catch {
      return "\(error)"
    }
  }

  private func temporaryFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("ecg-tokenizer-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  @Test func convertWritesAnEquivalentJSONTokenizer() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let out = folder.appendingPathComponent("reference.json").path
    try run(["convert", Self.referenceTokenizer, out])
    let converted = try ECGByteTokenizer(contentsOf: out)
    let reference = try ECGByteTokenizer(contentsOf: Self.referenceTokenizer)
    #expect(converted.merges == reference.merges)
  }

  @Test func trainCheckpointsAndResumes() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let data = folder.appendingPathComponent("symbols.txt").path
    let lines = (0..<20).map { (index: Int) -> String in
      let bytes = (0..<300).map { (position: Int) -> UInt8 in UInt8(97 + (position / (1 + index % 4)) % 5) }
      return String(decoding: bytes, as: UTF8.self)
    }
    try Data(lines.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: data))
    let full = folder.appendingPathComponent("full.json").path
    let resumed = folder.appendingPathComponent("resumed.json").path
    try run(["train", "--data", data, "--merges", "40", "--out", full, "--threads", "2"])
    try run(["train", "--data", data, "--merges", "15", "--out", resumed])
    try run(["train", "--data", data, "--merges", "40", "--out", resumed, "--resume", "--checkpoint-every", "5"])
    #expect(try ECGByteTokenizer(contentsOf: resumed).merges == ECGByteTokenizer(contentsOf: full).merges)
    let text = try String(contentsOfFile: full, encoding: .utf8)
    #expect(text.contains("\"complete\": true") && text.contains("\"compression_ratio\""))
  }

  @Test func badInputNamesTheLineOrID() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let symbols = folder.appendingPathComponent("in.txt").path
    try Data("abc\nab1c\n".utf8).write(to: URL(fileURLWithPath: symbols))
    #expect(
      errorMessage(["encode", "--tokenizer", Self.referenceTokenizer, "--input", symbols])?
        .contains("line 2, column 3: '1' is not an ECG symbol") == true)
    let ids = folder.appendingPathComponent("ids.txt").path
    try Data("97 98\n97 20000\n".utf8).write(to: URL(fileURLWithPath: ids))
    #expect(
      errorMessage(["decode", "--tokenizer", Self.referenceTokenizer, "--input", ids])?
        .contains("line 2: token id 20000 at position 1 is out of range") == true)
    try Data("97 x\n".utf8).write(to: URL(fileURLWithPath: ids))
    #expect(
      errorMessage(["decode", "--tokenizer", Self.referenceTokenizer, "--input", ids])?
        .contains("line 1: 'x' is not a token id") == true)
    #expect(errorMessage(["inspect", symbols])?.contains("not a tokenizer file") == true)
    #expect(errorMessage(["encode", "--tokenizer", Self.referenceTokenizer, "--from-store", folder.path]) != nil)
  }
}
