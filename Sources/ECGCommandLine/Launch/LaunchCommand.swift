import ArgumentParser
import Foundation

/// `ecg launch`: torchrun for ecg — starts `--nproc_per_node` workers on this node with torchrun's variables,
/// forwards Ctrl-C and SIGTERM to them, and stops them all when one fails.
struct LaunchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "launch",
    abstract: "Start data-parallel workers with torchrun's environment (RANK, WORLD_SIZE, MASTER_ADDR, …).",
    discussion: """
      ecg launch --nproc_per_node 2 -- ecg pretrain --distributed --data store …
      Several nodes: run on each node with the same --nnodes, --master_addr (node 0's address) and --master_port, \
      and its own --node_rank (plus --node_addr, the address other nodes reach this one at, when the hostname \
      does not resolve to it). torchrun --no-python --nproc_per_node N ecg pretrain --distributed … works too.
      """)

  @Option(
    name: [.customLong("nproc_per_node"), .customLong("nproc-per-node")], parsing: .unconditional,
    help: "Workers on this node.")
  var nprocPerNode = 1

  @Option(parsing: .unconditional, help: "Nodes in the run.")
  var nnodes = 1

  @Option(
    name: [.customLong("node_rank"), .customLong("node-rank")], parsing: .unconditional,
    help: "This node's index (0 hosts the store).")
  var nodeRank = 0

  @Option(name: [.customLong("master_addr"), .customLong("master-addr")], help: "Node 0's address.")
  var masterAddr = "127.0.0.1"

  @Option(
    name: [.customLong("master_port"), .customLong("master-port")], parsing: .unconditional,
    help: "Port of the rendezvous store on node 0.")
  var masterPort = 29500

  @Option(
    name: [.customLong("node_addr"), .customLong("node-addr")],
    help: "The address Gloo binds to on this node (default: what the hostname resolves to; loopback for one node).")
  var nodeAddr: String?

  @Option(
    parsing: .unconditional, help: "Seconds to wait for the other workers after one has failed before killing them.")
  var grace = 10

  @Argument(parsing: .postTerminator, help: "The worker command after --, e.g. ecg pretrain --distributed ….")
  var command: [String] = []

  func validate() throws {
    guard nprocPerNode >= 1, nnodes >= 1 else { throw ValidationError("--nproc_per_node and --nnodes must be ≥ 1") }
    // c10d's ranks are 32-bit; a node runs at most a few hundred workers.
    guard nprocPerNode <= Self.maximumWorkersPerNode else {
      throw ValidationError(
        "--nproc_per_node \(nprocPerNode) is more than \(Self.maximumWorkersPerNode) workers on a node")
    }
    guard nnodes <= Self.maximumNodes else {
      throw ValidationError("--nnodes \(nnodes) is more than \(Self.maximumNodes)")
    }
    guard (0..<nnodes).contains(nodeRank) else {
      throw ValidationError("--node_rank \(nodeRank) must be in 0..<\(nnodes) (--nnodes)")
    }
    guard (1...65535).contains(masterPort) else { throw ValidationError("--master_port must be in 1…65535") }
    guard grace >= 0 else { throw ValidationError("--grace must be 0 or more seconds, got \(grace)") }
    guard !command.isEmpty else {
      throw ValidationError("give the worker command after --, e.g. ecg launch --nproc_per_node 2 -- ecg pretrain …")
    }
  }

  func run() throws {
    let world = nprocPerNode * nnodes
    let workers = (0..<nprocPerNode).map { local in
      var environment = ProcessInfo.processInfo.environment
      environment["RANK"] = String(nodeRank * nprocPerNode + local)
      environment["LOCAL_RANK"] = String(local)
      environment["WORLD_SIZE"] = String(world)
      environment["LOCAL_WORLD_SIZE"] = String(nprocPerNode)
      environment["GROUP_RANK"] = String(nodeRank)
      environment["MASTER_ADDR"] = masterAddr
      environment["MASTER_PORT"] = String(masterPort)
      if let nodeAddr { environment["ECG_GLOO_HOSTNAME"] = nodeAddr }
      // As torchrun: one intra-op thread per worker unless the user chose otherwise.
      if environment["OMP_NUM_THREADS"] == nil && nprocPerNode > 1 { environment["OMP_NUM_THREADS"] = "1" }
      return WorkerSpec(rank: nodeRank * nprocPerNode + local, arguments: resolvedCommand, environment: environment)
    }
    switch try WorkerGroup(workers, grace: .seconds(grace)).run() {
    case .completed: return
    // The workers said what they did (rank 0: the interrupt checkpoint and how to resume); end as they did.
    case .stopped(let signalNumber): throw ExitCode(128 + signalNumber)
    case .failed(let failure):
      var message = "ecg launch: rank \(failure.rank) exited with status \(failure.status)"
      if let signalNumber = failure.afterForwarding {
        message += " after this launcher forwarded \(signalNumber == SIGINT ? "SIGINT" : "SIGTERM") to every worker"
      }
      message += workers.count > 1 ? "; the others were stopped." : "."
      if !failure.lastLines.isEmpty {
        message += "\nrank \(failure.rank)'s last error output:\n" + failure.lastLines.joined(separator: "\n")
      }
      FileHandle.standardError.write(Data((message + "\n").utf8))
      throw ExitCode(failure.status == 0 ? 1 : failure.status)
    }
  }

  static let maximumWorkersPerNode = 1024
  static let maximumNodes = 65536

  /// `ecg` as the first word means this executable, so the workers run the same build.
  private var resolvedCommand: [String] {
    guard command.first == "ecg" else { return command }
    let me = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    return [me] + command.dropFirst()
  }
}
