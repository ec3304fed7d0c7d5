import Torch

/// One class's ROC curve (scikit-learn `roc_curve` with `drop_intermediate=False`): a point per distinct score,
/// highest first, from (0, 0) to (1, 1). Empty when the class has one label value only.
public struct ROCCurve: Sendable, Codable, Equatable {
  public var falsePositiveRate: [Double]
  public var truePositiveRate: [Double]

  enum CodingKeys: String, CodingKey {
    case falsePositiveRate = "fpr"
    case truePositiveRate = "tpr"
  }

  public init(scores: [Double], labels: [Bool]) {
    let positives = labels.filter { $0 }.count
    let negatives = labels.count - positives
    guard positives > 0, negatives > 0 else {
      (falsePositiveRate, truePositiveRate) = ([], [])
      return
    }
    let order = scores.indices.sorted { scores[$0] > scores[$1] }
    var (fpr, tpr) = ([0.0], [0.0])
    var (truePositives, falsePositives) = (0, 0)
    var i = 0
    while i < order.count {
      let threshold = scores[order[i]]
      while i < order.count && scores[order[i]] == threshold {
        if labels[order[i]] { truePositives += 1 } else { falsePositives += 1 }
        i += 1
      }
      fpr.append(Double(falsePositives) / Double(negatives))
      tpr.append(Double(truePositives) / Double(positives))
    }
    (falsePositiveRate, truePositiveRate) = (fpr, tpr)
  }

  /// One curve per class of scores [N, K] against 0/1 labels [N, K].
  public static func perClass(scores: Tensor, labels: Tensor) -> [ROCCurve] {
    let classes = scores.shape[1]
    let (s, y) = (scores.contiguous().doubles(), labels.contiguous().doubles())
    let rows = scores.shape[0]
    return (0..<classes).map { k in
      ROCCurve(scores: (0..<rows).map { s[$0 * classes + k] }, labels: (0..<rows).map { y[$0 * classes + k] != 0 })
    }
  }
}
