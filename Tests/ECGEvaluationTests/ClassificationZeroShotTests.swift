import ECGData
import ECGEvaluation
import ECGModels
import ECGText
import Foundation
import TestSupport
import Testing
import Torch

/// MERL's zero-shot path (classification.md §4) on a tiny MERL with the real text model folder of `make setup`.
@Suite struct ClassificationZeroShotTests {
  static let labels = SharedFixtures.dataDirectory.appendingPathComponent("labels")

  @Test func promptsAreMERLsByClassName() throws {
    let file = Self.labels.appendingPathComponent("merl_splits/CKEPE_prompt.json")
    let prompts = try zeroShotPrompts(classes: ["CD", "HYP", "MI", "NORM", "STTC"], promptFile: file)
    #expect(prompts[3].hasPrefix("normal ECG, normal electrocardiogram, Sinus rhythm"))
    #expect(prompts[2].hasPrefix("myocardial infarction, anterior myocardial infarction"))
    // PTB-XL's underscored codes are looked up under MERL's names.
    #expect(try zeroShotPrompts(classes: ["NST_", "_AVB"], promptFile: file).count == 2)
    let error = #expect(throws: ClassificationError.self) {
      _ = try zeroShotPrompts(classes: ["NOT_A_CLASS"], promptFile: file)
    }
    #expect(error?.message.contains("no prompt for class NOTACLASS") == true)
  }

  @Test func cosineScoresOfATinyMERLAreDeterministicAndScored() throws {
    let url = TextModelFolder.defaultURL
    guard FileManager.default.fileExists(atPath: url.appendingPathComponent("config.json").path) else {
      Issue.record("no text model at \(url.path): run `make setup`, or set ECG_TEXT_MODEL to a BERT folder")
      return
    }
    let folder = try TextModelFolder(url)
    var config = MerlConfig(segmentLength: 500)
    (config.resnetType, config.resnetWidths, config.inChannels) = ("resnet18", [4, 8, 8, 16], 16)
    (config.projHidden, config.projOut) = (16, 16)
    Torch.manualSeed(11)
    let merl = try Merl(config: config, textModel: try folder.loadModel())
    let store = ClassificationProbeTests.store
    let dataset = try ClassificationDataset(store: store, labeler: try RecordLabeler(.synthetic, labelsDirectory: nil))
    let prompts = [
      "sinus bradycardia", "sinus rhythm", "sinus tachycardia", "left axis deviation", "right axis deviation",
      "low QRS voltage in limb leads", "wide QRS",
    ]
    let preparation = WindowPreparation(length: 500, normalization: .instanceMinMax)
    func run(textMaxLength: Int = 32) throws -> ZeroShotResult {
      try zeroShot(
        merl, prompts: prompts, tokenizer: try folder.loadTokenizer(), textMaxLength: textMaxLength,
        test: dataset.test, store: store, preparation: preparation, batchSize: 16, labelSet: .synthetic)
    }
    let first = try run()
    #expect(first.test.aurocPerClass.count == 7)
    #expect(first.test.aurocMacro.isFinite && first.merlCompatF1Max > 0 && first.merlCompatF1Max <= 1)
    #expect(first.testROC.count == 7 && first.prompts == prompts)
    #expect(first.merlPublished == nil)
    #expect(try run() == first)
    // Longer than the text model's positions: the prompts are read at its length, and padding changes nothing.
    let beyondPositions = try run(textMaxLength: 100_000)
    #expect(abs(beyondPositions.test.aurocMacro - first.test.aurocMacro) < 1e-9)
  }
}
