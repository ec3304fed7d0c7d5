import Foundation

/// One worker process to start: its global rank, command line and environment.
struct WorkerSpec {
  let rank: Int
  let arguments: [String]
  let environment: [String: String]
}

/// Runs workers to the end: their standard error passes through (its last lines are kept), SIGINT and SIGTERM
/// are forwarded, and the first worker that fails brings the others down (SIGTERM, then SIGKILL after `grace`).
final class WorkerGroup: @unchecked Sendable {
  struct Failure {
    let rank: Int
    let status: Int32
    let lastLines: [String]
  }

  private let specs: [WorkerSpec]
  private let grace: Duration
  private let lock = NSLock()
  private var tails: [Int: [String]] = [:]
  private var exits: [(rank: Int, status: Int32)] = []
  private let exited = DispatchSemaphore(value: 0)

  init(_ specs: [WorkerSpec], grace: Duration) {
    self.specs = specs
    self.grace = grace
  }

  /// Waits for every worker; returns the first failure, or nil when all exited with status 0.
  func run() throws -> Failure? {
    var processes: [Process] = []
    for spec in specs {
      let process = Process()
      process.executableURL = try executable(spec.arguments[0], path: spec.environment["PATH"])
      process.arguments = Array(spec.arguments.dropFirst())
      process.environment = spec.environment
      let errors = Pipe()
      process.standardError = errors
      let rank = spec.rank
      errors.fileHandleForReading.readabilityHandler = { [weak self] handle in
        let data = handle.availableData
        guard !data.isEmpty else {
          handle.readabilityHandler = nil
          return
        }
        FileHandle.standardError.write(data)
        self?.remember(data, rank: rank)
      }
      process.terminationHandler = { [weak self] finished in
        guard let self else { return }
        self.lock.withLock { self.exits.append((rank, finished.terminationStatus)) }
        self.exited.signal()
      }
      try process.run()
      processes.append(process)
    }
    let forwarding = [SIGINT, SIGTERM].map { signalNumber in
      signal(signalNumber, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: signalNumber)
      source.setEventHandler { for process in processes where process.isRunning { kill(process.processIdentifier, signalNumber) } }
      source.resume()
      return source
    }
    defer { forwarding.forEach { $0.cancel() } }

    var failure: Failure?
    for _ in processes.indices {
      exited.wait()
      let latest = lock.withLock { exits.last! }
      if latest.status != 0 && failure == nil {
        Thread.sleep(forTimeInterval: 0.2)  // let the pipe deliver the worker's last words
        failure = Failure(rank: latest.rank, status: latest.status, lastLines: lock.withLock { tails[latest.rank] ?? [] })
        stop(processes)
      }
    }
    return failure
  }

  private func stop(_ processes: [Process]) {
    for process in processes where process.isRunning { kill(process.processIdentifier, SIGTERM) }
    let deadline = ContinuousClock.now + grace
    while processes.contains(where: \.isRunning) && ContinuousClock.now < deadline { Thread.sleep(forTimeInterval: 0.05) }
    for process in processes where process.isRunning { kill(process.processIdentifier, SIGKILL) }
  }

  private func remember(_ data: Data, rank: Int) {
    let lines = String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    lock.withLock { tails[rank] = Array(((tails[rank] ?? []) + lines).suffix(20)) }
  }

  private func executable(_ name: String, path: String?) throws -> URL {
    if name.contains("/") { return URL(fileURLWithPath: name) }
    for folder in (path ?? "/usr/bin:/bin").split(separator: ":") {
      let candidate = URL(fileURLWithPath: String(folder)).appendingPathComponent(name)
      if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
    }
    throw CommandError("\(name) was not found on PATH; give the worker command's full path after --")
  }
}
