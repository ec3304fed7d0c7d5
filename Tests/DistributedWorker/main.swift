// Worker processes for Tests/DistributedTests: each mode is one scenario, run on 1 process or under the
// torchrun variables the test sets. Exit status 0 means every check passed; failures go to standard error.
import ECGCore
import ECGTraining
import Foundation
import Torch

func fail(_ message: String) -> Never {
  FileHandle.standardError.write(Data("worker: \(message)\n".utf8))
  exit(1)
}

let arguments = CommandLine.arguments.dropFirst().map { $0 }
guard let mode = arguments.first else {
  fail(
    "usage: DistributedWorker dit|merl|merl-checkpoint|merl-peer-leaves|accumulate|collectives|join|die|checkpoint …")
}
let isDistributed = ProcessInfo.processInfo.environment["RANK"] != nil

func joinGroup(timeoutSeconds: Int = 60) -> ProcessGroup {
  do {
    return try ProcessGroup(environment: try DistributedEnvironment(), timeout: .seconds(timeoutSeconds))
  } catch {
    fail("\(error)")
  }
}

/// Trains `network` for `steps` optimizer steps of `accumulation` micro-batches each on `batches` (one window per
/// step), as one process or as this rank of `group`.
func train(
  _ network: any Pretrainable, batches: any TrainingBatches, steps: Int, rowsPerRank: Int, accumulation: Int = 1,
  group: ProcessGroup?, checkpoints: URL? = nil,
  distributed: (ProcessGroup) -> DistributedTraining = { DistributedTraining(group: $0) }
) throws {
  let rank = group?.rank ?? 0
  var configuration = TrainingConfiguration()
  configuration.batchSize = rowsPerRank
  configuration.gradientAccumulationSteps = accumulation
  configuration.maxSteps = steps
  configuration.epochs = 1
  configuration.logEvery = 1
  var settings = OptimizerConfiguration()
  settings.learningRate = 1e-3
  settings.warmupSteps = 1
  settings.batchSize = rowsPerRank
  settings.gradientAccumulationSteps = accumulation
  settings.worldSize = group?.worldSize ?? 1
  settings.referenceGlobalBatchSize = 8
  settings.maxSteps = steps
  let optimizer = ReferenceOptimizer(settings, parameters: network.module.namedParameters())
  let trainer = try Trainer(
    network: network, optimizer: optimizer, batches: batches, configuration: configuration,
    checkpointDirectory: rank == 0 ? checkpoints : nil, runConfiguration: "neural_network: test\n")
  if let group { trainer.distributed = distributed(group) }
  try trainer.run()
}

/// Trains the replayed tiny DiT for `steps` optimizer steps and returns its parameters.
func trainDiT(
  steps: Int, rowsPerRank: Int, accumulation: Int = 1, checkpoints: URL? = nil,
  distributed: (ProcessGroup) -> DistributedTraining = { DistributedTraining(group: $0) }
) throws -> [Tensor] {
  let group = isDistributed ? joinGroup() : nil
  let rank = group?.rank ?? 0
  let world = group?.worldSize ?? 1
  Torch.manualSeed(UInt64(7 + rank))  // different initial weights per rank: the broadcast must fix them
  let network = try ReplayedDiT(rank: rank, globalBatch: rowsPerRank * world)
  let batches = ShardedSines(
    batchesPerEpoch: steps * accumulation, rowsPerRank: rowsPerRank, rank: rank, worldSize: world)
  try train(
    network, batches: batches, steps: steps, rowsPerRank: rowsPerRank, accumulation: accumulation, group: group,
    checkpoints: checkpoints, distributed: distributed)
  return network.module.parameters()
}

/// Trains the tiny MERL and returns its parameters and floating-point buffers (BatchNorm running statistics).
/// With `lastRankLeaves` the last rank exits (status 3) when it asks for its first batch, after the start's
/// broadcast: the others meet the missing peer in the forward pass's all-gather.
func trainMerl(
  steps: Int, rowsPerRank: Int, syncBatchNorm: Bool, checkpoints: URL? = nil, timeoutSeconds: Int = 60,
  lastRankLeaves: Bool = false
) throws -> [Tensor] {
  let group = isDistributed ? joinGroup(timeoutSeconds: timeoutSeconds) : nil
  let rank = group?.rank ?? 0
  Torch.manualSeed(UInt64(11 + rank))  // different initial weights per rank: the broadcast must fix them
  let network = try ReplayedMerl()
  var batches: any TrainingBatches = ShardedReports(batchesPerEpoch: steps, rowsPerRank: rowsPerRank, rank: rank)
  if lastRankLeaves, let group, rank == group.worldSize - 1 { batches = LeavesAtFirstBatch(batchesPerEpoch: steps) }
  try train(
    network, batches: batches, steps: steps,
    rowsPerRank: rowsPerRank, group: group, checkpoints: checkpoints
  ) { DistributedTraining(group: $0, syncBatchNorm: syncBatchNorm) }
  let buffers = network.module.namedBuffers().map(\.tensor).filter { $0.dtype == .float32 }
  return network.module.parameters() + buffers
}

