import ECGData
import Foundation

/// Reads a label CSV, or says which file is missing and where the shared copies live.
func readLabelTable(_ url: URL, what: String) throws -> CSVTable {
  guard FileManager.default.fileExists(atPath: url.path) else {
    throw ClassificationError(
      "\(what) is missing at \(url.path); pass --labels_dir with the folder holding ptbxl_scp_statements.csv and "
        + "merl_splits/ (the project's copy is shared/data/labels)")
  }
  return try CSVTable(contentsOf: url)
}
