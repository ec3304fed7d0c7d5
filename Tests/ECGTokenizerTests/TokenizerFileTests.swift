import Foundation
import Testing

@testable import ECGTokenizer

@Suite struct TokenizerFileTests {
  @Test func referencePickleLoadsSafely() throws {
    let tokens = try #require(referenceTokenizer, "cannot load \(Fixtures.referenceTokenizerPath)")
    #expect(tokens.merges.count == 10000)
    #expect(tokens.merges.first?.spelling == Array("mm".utf8))
    #expect(tokens.merges.last?.spelling.count == 27)
    #expect(tokens.merges.allSatisfy { $0.pair == nil })
  }

  @Test func jsonRoundTripKeepsEverything() throws {
    let original = try ECGByteTokenizer(merges: [
      .init(id: 256, spelling: Array("ab".utf8), pair: (97, 98)),
      .init(id: 257, spelling: [0, 34, 92], pair: nil),
      .init(id: 258, spelling: Array("a\"b\\".utf8)),
      .init(id: 259, spelling: Array("abab".utf8), pair: (256, 256)),
    ])
    let text = original.jsonText(metadata: [("merges_requested", "4")])
    #expect(text.contains("\"format\": \"ecg-byte-tokenizer\""))
    #expect(text.contains("{\"id\": 259, \"text\": \"abab\", \"pair\": [256, 256]}"))
    let loaded = try ECGByteTokenizer(json: Data(text.utf8))
    #expect(loaded.merges == original.merges)
  }

  @Test func convertedReferenceEncodesIdentically() throws {
    let reference = try #require(referenceTokenizer)
    let converted = try ECGByteTokenizer(json: Data(reference.jsonText().utf8))
    #expect(converted.merges == reference.merges)
    let symbols = Array(String(repeating: "ffgghhiijjkkmmmnnaazz", count: 50).utf8)
    #expect(converted.encode(symbols) == reference.encode(symbols))
  }

  @Test func filesThatAreNotTokenizersAreRejected() throws {
    let folder = try Fixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    func message(for contents: String) throws -> String {
      let path = folder.appendingPathComponent("t.json").path
      try Data(contents.utf8).write(to: URL(fileURLWithPath: path))
      do {
        _ = try ECGByteTokenizer(contentsOf: path)
        return "loaded"
      } catch let error as TokenizerError {
        return error.message
      }
    }
    #expect(try message(for: "hello").contains("not a tokenizer file"))
    #expect(
      try message(for: "{\"format\": \"other\", \"version\": 1, \"merges\": []}").contains(
        "expected 'ecg-byte-tokenizer'"))
    #expect(
      try message(for: "{\"format\": \"ecg-byte-tokenizer\", \"version\": 99, \"merges\": []}").contains(
        "version 99 is not supported"))
    #expect(
      try message(
        for: "{\"format\": \"ecg-byte-tokenizer\", \"version\": 1, \"merges\": [{\"id\": 300, \"text\": \"ab\"}]}"
      )
      .contains("expected 256"))
    #expect(
      try message(
        for:
          "{\"format\": \"ecg-byte-tokenizer\", \"version\": 1, \"merges\": [{\"id\": 256, \"text\": \"ab\", \"pair\": [97, 99]}]}"
      )
      .contains("spelled differently"))
    #expect(try message(for: "{\"format\": \"ecg-byte-tokenizer\", \"version\": 1, \"merges\": []}") == "loaded")
    #expect(throws: TokenizerError.self) {
      try ECGByteTokenizer(contentsOf: folder.appendingPathComponent("missing.json").path)
    }
  }

  @Test func maliciousPickleIsRejectedNamingItsGlobal() throws {
    let path = Fixtures.reference.appendingPathComponent("formats/malicious.pkl").path
    do {
      _ = try ECGByteTokenizer(contentsOf: path)
      Issue.record("malicious pickle loaded")
    } catch let error as TokenizerError {
      #expect(error.message.contains("'posix.system', which is not allowed"))
    }
  }
}
