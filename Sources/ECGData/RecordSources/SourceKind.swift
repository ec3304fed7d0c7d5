/// The raw datasets `ecg preprocess` reads.
public enum SourceKind: String, Sendable, CaseIterable, Codable {
  case ptbXL = "ptb_xl"
  case mimicIV = "mimic_iv"
  case code15
  case cpsc
  case csn
  case wfdb
}
