import ECGCore
import ECGData
import ECGModels
import Foundation
import Torch

/// MERL's zero-shot scores on the test split (classification.md §4).
public struct ZeroShotResult: Sendable, Codable, Equatable {
  /// AUROC, AUPRC and F1 (cosine > 0) of the cosine similarities.
  public var test: ClassificationScores
  /// MERL's `F1-max` (threshold per class chosen on the test set: `merl_compat` only).
  public var merlCompatF1Max: Double
  /// The prompt of every class, in class order.
  public var prompts: [String]
  public var testROC: [ROCCurve]
  public var merlPublished: PublishedNumber?

  enum CodingKeys: String, CodingKey {
    case test, merlCompatF1Max = "merl_compat_f1_max", prompts, testROC = "test_roc"
    case merlPublished = "merl_published_auroc_percent"
  }

  public init(
    test: ClassificationScores, merlCompatF1Max: Double, prompts: [String], testROC: [ROCCurve],
    merlPublished: PublishedNumber?
  ) {
    self.test = test
    self.merlCompatF1Max = merlCompatF1Max
    self.prompts = prompts
    self.testROC = testROC
    self.merlPublished = merlPublished
  }
}

/// The class prompts of MERL's `CKEPE_prompt.json`, looked up by MERL's class names.
public func zeroShotPrompts(classes: [String], promptFile: URL) throws -> [String] {
  guard let data = FileManager.default.contents(atPath: promptFile.path),
    let prompts = try? JSONSerialization.jsonObject(with: data) as? [String: String]
  else {
    throw ClassificationError(
      "cannot read MERL's class prompts at \(promptFile.path) (a JSON object of class name → prompt); pass "
        + "--labels_dir with merl_splits/CKEPE_prompt.json")
  }
  return try classes.map { name in
    guard let prompt = prompts[merlClassName(name)] ?? prompts[name] else {
      throw ClassificationError("\(promptFile.path) has no prompt for class \(merlClassName(name))")
    }
    return prompt
  }
}

/// Zero-shot classification with MERL: class embedding = `proj_t`(pooled text of the lower-cased prompt),
/// ECG embedding = the attention-pooled `proj_ecg`, both L2-normalised; score = cosine similarity (no softmax).
/// Prompts are tokenised to `textMaxLength` tokens, or to the text model's position count when that is smaller.
public func zeroShot(
  _ merl: Merl, prompts: [String], tokenizer: any TextTokenizing, textMaxLength: Int = 256, test: ClassificationSplit,
  store: DatasetStore, preparation: WindowPreparation, batchSize: Int = 64, device: Device = .cpu,
  labelSet: ClassificationLabelSet
) throws -> ZeroShotResult {
  guard let lm = merl.lm else {
    throw ClassificationError("this MERL has no text model; zero-shot needs the checkpoint's text encoder")
  }
  merl.eval()
  lm.eval()
  let scores = withNoGrad { () -> Tensor in
    // A text model with fewer positions reads the prompts cut to its length (the pooled [CLS] output ignores
    // padding, so a shorter pad changes nothing else).
    let length = min(textMaxLength, lm.maxTokens ?? textMaxLength)
    let text = TextCondition(stacking: prompts.map { tokenizer.encode($0.lowercased(), maxLength: length) })
    let classEmbedding = Functional.normalize(merl.projT(lm.pooledOutput(text.to(device))), dim: -1)  // [K, d]
    let parts = stride(from: 0, to: test.count, by: batchSize).map { start in
      let indices = Array(test.windows[start..<min(start + batchSize, test.count)])
      let signal = preparation.batch(store, indices: indices).to(device: device)
      let ecg = Functional.normalize(merl.encodeECG(signal).projECG, dim: -1)  // [B, d]
      return ecg.matmul(classEmbedding.transposed(0, 1)).to(dtype: .float32).to(device: .cpu)
    }
    return Tensor.cat(parts, dim: 0)
  }
  let labels = test.labelTensor
  return ZeroShotResult(
    test: ClassificationScores(scores: scores, labels: labels),
    merlCompatF1Max: f1MaxMacro(scores: scores, labels: labels),
    prompts: prompts, testROC: ROCCurve.perClass(scores: scores, labels: labels),
    merlPublished: MERLPublishedNumbers.merl(labelSet, fraction: nil))
}

/// MERL's `F1-max`: per class the largest 2PR/(P+R) over the precision–recall thresholds (0 where P+R = 0),
/// averaged over classes.
public func f1MaxMacro(scores: Tensor, labels: Tensor) -> Double {
  let (rows, classes) = (scores.shape[0], scores.shape[1])
  let (s, y) = (scores.contiguous().doubles(), labels.contiguous().doubles())
  var total = 0.0
  for k in 0..<classes {
    let column = (0..<rows).map { (score: s[$0 * classes + k], positive: y[$0 * classes + k] != 0) }
    let positives = column.filter(\.positive).count
    let order = column.sorted { $0.score > $1.score }
    var (truePositives, taken, best, i) = (0, 0, 0.0, 0)
    while i < order.count, positives > 0 {
      let threshold = order[i].score
      // `repeat` takes at least one score, so a NaN (equal to nothing) cannot stall the loop.
      repeat {
        if order[i].positive { truePositives += 1 }
        taken += 1
        i += 1
      } while i < order.count && order[i].score == threshold
      let precision = Double(truePositives) / Double(taken)
      let recall = Double(truePositives) / Double(positives)
      if precision + recall > 0 { best = max(best, 2 * precision * recall / (precision + recall)) }
    }
    total += best
  }
  return total / Double(classes)
}
