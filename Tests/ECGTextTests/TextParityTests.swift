import ECGCore
import ECGText
import Foundation
import Testing
import Torch
import TorchTestSupport

/// Every case under `$ECG_REFERENCE_DIR/text/`: the case's texts through the model folder's tokenizer give exactly
/// `input/*`, and the model on `input/*` gives `output/*` within the tolerance.
@Suite struct TextParityTests {
  @Test func fixtureFolderHasCases() {
    #expect(!fixtureNames("text").isEmpty, "no text fixtures in \(FixtureCase.referenceDirectory.path)/text")
  }

  @Test(arguments: fixtureNames("text"))
  func tokenizerMatchesReference(_ name: String) throws {
    let fixture = try FixtureCase.load("text", name)
    let folder = try TextModelLocation.folder()
    let tokenizer = try folder.loadTokenizer()
    let texts = try #require(fixture.json["texts"] as? [String], "\(name): no texts")
    let settings = try #require(fixture.json["tokenizer"] as? [String: Any], "\(name): no tokenizer settings")
    #expect(settings["padding"] as? String == "max_length", "\(name): only padding=max_length is defined")
    #expect(settings["truncation"] as? Bool == true, "\(name): only truncation=True is defined")
    let maxLength = try #require(settings["max_length"] as? Int)
    if let lowercase = settings["lowercase"] as? Bool { #expect(tokenizer.normalizer?.lowercase == lowercase) }
    if let strip = settings["strip_accents"] as? Bool { #expect(tokenizer.normalizer?.stripsAccents == strip) }

    let encoded = tokenizer.encode(texts, maxLength: maxLength)
    let inputs = fixture.group("input")
    for (key, got) in [
      ("input_ids", encoded.inputIDs), ("attention_mask", encoded.attentionMask),
      ("token_type_ids", encoded.tokenTypeIDs),
    ] {
      let want = try #require(inputs[key], "\(name): no input/\(key)")
      #expect(got.shape == want.shape, "\(name) \(key)")
      let (g, w) = (got.ints(), want.ints())
      if let i = w.indices.first(where: { g.indices.contains($0) && g[$0] != w[$0] }) {
        Issue.record(
          "\(name) \(key): first difference in text \(i / maxLength) at \(i % maxLength): got \(g[i]), want \(w[i])")
      }
    }
    if let expectedTokens = fixture.json["tokens"] as? [[String]] {
      for (text, want) in zip(texts, expectedTokens) {
        #expect(tokenizer.tokens(text, maxLength: maxLength) == want, "\(name): \(text)")
      }
    }
  }

  @Test(arguments: fixtureNames("text"))
  func modelMatchesReference(_ name: String) throws {
    let fixture = try FixtureCase.load("text", name)
    let model = try TextModelLocation.folder().loadModel()
    let inputs = fixture.group("input")
    let condition = TextCondition(
      inputIDs: try #require(inputs["input_ids"]), attentionMask: try #require(inputs["attention_mask"]),
      tokenTypeIDs: try #require(inputs["token_type_ids"]))
    let output = model(condition)
    let expected = fixture.group("output")
    let known: Set<String> = ["last_hidden_state", "pooler_output", "mean_pooled", "mean_pooled_normalized"]
    #expect(
      Set(expected.names).isSubset(of: known), "\(name): unknown outputs \(Set(expected.names).subtracting(known))")
    for (key, want) in expected {
      let got: Tensor? =
        switch key {
        case "last_hidden_state": output.lastHiddenState
        case "pooler_output": output.poolerOutput
        case "mean_pooled": output.meanPooled()
        case "mean_pooled_normalized": output.meanPooled(normalized: true)
        default: nil
        }
      guard let got else {
        Issue.record("\(name): the model gives no \(key)")
        continue
      }
      expectFixtureClose(got, want, fixture, "output/\(key)")
    }
  }
}