/// This process's output file: `<prefix>.<rank>`.
func rankFile(_ prefix: String) -> String { "\(prefix).\(ProcessInfo.processInfo.environment["RANK"] ?? "0")" }

func writeParameters(_ parameters: [Tensor], to path: String) throws {
  let values = parameters.flatMap { $0.detach().floats() }
  try values.withUnsafeBufferPointer { try Data(buffer: $0).write(to: URL(fileURLWithPath: path)) }
}

do {
  switch mode {
  case "dit":
    // dit <steps> <rows per rank> <output file (rank 0)>
    let parameters = try trainDiT(steps: Int(arguments[1])!, rowsPerRank: Int(arguments[2])!)
    if (ProcessInfo.processInfo.environment["RANK"] ?? "0") == "0" { try writeParameters(parameters, to: arguments[3]) }
  case "merl":
    // merl <steps> <rows per rank> <sync_bn 0|1> <output prefix>: every rank writes <prefix>.<rank>.
    let values = try trainMerl(
      steps: Int(arguments[1])!, rowsPerRank: Int(arguments[2])!, syncBatchNorm: arguments[3] == "1")
    try writeParameters(values, to: rankFile(arguments[4]))
  case "merl-checkpoint":
    // merl-checkpoint <folder>: two steps of per-rank BatchNorm MERL, rank 0 writes checkpoints there.
    _ = try trainMerl(steps: 2, rowsPerRank: 2, syncBatchNorm: false, checkpoints: URL(fileURLWithPath: arguments[1]))
  case "merl-peer-leaves":
    // merl-peer-leaves <timeout seconds>: SyncBatchNorm MERL whose last rank exits before its first forward pass;
    // the others must throw the failed all-gather (exit status 1), not crash.
    _ = try trainMerl(
      steps: 2, rowsPerRank: 2, syncBatchNorm: true, timeoutSeconds: Int(arguments[1])!, lastRankLeaves: true)
    fail("training with a departed rank finished")
  case "accumulate":
    // accumulate <sync every micro-batch 0|1> <output prefix>: two steps of two micro-batches each.
    let everyMicroBatch = arguments[1] == "1"
    let parameters = try trainDiT(steps: 2, rowsPerRank: 2, accumulation: 2) { group in
      let training = DistributedTraining(group: group)
      training.synchronizeEveryMicroBatch = everyMicroBatch
      return training
    }
    try writeParameters(parameters, to: rankFile(arguments[2]))
  case "checkpoint":
    // checkpoint <folder>: two steps, rank 0 writes checkpoints there.
    _ = try trainDiT(steps: 2, rowsPerRank: 2, checkpoints: URL(fileURLWithPath: arguments[1]))
  case "collectives":
    try Collectives.check(joinGroup())
  case "join":
    // join <timeout seconds>: rendezvous and nothing else.
    _ = joinGroup(timeoutSeconds: Int(arguments[1])!)
  case "die":
    // die <timeout seconds>: the last rank exits at once; the others must fail their all-reduce in time.
    // The collective after the failed one must fail at once (the group is broken), not wait out the timeout.
    let group = joinGroup(timeoutSeconds: Int(arguments[1])!)
    if group.rank == group.worldSize - 1 { exit(3) }
    do {
      try group.allReduce([Tensor.ones([4])])
    } catch {
      let start = Date()
      do {
        try group.barrier()
        fail("a barrier on a broken group returned")
      } catch {
        let seconds = Date().timeIntervalSince(start)
        guard "\(error)".contains("the group is broken since all_reduce"), seconds < 1 else {
          FileHandle.standardError.write(Data("worker: broken group: \(error) after \(seconds) s\n".utf8))
          exit(4)
        }
      }
      throw error
    }
    fail("the all-reduce with a dead rank returned")
  default:
    fail("unknown mode \(mode)")
  }
} catch {
  fail("\(error)")
}

/// The batches of a rank that exits when training asks for its first one.
struct LeavesAtFirstBatch: TrainingBatches {
  let batchesPerEpoch: Int
  func batches(epoch: Int, startingAt start: Int) -> AnySequence<ModelInput> { exit(3) }
}
