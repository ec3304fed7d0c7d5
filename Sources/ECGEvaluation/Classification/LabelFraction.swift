import ECGData

/// The label-efficient training subsets of classification.md §2.2.5: scikit-learn
/// `train_test_split(rows, train_size=r, random_state=42)`'s training part.
public enum LabelFraction {
  /// Positions (into the training rows) kept at fraction `r` ∈ (0, 1]: with n_sub = ⌊r·n⌋ and
  /// perm = NumPy `RandomState(seed).permutation(n)`, the rows perm[n − n_sub], …, perm[n − 1]; `r` = 1 keeps
  /// every row in file order (MERL trains on the whole file then).
  public static func subset(count n: Int, fraction r: Double, seed: UInt32 = 42) -> [Int] {
    precondition(r > 0 && r <= 1, "a label fraction lies in (0, 1]")
    if r == 1 { return Array(0..<n) }
    let kept = keptCount(count: n, fraction: r)
    var random = LegacyNumPyRandom(seed: seed)
    let permutation = random.permutation(n)
    return Array(permutation[(n - kept)...])
  }

  /// How many of `n` training rows fraction `r` keeps: ⌊r·n⌋, or n at r = 1. scikit-learn refuses a fraction
  /// that keeps none ("the resulting train set will be empty"); so does `ClassificationEvaluation`.
  public static func keptCount(count n: Int, fraction r: Double) -> Int {
    r == 1 ? n : Int((r * Double(n)).rounded(.down))
  }

  /// Fractions as `--label_fraction` takes them: one comma-separated word (`0.1,1`), shortest digits.
  public static func flagValue(_ fractions: [Double]) -> String {
    fractions.map { $0 == $0.rounded() ? String(Int($0)) : "\($0)" }.joined(separator: ",")
  }
}
