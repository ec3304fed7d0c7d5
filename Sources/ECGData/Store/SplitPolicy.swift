/// How windows are assigned to train/validation/test.
public enum SplitPolicy: String, Sendable, CaseIterable, Codable {
  /// The dataset's own split where it has one (PTB-XL folds 1-8 / 9 / 10), else `patient`.
  case official
  /// Seeded, patient-disjoint 70/10/20: a patient's records all land in one split.
  case patient
  /// The reference's 70/30 split of its per-window files (scikit-learn `train_test_split` with the
  /// seed, per source); patients leak between train and test. Kept for comparisons.
  case referenceFiles = "reference-files"
}
