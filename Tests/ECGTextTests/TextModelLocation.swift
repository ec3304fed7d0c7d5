import ECGText
import Foundation
import Testing

/// The Hugging Face folder the text tests run on: `ECG_TEXT_MODEL`, else the all-MiniLM-L6-v2 folder of
/// `make setup`. A missing folder fails the test that needs it, with what to do.
enum TextModelLocation {
  static func folder(sourceLocation: SourceLocation = #_sourceLocation) throws -> TextModelFolder {
    let url = TextModelFolder.defaultURL
    guard FileManager.default.fileExists(atPath: url.appendingPathComponent("config.json").path) else {
      Issue.record(
        "no text model at \(url.path): run `make setup` (scripts/setup-text-model.sh installs all-MiniLM-L6-v2), or set ECG_TEXT_MODEL to a Hugging Face BERT folder",
        sourceLocation: sourceLocation)
      throw TextModelMissing()
    }
    return try TextModelFolder(url)
  }

  struct TextModelMissing: Error {}
}
