import ECGTraining
import Foundation
import Torch

/// `ecg pretrain --distributed`: this process's place in the run (torchrun's or SLURM's variables) and the
/// process group it joined (Gloo, plus NCCL when training on CUDA). Rank 0 alone creates the run folder, writes
/// checkpoints and logs.
struct PretrainDistributed {
  let environment: DistributedEnvironment
  let group: ProcessGroup

  var rank: Int { environment.rank }
  var worldSize: Int { environment.worldSize }
  var isMain: Bool { environment.isMain }

  /// The `ecg launch …  -- ` that starts this run's world again (on each node for a multi-node run, whose
  /// `--node_rank` the user fills in), and the words that say so.
  var resumeLauncher: (prefix: String, onEachNode: String) { Self.resumeLauncher(environment) }

  static func resumeLauncher(_ environment: DistributedEnvironment) -> (prefix: String, onEachNode: String) {
    let perNode = environment.localWorldSize
    guard environment.worldSize != perNode, perNode > 0 else {
      return ("ecg launch --nproc_per_node \(perNode) -- ", "")
    }
    return (
      "ecg launch --nnodes \(environment.worldSize / perNode) --node_rank R --master_addr \(environment.masterAddress) "
        + "--master_port \(environment.masterPort) --nproc_per_node \(perNode) -- ",
      " on each node, R its index (0 on this one)"
    )
  }

  /// This rank's device for `--device text`: plain `cuda` is `cuda:LOCAL_RANK`, one GPU per process as the
  /// reference's `cuda:{local_rank}`; an explicit `cuda:N` (or `cpu`) stays as given.
  static func device(_ text: String, localRank: Int) -> Device? {
    text == "cuda" ? .cuda(localRank) : Device(parsing: text)
  }

  /// Joins the group, over NCCL too when `device` is a GPU; waits at most `timeoutSeconds` for the other ranks
  /// (and for every later collective).
  static func join(environment: DistributedEnvironment, device: Device, timeoutSeconds: Int) throws
    -> PretrainDistributed
  {
    guard timeoutSeconds > 0 else { throw CommandError("--dist_timeout must be a positive number of seconds") }
    let group = try ProcessGroup(environment: environment, device: device, timeout: .seconds(timeoutSeconds))
    return PretrainDistributed(environment: environment, group: group)
  }

  /// The trainer's hook: DDP's `find_unused_parameters` is true only with the signal head, as the reference;
  /// `syncBatchNorm` is `--sync_bn`.
  func training(findUnusedParameters: Bool, syncBatchNorm: Bool) -> DistributedTraining {
    DistributedTraining(group: group, findUnusedParameters: findUnusedParameters, syncBatchNorm: syncBatchNorm)
  }

  /// Every rank but 0 draws its own noise, timesteps and masks: the reference seeds all ranks alike, so their
  /// draws repeat each other's. Rank 0 keeps the plain seed (so a 1-process run and rank 0 agree).
  func seedDraws(seed: UInt64, step: Int) {
    guard rank > 0 else { return }
    Torch.manualSeed(seed &+ UInt64(rank) &* 1_000_003 &+ UInt64(step))
  }
}
