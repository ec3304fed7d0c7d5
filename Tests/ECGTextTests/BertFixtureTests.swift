import ECGCore
import ECGText
import Foundation
import Testing
import Torch
import TorchTestSupport

/// The BERT stand-ins inside the model fixtures: a `transformers.BertModel` built from a `BertConfig` dict in the
/// case's config (`config.text_model`), its weights under a prefix (`lm.` for MERL,
/// `condition_embedder.text_feature_extractor.` for DiT), and its outputs recorded as intermediates.
@Suite struct BertFixtureTests {
  /// (folder, state-dict listing, key prefix) of every network that embeds a BERT.
  static let listings = [
    "trans_continuous_dit": ("state_dict.default.text", "condition_embedder.text_feature_extractor."),
    "merl": ("state_dict.default", "lm."),
  ]

  @Test(arguments: ["trans_continuous_dit", "merl"])
  func stateDictFollowsHuggingFaceLayout(_ folder: String) throws {
    let (listing, prefix) = try #require(Self.listings[folder])
    let url = FixtureCase.referenceDirectory.appendingPathComponent("models/\(folder)/\(listing).json")
    let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
    let entries = try #require(json["state_dict"] as? [[String: Any]])
    let expected: [(String, [Int])] = entries.compactMap { entry in
      guard let name = entry["name"] as? String, name.hasPrefix(prefix), let shape = entry["shape"] as? [Int] else {
        return nil
      }
      return (String(name.dropFirst(prefix.count)), shape)
    }
    #expect(!expected.isEmpty, "\(listing) lists no \(prefix)* keys")
    let model = try BertModel(BertConfiguration(dictionary: try Self.textModelConfig(json)))
    let state = model.stateDict()
    #expect(state.names == expected.map(\.0))
    for (name, shape) in expected { #expect(state[name]?.shape == shape, "\(name)") }
  }

  /// Cases whose inputs hold a tokenised text condition and whose intermediates hold the text model's output.
  static var textCases: [String] {
    ["trans_continuous_dit", "merl"].flatMap { folder in
      fixtureNames("models/\(folder)").filter { name in
        guard !name.hasPrefix("state_dict"),
          let data = try? Data(
            contentsOf: FixtureCase.referenceDirectory.appendingPathComponent("models/\(folder)/\(name).json")),
          let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
          let inputs = json["inputs"] as? [String: Any]
        else { return false }
        // `intermediates` is a dict of shapes (DiT) or a list of names (MERL).
        let intermediates =
          (json["intermediates"] as? [String: Any]).map { Array($0.keys) } ?? json["intermediates"] as? [String] ?? []
        return inputs["condition/input_ids"] != nil
          && (intermediates.contains("text_last_hidden_state") || intermediates.contains("text_emb"))
      }.map { "\(folder)/\($0)" }
    }
  }

  @Test func textCasesExist() {
    #expect(!Self.textCases.isEmpty, "no model fixture with a text condition in \(FixtureCase.referenceDirectory.path)")
  }

  @Test(arguments: textCases)
  func standInMatchesReference(_ path: String) throws {
    let folder = "models/" + path.split(separator: "/").dropLast().joined(separator: "/")
    let fixture = try FixtureCase.load(folder, String(path.split(separator: "/").last!))
    let params = fixture.group("param")
    let prefix = try #require(
      ["lm.", "condition_embedder.text_feature_extractor."].first { p in params.names.contains { $0.hasPrefix(p) } })
    let model = try BertModel(BertConfiguration(dictionary: try Self.textModelConfig(fixture.json)))
    try model.load(bertStateDict: params.stripping(prefix: prefix))
    model.eval()
    model.freeze()
    let inputs = fixture.group("input")
    let condition = TextCondition(
      inputIDs: try #require(inputs["condition/input_ids"]),
      attentionMask: try #require(inputs["condition/attention_mask"]),
      tokenTypeIDs: try #require(inputs["condition/token_type_ids"]))
    let output = model(condition)
    #expect(!output.lastHiddenState.requiresGrad)
    let intermediates = fixture.group("intermediate")
    var compared = 0
    if let want = intermediates["text_last_hidden_state"] {
      expectFixtureClose(output.lastHiddenState, want, fixture, "text_last_hidden_state")
      compared += 1
    }
    if let want = intermediates["text_emb"] {
      expectFixtureClose(try #require(output.poolerOutput), want, fixture, "text_emb (pooler_output)")
      compared += 1
    }
    #expect(compared > 0, "\(path): nothing to compare")
  }

  /// `config.text_model` of a case, or `text_model.stand_in_config` of a state-dict listing.
  static func textModelConfig(_ json: [String: Any]) throws -> [String: Any] {
    if let config = json["config"] as? [String: Any], let text = config["text_model"] as? [String: Any] { return text }
    if let text = json["text_model"] as? [String: Any], let config = text["stand_in_config"] as? [String: Any] {
      return config
    }
    throw FixtureError(message: "no text model configuration")
  }
}
