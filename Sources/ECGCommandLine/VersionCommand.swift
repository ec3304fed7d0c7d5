import ArgumentParser
import Torch

/// `ecg version`: the tool's and libtorch's versions.
struct VersionCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "version", abstract: "Print the versions of ecg and libtorch.")

  func run() throws {
    print("ecg \(ECGVersion.current) (libtorch \(Torch.version))")
  }
}
