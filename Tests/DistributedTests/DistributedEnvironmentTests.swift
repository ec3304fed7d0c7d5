import Testing

@testable import Torch

/// Reading torchrun's and SLURM's variables.
@Suite struct DistributedEnvironmentTests {
  /// Was a rendezvous timeout after twice --dist_timeout, with the advice to raise it.
  @Test func aMasterAddressThatDoesNotResolveIsRefusedAtOnce() {
    for address in ["no.such.host.invalid", ""] {
      let environment = DistributedEnvironment(
        rank: 1, worldSize: 2, localRank: 1, localWorldSize: 2, masterAddress: address, masterPort: 29_999)
      let start = ContinuousClock.now
      #expect {
        _ = try ProcessGroup(environment: environment, timeout: .seconds(30))
      } throws: { error in
        "\(error)".contains("MASTER_ADDR '\(address)' does not resolve")
      }
      #expect(ContinuousClock.now - start < .seconds(10))
    }
    #expect(ProcessGroup.resolutionProblem("127.0.0.1") == nil && ProcessGroup.resolutionProblem("localhost") == nil)
  }

  @Test func collectiveFailuresGiveOneLineAndTheAdviceThatFits() {
    let timeout = DistributedError.collective(
      operation: "rendezvous", message: "timed out connecting to (127.0.0.1, 29541).\nException raised from x")
    #expect(
      "\(timeout)".hasPrefix("distributed rendezvous failed: timed out connecting to (127.0.0.1, 29541). Another"))
    #expect(!"\(timeout)".contains("Exception raised") && !"\(timeout)".contains(".."))
    let taken = DistributedError.collective(
      operation: "rendezvous", message: "The server socket has failed to bind. (errno: 98 - EADDRINUSE)")
    #expect("\(taken)".contains("pass another --master_port"))
  }

  @Test func torchrunVariables() throws {
    let environment = try DistributedEnvironment(environment: [
      "RANK": "5", "WORLD_SIZE": "8", "LOCAL_RANK": "1", "LOCAL_WORLD_SIZE": "4", "MASTER_ADDR": "10.0.0.1",
      "MASTER_PORT": "29400", "GLOO_SOCKET_IFNAME": "eth0",
    ])
    #expect(
      environment
        == DistributedEnvironment(
          rank: 5, worldSize: 8, localRank: 1, localWorldSize: 4, masterAddress: "10.0.0.1", masterPort: 29400,
          glooInterface: "eth0"))
    #expect(!environment.isMain)
  }

  @Test func slurmVariablesWithTheTasksPerNodeNotation() throws {
    let environment = try DistributedEnvironment(environment: [
      "SLURM_PROCID": "3", "SLURM_NTASKS": "4", "SLURM_LOCALID": "1", "SLURM_NTASKS_PER_NODE": "2(x2)",
      "MASTER_ADDR": "node01",
    ])
    #expect(environment.rank == 3 && environment.worldSize == 4)
    #expect(environment.localRank == 1 && environment.localWorldSize == 2)
    #expect(environment.masterAddress == "node01" && environment.masterPort == 29500)
  }

  @Test func missingOrInconsistentVariablesSayWhatToDo() {
    #expect(throws: DistributedError.self) { try DistributedEnvironment(environment: [:]) }
    #expect(throws: DistributedError.self) {
      try DistributedEnvironment(environment: ["RANK": "2", "WORLD_SIZE": "2"])
    }
    do {
      _ = try DistributedEnvironment(environment: ["RANK": "0"])
      Issue.record("WORLD_SIZE missing was accepted")
    } catch {
      #expect("\(error)".contains("WORLD_SIZE is not set") && "\(error)".contains("ecg launch"))
    }
  }
}
