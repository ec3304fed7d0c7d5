import Foundation

/// Where this process sits in a distributed run, read from the launcher's environment: torchrun's (and
/// `ecg launch`'s) `RANK`, `WORLD_SIZE`, `LOCAL_RANK`, `LOCAL_WORLD_SIZE`, `MASTER_ADDR`, `MASTER_PORT`, or
/// SLURM's `SLURM_PROCID`, `SLURM_NTASKS`, `SLURM_LOCALID`, `SLURM_NTASKS_PER_NODE` (with `MASTER_ADDR` set by
/// the job script, or the first host of `SLURM_LAUNCH_NODE_IPADDR`).
public struct DistributedEnvironment: Sendable, Equatable {
  public var rank: Int
  public var worldSize: Int
  public var localRank: Int
  public var localWorldSize: Int
  public var masterAddress: String
  public var masterPort: Int
  /// Gloo's network interface (`GLOO_SOCKET_IFNAME`), when set.
  public var glooInterface: String?
  /// The address Gloo binds to (`ECG_GLOO_HOSTNAME`, set by `ecg launch --node_addr`), when set.
  public var glooHostname: String?

  /// Rank 0 alone writes run folders, checkpoints and logs.
  public var isMain: Bool { rank == 0 }

  public init(
    rank: Int, worldSize: Int, localRank: Int, localWorldSize: Int, masterAddress: String, masterPort: Int,
    glooInterface: String? = nil, glooHostname: String? = nil
  ) {
    self.rank = rank
    self.worldSize = worldSize
    self.localRank = localRank
    self.localWorldSize = localWorldSize
    self.masterAddress = masterAddress
    self.masterPort = masterPort
    self.glooInterface = glooInterface
    self.glooHostname = glooHostname
  }

  /// Reads the variables of torchrun (preferred when `RANK` is set) or SLURM.
  public init(environment: [String: String] = ProcessInfo.processInfo.environment) throws {
    func integer(_ name: String, _ value: String?) throws -> Int {
      guard let value, let number = Int(value), number >= 0 else {
        throw DistributedError.environment(
          "\(name) is \(value.map { "'\($0)'" } ?? "not set"); start the workers with `ecg launch "
            + "--nproc_per_node N -- ecg pretrain --distributed …` or torchrun, which set it")
      }
      return number
    }
    if environment["RANK"] != nil {
      rank = try integer("RANK", environment["RANK"])
      worldSize = try integer("WORLD_SIZE", environment["WORLD_SIZE"])
      localRank = try integer("LOCAL_RANK", environment["LOCAL_RANK"] ?? "0")
      localWorldSize = try integer("LOCAL_WORLD_SIZE", environment["LOCAL_WORLD_SIZE"] ?? String(worldSize))
    } else if environment["SLURM_PROCID"] != nil {
      rank = try integer("SLURM_PROCID", environment["SLURM_PROCID"])
      worldSize = try integer("SLURM_NTASKS", environment["SLURM_NTASKS"])
      localRank = try integer("SLURM_LOCALID", environment["SLURM_LOCALID"] ?? "0")
      // SLURM_NTASKS_PER_NODE may read "4(x2)"; the leading number is the tasks on this node.
      let perNode = environment["SLURM_NTASKS_PER_NODE"].map { String($0.prefix { $0.isNumber }) }
      localWorldSize = try integer("SLURM_NTASKS_PER_NODE", perNode ?? String(worldSize))
    } else {
      throw DistributedError.environment(
        "neither RANK (torchrun, ecg launch) nor SLURM_PROCID (srun) is set; start the workers with `ecg launch "
          + "--nproc_per_node N -- ecg pretrain --distributed …`")
    }
    guard worldSize >= 1, rank < worldSize, localRank < Swift.max(localWorldSize, 1) else {
      throw DistributedError.environment(
        "rank \(rank), local rank \(localRank) do not fit world size \(worldSize), local world size "
          + "\(localWorldSize)")
    }
    masterAddress = environment["MASTER_ADDR"] ?? environment["SLURM_LAUNCH_NODE_IPADDR"] ?? "127.0.0.1"
    masterPort = try integer("MASTER_PORT", environment["MASTER_PORT"] ?? "29500")
    glooInterface = environment["GLOO_SOCKET_IFNAME"].flatMap { $0.isEmpty ? nil : $0 }
    glooHostname = environment["ECG_GLOO_HOSTNAME"].flatMap { $0.isEmpty ? nil : $0 }
  }
}
