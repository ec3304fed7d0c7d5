import Foundation

/// `path` as an absolute, standardised path (relative paths are taken from the current folder), for files a run
/// records and reads again later, perhaps from another folder.
func absolutePath(_ path: String) -> String {
  URL(fileURLWithPath: path).standardizedFileURL.path
}

/// A path on disk made absolute; anything else (a reference dataset name such as `ptb_xl`) stays as it is.
func absoluteIfOnDisk(_ entry: String) -> String {
  FileManager.default.fileExists(atPath: entry) ? absolutePath(entry) : entry
}
