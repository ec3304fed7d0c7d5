import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// One worker process to start: its global rank, command line and environment.
struct WorkerSpec {
  let rank: Int
  let arguments: [String]
  let environment: [String: String]
}

/// Runs workers to the end: their standard error passes through (its last lines are kept), SIGINT and SIGTERM
/// are forwarded (SIGHUP as SIGTERM), and the first worker that fails brings the others down (SIGTERM, then
/// SIGKILL after `grace`).
///
/// Workers are spawned and reaped with posix_spawn/waitpid directly, so a worker's exit is seen at once (also
/// when a grandchild still holds its pipes). Each worker leads its own process group: a terminal's Ctrl-C reaches
/// the launcher alone, which forwards it once (a second signal makes a worker quit without its checkpoint).
final class WorkerGroup: @unchecked Sendable {
  struct Failure {
    let rank: Int
    let status: Int32
    let lastLines: [String]
    /// The signal this launcher had forwarded to the workers before the failure (nil: none).
    let afterForwarding: Int32?
  }

  /// How the workers ended.
  enum Outcome {
    /// Every worker exited with status 0.
    case completed
    /// Every worker stopped as a forwarded signal asked (status 128 + the signal, after its interrupt checkpoint).
    case stopped(signal: Int32)
    /// The first worker that failed.
    case failed(Failure)
  }

  private let specs: [WorkerSpec]
  private let grace: Duration
  // `tails` and `forwarded` are guarded by `lock`.
  private let lock = NSLock()
  private var tails: [Int: [String]] = [:]
  private var forwarded: Int32?

  init(_ specs: [WorkerSpec], grace: Duration) {
    self.specs = specs
    self.grace = grace
  }

  /// Waits for every worker.
  func run() throws -> Outcome {
    var running: [pid_t: Int] = [:]
    for spec in specs {
      let (pid, errors) = try spawn(spec)
      running[pid] = spec.rank
      let rank = spec.rank
      Thread.detachNewThread { [self] in forward(errors, rank: rank) }
    }
    let pids = Array(running.keys)
    var previousHandlers: [(Int32, sighandler_t?)] = []
    // The workers are in their own process groups, so a closed terminal's SIGHUP reaches only this launcher.
    let forwarding = [(SIGINT, SIGINT), (SIGTERM, SIGTERM), (SIGHUP, SIGTERM)].map { received, sent in
      previousHandlers.append((received, signal(received, SIG_IGN)))
      let source = DispatchSource.makeSignalSource(signal: received)
      source.setEventHandler { [self] in
        lock.withLock { forwarded = forwarded ?? sent }
        for pid in pids { kill(pid, sent) }
      }
      source.resume()
      return source
    }
    defer {
      forwarding.forEach { $0.cancel() }
      for (signalNumber, handler) in previousHandlers { signal(signalNumber, handler) }
    }

    var failure: Failure?
    var deadline: ContinuousClock.Instant?
    while !running.isEmpty {
      var status: Int32 = 0
      // Only this group's workers: waitpid(-1) would also reap (and hide) children the process started elsewhere.
      let pid = running.keys.lazy.first { waitpid($0, &status, WNOHANG) == $0 } ?? 0
      if pid > 0, let rank = running.removeValue(forKey: pid) {
        let code = Self.exitCode(status)
        // A worker that stopped as the forwarded signal asked is no failure: the others finish their own stop
        // (rank 0 may still be writing the interrupt checkpoint) and must not get a second signal.
        let stoppedAsAsked = lock.withLock { forwarded.map { code == 128 + $0 } ?? false }
        if code != 0 && !stoppedAsAsked && failure == nil {
          Thread.sleep(forTimeInterval: 0.2)  // let the pipe deliver the worker's last words
          failure = lock.withLock {
            Failure(rank: rank, status: code, lastLines: tails[rank] ?? [], afterForwarding: forwarded)
          }
          for other in running.keys { kill(other, SIGTERM) }
          deadline = ContinuousClock.now + grace
        }
        continue
      }
      if let limit = deadline, ContinuousClock.now > limit {
        for other in running.keys { kill(other, SIGKILL) }
        deadline = nil
      }
      Thread.sleep(forTimeInterval: 0.05)
    }
    if let failure { return .failed(failure) }
    if let signalNumber = lock.withLock({ forwarded }) { return .stopped(signal: signalNumber) }
    return .completed
  }

  /// The exit status, or 128 + the signal that ended the worker (as a shell reports it).
  private static func exitCode(_ status: Int32) -> Int32 {
    let signalNumber = status & 0x7f
    return signalNumber == 0 ? (status >> 8) & 0xff : 128 + signalNumber
  }

  private func spawn(_ spec: WorkerSpec) throws -> (pid_t, FileHandle) {
    let executable = try resolve(spec.arguments[0], path: spec.environment["PATH"])
    let pipe = Pipe()
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_adddup2(&actions, pipe.fileHandleForWriting.fileDescriptor, 2)
    posix_spawn_file_actions_addclose(&actions, pipe.fileHandleForReading.fileDescriptor)
    let argv = ([executable] + spec.arguments.dropFirst()).map { strdup($0) } + [nil]
    let envp = spec.environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
      argv.forEach { free($0) }
      envp.forEach { free($0) }
    }
    // Workers start with no blocked signals and default handlers, whatever this process has set.
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var none = sigset_t()
    sigemptyset(&none)
    var all = sigset_t()
    sigfillset(&all)
    posix_spawnattr_setsigmask(&attributes, &none)
    posix_spawnattr_setsigdefault(&attributes, &all)
    posix_spawnattr_setpgroup(&attributes, 0)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))
    var pid: pid_t = 0
    let result = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
    try? pipe.fileHandleForWriting.close()
    guard result == 0 else {
      throw CommandError("could not start \(executable): \(String(cString: strerror(result)))")
    }
    return (pid, pipe.fileHandleForReading)
  }

  /// Passes a worker's standard error through and keeps its last 20 lines; a line written in several chunks is
  /// kept whole (its bytes wait in `partial` until its newline or the end of the stream).
  private func forward(_ errors: FileHandle, rank: Int) {
    var partial = Data()
    while true {
      let data = errors.availableData
      FileHandle.standardError.write(data)
      partial.append(data)
      var lines: [String] = []
      while let newline = partial.firstIndex(of: UInt8(ascii: "\n")) {
        lines.append(String(decoding: partial[partial.startIndex..<newline], as: UTF8.self))
        partial.removeSubrange(partial.startIndex...newline)
      }
      if data.isEmpty && !partial.isEmpty { lines.append(String(decoding: partial, as: UTF8.self)) }
      let complete = lines.filter { !$0.isEmpty }
      lock.withLock { tails[rank] = Array(((tails[rank] ?? []) + complete).suffix(20)) }
      if data.isEmpty { return }
    }
  }

  private func resolve(_ name: String, path: String?) throws -> String {
    if name.contains("/") { return name }
    for folder in (path ?? "/usr/bin:/bin").split(separator: ":") {
      let candidate = "\(folder)/\(name)"
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    throw CommandError("\(name) was not found on PATH; give the worker command's full path after --")
  }
}
