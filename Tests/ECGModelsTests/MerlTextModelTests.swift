import ECGCore
import ECGModels
import ECGText
import Foundation
import Testing
import Torch

/// MERL with a real Hugging Face BERT folder (all-MiniLM-L6-v2 from `make setup`, or `ECG_TEXT_MODEL`): the text
/// projection takes the model's width, the model stays frozen and in eval mode while MERL trains, and a training
/// step changes MERL's weights but not the text model's.
@Suite struct MerlTextModelTests {
  @Test func trainsWithAnyBertFolder() throws {
    let url = TextModelFolder.defaultURL
    guard FileManager.default.fileExists(atPath: url.appendingPathComponent("config.json").path) else {
      Issue.record("no text model at \(url.path): run `make setup`, or set ECG_TEXT_MODEL to a BERT folder")
      return
    }
    let folder = try TextModelFolder(url)
    let text = try folder.loadModel()
    var config = MerlConfig(segmentLength: 500)
    (config.resnetType, config.resnetWidths, config.inChannels) = ("resnet18", [4, 8, 8, 16], 16)
    (config.projHidden, config.projOut) = (16, 16)
    let model = try Merl(config: config, textModel: text)
    #expect(model.projT.layers.first.map { ($0 as! Linear).weight.size(1) } == folder.configuration.hiddenSize)
    #expect(model.trainableParameters().allSatisfy { !$0.name.hasPrefix("lm.") })
    #expect(model.stateDict().names.contains("lm.embeddings.word_embeddings.weight"))

    let reports = ["sinus rhythm. normal ecg.", "atrial fibrillation with rapid ventricular response"]
    let tokens = try folder.loadTokenizer().encode(reports, maxLength: 32)
    let batch = SignalBatch(
      signal: Tensor.linspace(-1, 1, steps: 2 * 12 * 500).reshape(2, 12, 500).sin(), condition: .text(tokens))
    let textBefore = text.stateDict().entries.map { $0.tensor.clone() }
    let ecgBefore = model.linear1.weight.clone()
    model.train()
    let optimizer = Adam.adamW(model.trainableParameters(), learningRate: 1e-2)
    let out = model(batch)
    #expect(out.textEmb.shape == [2, folder.configuration.hiddenSize])
    #expect(out.loss.item().isFinite)
    #expect(text.isTraining == false)
    out.loss.backward()
    optimizer.step()
    #expect(!model.linear1.weight.allClose(ecgBefore))
    #expect(zip(text.stateDict().entries, textBefore).allSatisfy { $0.tensor.allClose($1, rtol: 0, atol: 0) })
  }

  /// The builder loads MERL's text model from the `--text_feature_extractor` folder and refuses a missing folder.
  @Test func builderLoadsTheTextFolder() throws {
    let url = TextModelFolder.defaultURL
    guard FileManager.default.fileExists(atPath: url.appendingPathComponent("config.json").path) else {
      Issue.record("no text model at \(url.path): run `make setup`, or set ECG_TEXT_MODEL to a BERT folder")
      return
    }
    var flags = BuilderFlags(neuralNetwork: "merl", objective: "merl")
    flags.segmentLen = 500
    flags.textFeatureExtractor = url.path
    let merl = try #require(try NetworkBuilder.build(flags).network as? Merl)
    let width = try TextModelFolder(url).configuration.hiddenSize
    #expect(merl.lm != nil && merl.config.textHiddenSize == width)
    flags.textFeatureExtractor = "/nonexistent/MedCPT-Query-Encoder"
    #expect(throws: ModelConfigurationError.self) { try NetworkBuilder.build(flags) }
  }
}
