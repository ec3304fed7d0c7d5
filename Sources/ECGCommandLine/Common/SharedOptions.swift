import ArgumentParser
import Foundation
import Torch

/// `--threads N`: how many threads or workers a command uses (default: every core). The same name, bounds and
/// message in every command; `--workers`, the old spelling of some data commands, still works (hidden).
struct ThreadsOption: ParsableArguments {
  @Option(parsing: .unconditional, help: "Threads to use, 1 or more (default: all cores).")
  var threads: Int?

  @Option(name: .customLong("workers"), parsing: .unconditional, help: .hidden)
  var workers: Int?

  /// The requested count, or every active core.
  var count: Int { threads ?? workers ?? ProcessInfo.processInfo.activeProcessorCount }

  /// The requested count, nil for "all cores" (for APIs that choose themselves).
  var requested: Int? { threads ?? workers }

  func validate() throws {
    if threads != nil && workers != nil { throw ValidationError("--workers is the old name of --threads: give one") }
    if let value = threads ?? workers, let problem = Self.problem(value) { throw ValidationError(problem) }
  }

  /// The most intra-op threads a command accepts: libtorch starts them all, and 100 000 of them never finished.
  static let maximum = 1024

  /// Why `value` cannot be a thread count, or nil when it can.
  static func problem(_ value: Int) -> String? {
    if value < 1 { return "--threads must be 1 or more" }
    if value > maximum {
      return "--threads \(value) is more than \(maximum); this machine has "
        + "\(ProcessInfo.processInfo.activeProcessorCount) cores"
    }
    return nil
  }
}

/// `--seed N`: the seed of everything a command draws (records, splits). One type (a non-negative integer)
/// everywhere.
struct SeedOption: ParsableArguments {
  @Option(parsing: .unconditional, help: "Random seed, 0 or more.")
  var seed: Int = 0

  func validate() throws {
    if seed < 0 { throw ValidationError("--seed must be 0 or more") }
  }
}

/// `--json`: machine-readable output instead of text.
struct JSONOption: ParsableArguments {
  @Flag(help: "Print JSON instead of text.")
  var json = false
}

/// `--device`: where tensors live.
struct DeviceOption: ParsableArguments {
  @Option(help: "Device to run on: cpu, cuda or cuda:N.")
  var device = "cpu"

  func validate() throws {
    guard Device(parsing: device) != nil else {
      throw ValidationError("unknown device '\(device)'; use cpu, cuda or cuda:N")
    }
  }

  /// The parsed device; throws when CUDA is asked for but not available.
  func resolved() throws -> Device { try Self.resolve(device) }

  /// `text` (cpu, cuda or cuda:N) parsed and checked against this machine, so that a missing GPU is refused
  /// before any work rather than failing in the first tensor copy.
  static func resolve(_ text: String) throws -> Device {
    guard let parsed = Device(parsing: text) else {
      throw ValidationError("unknown device '\(text)'; use cpu, cuda or cuda:N")
    }
    try check(parsed)
    return parsed
  }

  /// Throws unless `device` exists here: CUDA loads and the index is below the number of GPUs.
  static func check(_ device: Device) throws {
    guard case .cuda(let index) = device else { return }
    guard Device.isCUDAAvailable else {
      throw CommandError(
        "--device \(device): CUDA is not available (libtorch_cuda.so could not be loaded or no GPU is visible); "
          + "use --device cpu")
    }
    guard index < Device.cudaDeviceCount else {
      throw CommandError(
        "--device \(device) is not available (\(Device.cudaDeviceCount) CUDA devices); use cuda:0 or cpu")
    }
  }
}

/// A seed flag's value, 0 or more: "-1" gets that bound in the message rather than a bare "invalid value".
func parseSeed(_ flag: String) -> @Sendable (String) throws -> UInt64 {
  { text in
    guard let seed = UInt64(text) else { throw ValidationError("\(flag) takes whole numbers 0 or more, got \(text)") }
    return seed
  }
}
