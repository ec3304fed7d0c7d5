import Foundation

/// `path` as an absolute, standardised path (relative paths are taken from the current folder), for files a run
/// records and reads again later, perhaps from another folder.
func absolutePath(_ path: String) -> String {
  URL(fileURLWithPath: path).standardizedFileURL.path
}
