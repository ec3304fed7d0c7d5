// Worker processes for Tests/DistributedTests: each mode is one scenario, run on 1 process or under the
// torchrun variables the test sets. Exit status 0 means every check passed; failures go to standard error.
import ECGTraining
import Foundation
import Torch

func fail(_ message: String) -> Never {
  FileHandle.standardError.write(Data("worker: \(message)\n".utf8))
  exit(1)
}

let arguments = CommandLine.arguments.dropFirst().map { $0 }
guard let mode = arguments.first else { fail("usage: DistributedWorker dit|collectives|die|checkpoint …") }
let isDistributed = ProcessInfo.processInfo.environment["RANK"] != nil

func joinGroup(timeoutSeconds: Int = 60) -> ProcessGroup {
  do {
    return try ProcessGroup(environment: try DistributedEnvironment(), timeout: .seconds(timeoutSeconds))
  } catch {
    fail("\(error)")
  }
}

/// Trains the replayed tiny DiT for `steps` optimizer steps and returns its parameters.
func trainDiT(steps: Int, rowsPerRank: Int, checkpoints: URL? = nil) throws -> [Tensor] {
  let group = isDistributed ? joinGroup() : nil
  let rank = group?.rank ?? 0
  let world = group?.worldSize ?? 1
  Torch.manualSeed(UInt64(7 + rank))  // different initial weights per rank: the broadcast must fix them
  let network = try ReplayedDiT(rank: rank, globalBatch: rowsPerRank * world)
  var configuration = TrainingConfiguration()
  configuration.batchSize = rowsPerRank
  configuration.maxSteps = steps
  configuration.epochs = 1
  configuration.logEvery = 1
  var settings = OptimizerConfiguration()
  settings.learningRate = 1e-3
  settings.warmupSteps = 1
  settings.batchSize = rowsPerRank
  settings.worldSize = world
  settings.referenceGlobalBatchSize = 8
  settings.maxSteps = steps
  let optimizer = ReferenceOptimizer(settings, parameters: network.module.namedParameters())
  let trainer = try Trainer(
    network: network, optimizer: optimizer,
    batches: ShardedSines(batchesPerEpoch: steps, rowsPerRank: rowsPerRank, rank: rank, worldSize: world),
    configuration: configuration, checkpointDirectory: rank == 0 ? checkpoints : nil,
    runConfiguration: "neural_network: dit\n")
  if let group { trainer.distributed = DistributedTraining(group: group) }
  try trainer.run()
  return network.module.parameters()
}

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
  case "checkpoint":
    // checkpoint <folder>: two steps, rank 0 writes checkpoints there.
    _ = try trainDiT(steps: 2, rowsPerRank: 2, checkpoints: URL(fileURLWithPath: arguments[1]))
  case "collectives":
    try Collectives.check(joinGroup())
  case "die":
    // die <timeout seconds>: the last rank exits at once; the others must fail their all-reduce in time.
    let group = joinGroup(timeoutSeconds: Int(arguments[1])!)
    if group.rank == group.worldSize - 1 { exit(3) }
    try group.allReduce([Tensor.ones([4])])
    fail("the all-reduce with a dead rank returned")
  default:
    fail("unknown mode \(mode)")
  }
} catch {
  fail("\(error)")
}
