import ArgumentParser
import Foundation
import Torch

/// `ecg bench attention`: forward + backward time and peak memory of one CPU attention call, the fused
/// kernel against libtorch's own paths, on the DiT-base layer shape and a tiny one.
///
/// Each measurement runs in a fresh child process (this executable with `--worker`), so that its peak
/// resident memory (VmHWM) belongs to that variant alone; rounds alternate the variants, and the figures
/// are medians over rounds.
struct BenchAttentionCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "attention",
    abstract:
      "Time CPU attention forward+backward (fused kernel vs libtorch math path with dropout vs libtorch flash without).",
    discussion: """
      Shapes: dit = [1, 8, 2500, 64] (one DiT-base attention layer), tiny = [8, 4, 500, 16].
      Variants: fused (dropout 0.1, kernel in Sources/CTorch/fused_attention.cpp), math (libtorch, dropout 0.1,
      which falls back to its math path), flash (libtorch, dropout 0) and fused0 (fused kernel, dropout 0).
      ms: median wall time of one forward+backward; cpu_ms: CPU time (all threads) per call, less sensitive to
      other load on a shared machine; peak_mib: the child's peak resident memory above its resident memory
      just before the first call.
      """
  )

  enum Variant: String, CaseIterable, ExpressibleByArgument {
    case fused, math, flash, fused0

    var dropout: Double { self == .fused || self == .math ? 0.1 : 0 }
    var kernel: AttentionKernel { self == .fused || self == .fused0 ? .fused : .libtorch }
  }

  enum Shape: String, CaseIterable, ExpressibleByArgument {
    case dit, tiny

    var dims: [Int] { self == .dit ? [1, 8, 2500, 64] : [8, 4, 500, 16] }
  }

  @Option(help: "Shapes to measure (dit, tiny).")
  var shapes: [Shape] = Shape.allCases

  @Option(help: "Variants to measure (fused, math, flash, fused0).")
  var variants: [Variant] = Variant.allCases

  @Option(parsing: .unconditional, help: "Rounds; each runs every variant once, in a child process, in alternation.")
  var rounds = 3

  @Option(parsing: .unconditional, help: "Timed forward+backward calls per child (their median is the child's time).")
  var repeats = 3

  @Option(parsing: .unconditional, help: "Untimed calls per child before timing.")
  var warmup = 1

  @OptionGroup var threads: ThreadsOption

  @Option(help: .hidden)
  var worker: Variant?

  func validate() throws {
    guard rounds > 0, repeats > 0, warmup >= 0 else {
      throw ValidationError("--rounds and --repeats must be positive and --warmup non-negative")
    }
    guard !shapes.isEmpty, !variants.isEmpty else { throw ValidationError("give at least one shape and one variant") }
    if worker != nil, shapes.count != 1 { throw ValidationError("--worker takes exactly one --shapes value") }
  }

  func run() throws {
    // libtorch's intra-op pool is process-wide: set here, where the command runs.
    if let threads = threads.requested { try Torch.setIntraOpThreads(threads) }
    if let worker { return try measure(worker, shapes[0]) }

    var results: [Shape: [Variant: [(ms: Double, cpu: Double, peak: Double)]]] = [:]
    for _ in 0..<rounds {
      for shape in shapes {
        for variant in variants { results[shape, default: [:]][variant, default: []].append(try spawn(variant, shape)) }
      }
    }
    func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
    var report: [String: Any] = [
      "libtorch": Torch.version, "threads": Torch.intraOpThreads, "rounds": rounds, "repeats": repeats,
      "instruction_set": FusedAttention.instructionSet, "load_average": loadAverage(),
    ]
    for shape in shapes {
      var figures: [String: Any] = ["shape": shape.dims]
      var ms: [Variant: Double] = [:]
      for variant in variants {
        let runs = results[shape]![variant]!
        ms[variant] = median(runs.map(\.ms))
        figures[variant.rawValue] = [
          "ms": ms[variant]!, "cpu_ms": median(runs.map(\.cpu)), "peak_mib": median(runs.map(\.peak)),
          "dropout": variant.dropout, "ms_per_round": runs.map(\.ms),
        ]
      }
      if let fused = ms[.fused], let math = ms[.math] { figures["fused_speedup_over_math"] = math / fused }
      if let fused = ms[.fused], let flash = ms[.flash] { figures["fused_time_over_flash"] = fused / flash }
      if let fused0 = ms[.fused0], let flash = ms[.flash] { figures["fused0_time_over_flash"] = fused0 / flash }
      report[shape.rawValue] = figures
    }
    try printJSON(report)
  }

  /// Runs one variant in a child process and reads its JSON line.
  private func spawn(_ variant: Variant, _ shape: Shape) throws -> (ms: Double, cpu: Double, peak: Double) {
    let process = Process()
    let executable =
      (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
      ?? Bundle.main.executablePath ?? CommandLine.arguments[0]
    process.executableURL = URL(fileURLWithPath: executable)
    var arguments = [
      "bench", "attention", "--worker", variant.rawValue, "--shapes", shape.rawValue, "--repeats", "\(repeats)",
      "--warmup", "\(warmup)",
    ]
    if let threads = threads.requested { arguments += ["--threads", "\(threads)"] }
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0,
      let object = try JSONSerialization.jsonObject(with: data) as? [String: Double],
      let ms = object["ms"], let cpu = object["cpu_ms"], let peak = object["peak_mib"]
    else {
      throw ValidationError(
        "the \(variant.rawValue) worker for \(shape.rawValue) failed (\(process.terminationStatus))")
    }
    return (ms, cpu, peak)
  }

  /// The child's side: inputs, warm-up, timed forward+backward calls; prints {"ms", "peak_mib"}.
  private func measure(_ variant: Variant, _ shape: Shape) throws {
    Torch.manualSeed(0)
    let q = Tensor.randn(shape.dims).requiringGrad()
    let k = Tensor.randn(shape.dims).requiringGrad()
    let v = Tensor.randn(shape.dims).requiringGrad()
    let before = residentMiB(field: "VmRSS")
    func call() {
      let out = Functional.scaledDotProductAttention(
        query: q, key: k, value: v, dropout: variant.dropout, kernel: variant.kernel)
      out.sum().backward()
    }
    for _ in 0..<warmup { call() }
    var times: [Double] = []
    let cpuStart = cpuSeconds()
    for _ in 0..<repeats { times.append(Stopwatch.seconds(call)) }
    let cpuMs = (cpuSeconds() - cpuStart) / Double(repeats) * 1e3
    let peak = residentMiB(field: "VmHWM") - before
    let ms = times.sorted()[times.count / 2] * 1e3
    let data = try JSONSerialization.data(withJSONObject: ["ms": ms, "cpu_ms": cpuMs, "peak_mib": peak])
    print(String(decoding: data, as: UTF8.self))
  }

  /// User + system CPU seconds of this process, all threads.
  private func cpuSeconds() -> Double {
    var usage = rusage()
    #if os(Linux)
      getrusage(RUSAGE_SELF.rawValue, &usage)
    #else
      getrusage(RUSAGE_SELF, &usage)
    #endif
    func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
    return seconds(usage.ru_utime) + seconds(usage.ru_stime)
  }

  /// A memory figure of this process from /proc/self/status, in MiB (0 where there is no /proc).
  private func residentMiB(field: String) -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in status.split(separator: "\n") where line.hasPrefix(field + ":") {
      let kib = line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first.flatMap { Double($0) }
      return (kib ?? 0) / 1024
    }
    return 0
  }

  private func loadAverage() -> [Double] {
    guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return [] }
    return text.split(separator: " ").prefix(3).compactMap { Double($0) }
  }
}
