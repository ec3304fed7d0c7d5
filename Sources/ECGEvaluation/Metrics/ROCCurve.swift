import Torch

/// The receiver operating characteristic of one class: the (false positive rate, true positive rate) points at
/// every distinct score threshold, from (0, 0) to (1, 1), as scikit-learn's `roc_curve(drop_intermediate=False)`
/// gives them, and the area under it.
public struct ROCCurve: Sendable, Codable, Equatable {
  /// False positive rates, non-decreasing, starting at 0.
  public var falsePositiveRates: [Double]
  /// True positive rates, non-decreasing, starting at 0.
  public var truePositiveRates: [Double]

  enum CodingKeys: String, CodingKey {
    case falsePositiveRates = "fpr"
    case truePositiveRates = "tpr"
  }

  /// The curve of `scores` (higher = more positive) against `labels`. With no positive or no negative label the
  /// rates are undefined: the points are empty and `area` is NaN. NaN scores are not allowed.
  public init(scores: [Double], labels: [Bool]) {
    precondition(scores.count == labels.count, "one label per score")
    let positives = labels.filter { $0 }.count
    let negatives = labels.count - positives
    guard positives > 0, negatives > 0 else {
      falsePositiveRates = []
      truePositiveRates = []
      return
    }
    let order = scores.indices.sorted { scores[$0] > scores[$1] }
    var fpr: [Double] = [0]
    var tpr: [Double] = [0]
    var truePositives = 0
    var falsePositives = 0
    for (rank, index) in order.enumerated() {
      if labels[index] { truePositives += 1 } else { falsePositives += 1 }
      // Tied scores share one threshold: one point after the last of them.
      let isLastOfTie = rank == order.count - 1 || scores[order[rank + 1]] != scores[index]
      if isLastOfTie {
        fpr.append(Double(falsePositives) / Double(negatives))
        tpr.append(Double(truePositives) / Double(positives))
      }
    }
    falsePositiveRates = fpr
    truePositiveRates = tpr
  }

  /// The trapezoidal area under the curve (equal to the tie-aware AUROC); NaN when undefined.
  public var area: Double {
    guard falsePositiveRates.count > 1 else { return .nan }
    var sum = 0.0
    for i in 1..<falsePositiveRates.count {
      sum += (falsePositiveRates[i] - falsePositiveRates[i - 1]) * (truePositiveRates[i] + truePositiveRates[i - 1]) / 2
    }
    return sum
  }

  /// One curve per class of scores [N, K] against 0/1 labels [N, K].
  public static func perClass(scores: Tensor, labels: Tensor) -> [ROCCurve] {
    let (rows, classes) = (scores.shape[0], scores.shape[1])
    let (s, y) = (scores.contiguous().doubles(), labels.contiguous().doubles())
    return (0..<classes).map { k in
      ROCCurve(scores: (0..<rows).map { s[$0 * classes + k] }, labels: (0..<rows).map { y[$0 * classes + k] != 0 })
    }
  }
}
