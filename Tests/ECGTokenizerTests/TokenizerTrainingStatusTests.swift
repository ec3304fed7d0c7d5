import Foundation
import Testing

@testable import ECGTokenizer

/// Audit 3, D3: a tokenizer whose training did not finish is never read as a finished one.
@Suite struct TokenizerTrainingStatusTests {
  static let tokens = try! ECGByteTokenizer(merges: [.init(id: 256, spelling: Array("ab".utf8), pair: (97, 98))])

  @Test func unfinishedFilesAreRefusedWithTheCommandThatFinishesThem() throws {
    let folder = try Fixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let partial = folder.appendingPathComponent("t.json.partial").path
    try Self.tokens.writeJSON(
      to: partial,
      metadata: [("complete", "false"), ("merges_requested", "40"), ("sample", "3"), ("data", "\"/data/store\"")])
    #expect {
      try ECGByteTokenizer(contentsOf: partial)
    } throws: { error in
      (error as? TokenizerError)?.message
        == "'\(partial)' is an unfinished tokenizer (1 of 40 merges trained); finish it with "
        + "`ecg tokenizer train --data /data/store --merges 40 --sample 3 --out \(folder.path)/t.json --resume`, "
        + "then use \(folder.path)/t.json"
    }
    #expect(try ECGByteTokenizer(contentsOf: partial, acceptingUnfinished: true).merges == Self.tokens.merges)
    let status = try #require(TokenizerTrainingStatus(json: Data(contentsOf: URL(fileURLWithPath: partial))))
    #expect(status == TokenizerTrainingStatus(complete: false, mergesRequested: 40, data: "/data/store", sample: 3))
  }

  @Test func filesWithoutATrainingRecordOrMarkedCompleteAreFinished() throws {
    let folder = try Fixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("t.json").path
    try Self.tokens.writeJSON(to: path)
    #expect(TokenizerTrainingStatus(json: Data(Self.tokens.jsonText().utf8)) == nil)
    #expect(try ECGByteTokenizer(contentsOf: path).merges.count == 1)
    try Self.tokens.writeJSON(to: path, metadata: [("complete", "true"), ("merges_requested", "1")])
    #expect(try ECGByteTokenizer(contentsOf: path).merges.count == 1)
    // An older unfinished file, without the data path: the hint names DATA and keeps the file's own name.
    try Self.tokens.writeJSON(to: path, metadata: [("complete", "false"), ("merges_requested", "9")])
    #expect {
      try ECGByteTokenizer(contentsOf: path)
    } throws: { error in
      let message = (error as? TokenizerError)?.message ?? ""
      return message.contains("--data DATA --merges 9 --out \(path) --resume` (DATA: the data it was trained on)")
    }
  }
}
