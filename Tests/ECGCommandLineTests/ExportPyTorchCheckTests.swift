import Foundation
import Testing

/// Runs `scripts/check_export_pytorch.sh`: a two-step tiny pretrain per network, `ecg checkpoint export --format
/// pytorch`, and a strict `load_state_dict` into the reference's modules written out in `scripts/torch_reference`.
/// Needs a python with torch, named by `ECG_TORCH_PYTHON`; skipped with that message otherwise.
@Suite struct ExportPyTorchCheckTests {
  static let torchPython = ProcessInfo.processInfo.environment["ECG_TORCH_PYTHON"]

  static let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  @Test(
    .enabled(
      if: torchPython != nil,
      "set ECG_TORCH_PYTHON to a python with torch (CPU is enough) to check exports load with strict=True"))
  func everyNetworkExportLoadsStrictlyInPyTorch() throws {
    let binary = Self.repositoryRoot.appendingPathComponent(".build/debug/ecg")
    try #require(
      FileManager.default.isExecutableFile(atPath: binary.path),
      "no ecg binary at \(binary.path): run swift build --build-tests first")
    let process = Process()
    process.executableURL = Self.repositoryRoot.appendingPathComponent("scripts/check_export_pytorch.sh")
    process.arguments = [binary.path]
    process.currentDirectoryURL = Self.repositoryRoot
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 0, "check_export_pytorch.sh failed:\n\(output)")
    #expect(output.contains("all exports load with strict=True"), "\(output)")
  }
}
