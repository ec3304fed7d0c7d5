import Foundation

/// Writes a plot as `<name>.svg`, and also `<name>.png` when `rsvg-convert` (Debian `librsvg2-bin`) is on PATH.
public enum PlotFiles {
  /// The files written for one plot.
  public struct Written: Sendable, Equatable {
    public var svg: URL
    /// nil when no converter is installed.
    public var png: URL?
  }

  /// Failures of the PNG conversion (the SVG is written by then).
  public struct ConversionError: Error, CustomStringConvertible {
    public var description: String
  }

  /// Writes `svg` to `folder/<name>.svg` (creating the folder) and converts it to PNG when a converter exists.
  @discardableResult
  public static func write(svg: String, name: String, in folder: URL) throws -> Written {
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let svgURL = folder.appendingPathComponent(name + ".svg")
    try Data(svg.utf8).write(to: svgURL, options: .atomic)
    guard let converter = pngConverter() else { return Written(svg: svgURL, png: nil) }
    let pngURL = folder.appendingPathComponent(name + ".png")
    let process = Process()
    process.executableURL = converter
    process.arguments = ["--format=png", "--background-color=white", "--output=" + pngURL.path, svgURL.path]
    let errors = Pipe()
    process.standardError = errors
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    let message = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      throw ConversionError(
        description: "rsvg-convert could not turn \(svgURL.path) into a PNG (exit \(process.terminationStatus)): "
          + String(decoding: message, as: UTF8.self)
          + " The SVG is written; remove rsvg-convert from PATH to write SVG only.")
    }
    return Written(svg: svgURL, png: pngURL)
  }

  /// `rsvg-convert` from PATH, looked up at run time; nil when absent.
  public static func pngConverter() -> URL? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    for directory in path.split(separator: ":") {
      let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent("rsvg-convert")
      if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
    }
    return nil
  }
}
