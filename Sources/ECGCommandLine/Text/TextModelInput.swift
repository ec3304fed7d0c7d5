import ECGText
import Foundation
import Torch

/// The model folder and device options of the `text` commands, and reading report lines.
enum TextModelInput {
  /// `--model` or the default folder (`ECG_TEXT_MODEL`, else the all-MiniLM-L6-v2 folder of `make setup`).
  static func folder(_ path: String?) throws -> TextModelFolder {
    let url = path.map { URL(fileURLWithPath: $0, isDirectory: true) } ?? TextModelFolder.defaultURL
    if path == nil, !FileManager.default.fileExists(atPath: url.path) {
      throw CommandError(
        "no text model at \(url.path): run `make setup` to install all-MiniLM-L6-v2 there, or pass --model DIR (a Hugging Face BERT folder)"
      )
    }
    do {
      return try TextModelFolder(url)
    } catch let error as TextModelError {
      throw CommandError(error.description)
    }
  }

  /// Lines of a file, or of standard input for nil or "-", without their line ends (`\n` or `\r\n`).
  static func lines(_ path: String?) throws -> [String] {
    let data: Data
    if let path, path != "-" {
      guard let contents = FileManager.default.contents(atPath: path) else {
        throw CommandError("cannot read '\(path)': no such file or not readable")
      }
      data = contents
    } else {
      data = FileHandle.standardInput.readDataToEndOfFile()
    }
    var lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { bytes in
      var line = String(decoding: bytes, as: UTF8.self)
      if line.hasSuffix("\r") { line.removeLast() }
      return line
    }
    if lines.last == "" { lines.removeLast() }
    return lines
  }
}
