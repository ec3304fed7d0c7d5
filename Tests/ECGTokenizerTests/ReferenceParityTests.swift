import Foundation
import Testing

@testable import ECGTokenizer

/// Data-driven over every case in `<reference>/tokenizer/`: each segment's symbols must encode to exactly its
/// tokens with the case's tokenizer file, and decode back.
@Suite struct ReferenceParityTests {
  @Test func thereAreCases() {
    #expect(!Fixtures.tokenizerCases.isEmpty, "no tokenizer cases under \(Fixtures.reference.path)/tokenizer")
  }

  @Test(arguments: Fixtures.tokenizerCases)
  func segmentsEncodeExactly(caseURL: URL) throws {
    let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: caseURL)) as? [String: Any])
    let file = try #require(
      json["tokenizer_file"] as? String, "case \(caseURL.lastPathComponent) has no tokenizer_file")
    let segments = try #require(
      json["segments"] as? [[String: Any]], "case \(caseURL.lastPathComponent) has no segments")
    let tokenizerPath = caseURL.deletingLastPathComponent().appendingPathComponent(file).standardizedFileURL.path
    let tokenizer = try ECGByteTokenizer(contentsOf: tokenizerPath)
    #expect(!segments.isEmpty)
    for segment in segments {
      let symbols = try #require(segment["symbols"] as? String)
      let expected = try #require(segment["tokens"] as? [Int]).map { TokenID($0) }
      let tokens = tokenizer.encode(symbols)
      #expect(tokens == expected, "segment \(segment["index"] ?? "?") of \(caseURL.lastPathComponent)")
      #expect(try tokenizer.decode(tokens) == Array(symbols.utf8))
      #expect(tokenizer.referenceDecodedText(tokens) == symbols)
    }
    // The batch encoder gives the same answers in the same order.
    let batch = try segments.map { Array(try #require($0["symbols"] as? String).utf8) }
    #expect(tokenizer.encode(batch: batch, threads: 3) == batch.map { tokenizer.encode($0) })
  }
}
