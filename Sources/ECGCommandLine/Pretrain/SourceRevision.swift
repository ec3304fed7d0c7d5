import Foundation

/// The git commit of the code that runs, when known: `ECG_GIT_COMMIT`, else `git rev-parse HEAD` in the folder
/// of the executable (a build inside a checkout); nil otherwise.
enum SourceRevision {
  static func current() -> String? {
    if let commit = ProcessInfo.processInfo.environment["ECG_GIT_COMMIT"], !commit.isEmpty { return commit }
    guard let executable = Bundle.main.executableURL?.deletingLastPathComponent() else { return nil }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["git", "-C", executable.path, "rev-parse", "HEAD"]
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    do { try process.run() } catch { return nil }
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { return nil }
    let commit = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    return commit.count == 40 ? commit : nil
  }
}
