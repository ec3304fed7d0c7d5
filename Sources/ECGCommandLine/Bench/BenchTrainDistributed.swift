import ArgumentParser
import Foundation
import Torch

/// `ecg bench train --world N`: the same timed steps on N data-parallel workers (this executable with
/// `--distributed` under torchrun's variables on loopback); rank 0 prints the JSON with the global throughput.
struct DataParallelBench {
  let group: ProcessGroup
  let reducer: GradientReducer

  /// Joins the workers' group (over NCCL too when `device` is a GPU) and starts from rank 0's weights.
  init(network: Module, device: Device) throws {
    group = try ProcessGroup(environment: try DistributedEnvironment(), device: device, timeout: .seconds(600))
    try group.broadcast(network.namedParameters().map(\.tensor) + network.namedBuffers().map(\.tensor))
    reducer = try GradientReducer(parameters: network.trainableParameters().map(\.tensor), group: group)
  }

  /// The largest of the ranks' step times.
  func slowest(_ seconds: Double) throws -> Double {
    let value = Tensor(scalar: seconds)
    try group.allReduce([value], .max)
    return value.item()
  }
}

extension BenchTrainCommand {
  func launchWorkers() throws {
    let me = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    // The same command line without --world N, plus --distributed.
    var arguments = [me]
    var rest = CommandLine.arguments.dropFirst()[...]
    while let argument = rest.popFirst() {
      if argument == "--world" {
        _ = rest.popFirst()
      } else if !argument.hasPrefix("--world=") {
        arguments.append(argument)
      }
    }
    arguments.append("--distributed")
    let port = Int.random(in: 20_000..<60_000)
    let specs = (0..<world).map { rank in
      var environment = ProcessInfo.processInfo.environment
      environment["RANK"] = String(rank)
      environment["LOCAL_RANK"] = String(rank)
      environment["WORLD_SIZE"] = String(world)
      environment["LOCAL_WORLD_SIZE"] = String(world)
      environment["MASTER_ADDR"] = "127.0.0.1"
      environment["MASTER_PORT"] = String(port)
      // As torchrun and `ecg launch`: one intra-op thread per worker unless asked otherwise (N workers with all
      // cores each oversubscribe the CPU).
      if environment["OMP_NUM_THREADS"] == nil && world > 1 { environment["OMP_NUM_THREADS"] = "1" }
      return WorkerSpec(rank: rank, arguments: arguments, environment: environment)
    }
    switch try WorkerGroup(specs, grace: .seconds(10)).run() {
    case .completed: return
    case .stopped(let signalNumber): throw ExitCode(128 + signalNumber)
    case .failed(let failure): throw CommandError("bench worker \(failure.rank) failed with status \(failure.status)")
    }
  }
}
