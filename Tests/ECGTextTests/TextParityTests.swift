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
