import Torch

/// Multi-label classification scores as scikit-learn defines them (classification.md).
public struct ClassificationScores: Sendable, Equatable, Codable {
  /// ROC AUC per class (ties count half, as `roc_auc_score`); NaN for a class with one label value only.
  public var aurocPerClass: [Double]
  /// Mean of the per-class AUROCs over the scored classes.
  public var aurocMacro: Double
  /// Mean average precision over the scored classes (`average_precision_score`, step interpolation).
  public var auprcMacro: Double
  /// Indices of the classes with both label values in the evaluated set; the others have no AUROC and are left
  /// out of the AUROC and AUPRC means (classification.md §5). Empty means nothing could be scored.
  public var scoredClasses: [Int]
  /// Macro F1 of `score > threshold` against the labels (`zero_division=0`).
  public var f1Macro: Double

  enum CodingKeys: String, CodingKey {
    case aurocPerClass = "auroc_per_class"
    case aurocMacro = "auroc_macro"
    case auprcMacro = "auprc_macro"
    case f1Macro = "f1_macro"
    case scoredClasses = "scored_classes"
  }

  /// - Parameters: `scores` and `labels` per sample, each with one entry per class (labels 0 or 1). NaN scores
  ///   have no rank: the metrics are then meaningless (callers refuse non-finite inputs first), but they return.
  public init(scores: [[Double]], labels: [[Bool]], threshold: Double = 0) {
    precondition(scores.count == labels.count, "one label row per score row")
    let classes = scores.first?.count ?? 0
    var aurocs: [Double] = []
    var precisions: [Double] = []
    var f1s: [Double] = []
    for k in 0..<classes {
      let s = scores.map { $0[k] }
      let y = labels.map { $0[k] }
      aurocs.append(Self.rocAUC(scores: s, labels: y))
      precisions.append(Self.averagePrecision(scores: s, labels: y))
      f1s.append(Self.f1(predicted: s.map { $0 > threshold }, labels: y))
    }
    aurocPerClass = aurocs
    scoredClasses = aurocs.indices.filter { !aurocs[$0].isNaN }
    let scored = Double(scoredClasses.count)
    aurocMacro = scoredClasses.map { aurocs[$0] }.reduce(0, +) / scored
    auprcMacro = scoredClasses.map { precisions[$0] }.reduce(0, +) / scored
    f1Macro = f1s.reduce(0, +) / Double(classes)
  }

  /// Mann–Whitney form of the ROC AUC with average ranks for ties (equal to the trapezoidal ROC area).
  static func rocAUC(scores: [Double], labels: [Bool]) -> Double {
    let positives = labels.filter { $0 }.count
    let negatives = labels.count - positives
    guard positives > 0, negatives > 0 else { return .nan }
    let order = scores.indices.sorted { scores[$0] < scores[$1] }
    var rankSum = 0.0
    var start = 0
    while start < order.count {
      var end = start
      while end + 1 < order.count && scores[order[end + 1]] == scores[order[start]] { end += 1 }
      let averageRank = Double(start + end) / 2 + 1
      for i in start...end where labels[order[i]] { rankSum += averageRank }
      start = end + 1
    }
    let p = Double(positives)
    return (rankSum - p * (p + 1) / 2) / (p * Double(negatives))
  }

  /// Σ (Rₙ − Rₙ₋₁)·Pₙ over the distinct score thresholds, highest first (scikit-learn's definition); a class
  /// without positives gives 0.
  static func averagePrecision(scores: [Double], labels: [Bool]) -> Double {
    let positives = labels.filter { $0 }.count
    guard positives > 0 else { return 0 }
    let order = scores.indices.sorted { scores[$0] > scores[$1] }
    var truePositives = 0
    var taken = 0
    var previousRecall = 0.0
    var total = 0.0
    var i = 0
    while i < order.count {
      let threshold = scores[order[i]]
      // `repeat` takes at least one score, so a NaN (equal to nothing) cannot stall the loop.
      repeat {
        if labels[order[i]] { truePositives += 1 }
        taken += 1
        i += 1
      } while i < order.count && scores[order[i]] == threshold
      let recall = Double(truePositives) / Double(positives)
      let precision = Double(truePositives) / Double(taken)
      total += (recall - previousRecall) * precision
      previousRecall = recall
    }
    return total
  }

  /// 2·TP / (2·TP + FP + FN), 0 when the denominator is 0.
  static func f1(predicted: [Bool], labels: [Bool]) -> Double {
    var tp = 0
    var fp = 0
    var fn = 0
    for (p, y) in zip(predicted, labels) {
      if p && y { tp += 1 } else if p { fp += 1 } else if y { fn += 1 }
    }
    let denominator = 2 * tp + fp + fn
    return denominator == 0 ? 0 : Double(2 * tp) / Double(denominator)
  }
}

extension ClassificationScores {
  /// Scores [N, K] (logits: F1 at 0 is probability 0.5) against 0/1 labels [N, K].
  public init(scores: Tensor, labels: Tensor) {
    precondition(scores.shape.count == 2 && scores.shape == labels.shape, "scores and labels must be [N, K] each")
    let classes = scores.shape[1]
    let flatScores = scores.doubles()
    let flatLabels = labels.doubles()
    let rows = (0..<scores.shape[0]).map { Array(flatScores[($0 * classes)..<(($0 + 1) * classes)]) }
    let labelRows = (0..<scores.shape[0]).map { i in (0..<classes).map { flatLabels[i * classes + $0] != 0 } }
    self.init(scores: rows, labels: labelRows)
  }
}
