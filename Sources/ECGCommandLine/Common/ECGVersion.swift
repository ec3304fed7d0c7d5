/// The version of `ecg`, printed by `ecg --version` and `ecg version`.
public enum ECGVersion {
  /// The one place the version number is written.
  public static let current = "0.1.0"
}
