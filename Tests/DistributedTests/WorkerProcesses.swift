import Foundation

/// Starts `DistributedWorker` processes (built next to the test bundle) under torchrun's variables.
struct WorkerProcesses {
  struct Finished {
    let status: Int32
    let standardError: String
  }

  static var workerURL: URL {
    let besideTests = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    let candidates = [
      besideTests.appendingPathComponent("DistributedWorker"),
      besideTests.deletingLastPathComponent().appendingPathComponent("DistributedWorker"),
      URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent(".build/debug/DistributedWorker"),
    ]
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
  }

  /// A port unlikely to collide with other test runs on the machine.
  static func freePort() -> Int { Int.random(in: 20_000..<60_000) }

  /// Runs one worker per rank of `ranks` (default: every rank of `world`; `extra` adds variables per rank) and waits
  /// for all of them.
  static func run(
    _ arguments: [String], world: Int, ranks: [Int]? = nil, port: Int = freePort(),
    masterAddress: String = "127.0.0.1", extra: (Int) -> [String: String] = { _ in [:] }
  ) throws -> [Finished] {
    let processes = try (ranks ?? Array(0..<world)).map { rank -> (Process, Pipe) in
      var environment = ProcessInfo.processInfo.environment
      environment["RANK"] = String(rank)
      environment["WORLD_SIZE"] = String(world)
      environment["LOCAL_RANK"] = String(rank)
      environment["LOCAL_WORLD_SIZE"] = String(world)
      environment["MASTER_ADDR"] = masterAddress
      environment["MASTER_PORT"] = String(port)
      environment["OMP_NUM_THREADS"] = "1"
      environment.merge(extra(rank)) { $1 }
      return try start(arguments, environment: environment)
    }
    return processes.map(finish)
  }

  /// Runs one worker without distributed variables.
  static func runAlone(_ arguments: [String]) throws -> Finished {
    var environment = ProcessInfo.processInfo.environment
    for name in ["RANK", "WORLD_SIZE", "LOCAL_RANK", "SLURM_PROCID"] { environment[name] = nil }
    environment["OMP_NUM_THREADS"] = "1"
    return finish(try start(arguments, environment: environment))
  }

  private static func start(_ arguments: [String], environment: [String: String]) throws -> (Process, Pipe) {
    let process = Process()
    process.executableURL = workerURL
    process.arguments = arguments
    process.environment = environment
    let errors = Pipe()
    process.standardError = errors
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    return (process, errors)
  }

  private static func finish(_ started: (Process, Pipe)) -> Finished {
    let data = started.1.fileHandleForReading.readDataToEndOfFile()
    started.0.waitUntilExit()
    return Finished(status: started.0.terminationStatus, standardError: String(decoding: data, as: UTF8.self))
  }
}
