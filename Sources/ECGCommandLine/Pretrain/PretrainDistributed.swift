import ECGTraining
import Foundation
import Torch

/// `ecg pretrain --distributed`: this process's place in the run (torchrun's or SLURM's variables) and the
/// Gloo process group it joined. Rank 0 alone creates the run folder, writes checkpoints and logs.
struct PretrainDistributed {
  let environment: DistributedEnvironment
  let group: ProcessGroup

  var rank: Int { environment.rank }
  var worldSize: Int { environment.worldSize }
  var isMain: Bool { environment.isMain }

  /// Joins the group; waits at most `timeoutSeconds` for the other ranks (and for every later collective).
  static func join(device: Device, timeoutSeconds: Int) throws -> PretrainDistributed {
    if case .cuda = device {
      throw CommandError(
        "--distributed trains over Gloo on CPU tensors; NCCL for CUDA is not loaded by this build yet. "
          + "Use --device cpu with --distributed, or one GPU without it")
    }
    guard timeoutSeconds > 0 else { throw CommandError("--dist_timeout must be a positive number of seconds") }
    let environment = try DistributedEnvironment()
    let group = try ProcessGroup(environment: environment, timeout: .seconds(timeoutSeconds))
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
