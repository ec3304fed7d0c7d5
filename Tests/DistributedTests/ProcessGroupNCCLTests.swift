import Foundation
import Testing
import Torch

/// NCCL for CUDA tensors, loaded at run time: without CUDA the request fails with the reason, never a crash; CPU
/// collectives stay on Gloo whatever else the group holds.
@Suite struct ProcessGroupNCCLTests {
  func soloEnvironment() -> DistributedEnvironment {
    DistributedEnvironment(
      rank: 0, worldSize: 1, localRank: 0, localWorldSize: 1, masterAddress: "127.0.0.1",
      masterPort: WorkerProcesses.freePort())
  }

  @Test(.enabled(if: !Device.isCUDAAvailable, "this machine has CUDA: NCCL would load"))
  func aCUDAGroupWithoutCUDAFailsWithTheReasonBeforeAnyRendezvous() {
    let start = Date()
    do {
      _ = try ProcessGroup(environment: soloEnvironment(), device: .cuda(0), timeout: .seconds(30))
      Issue.record("a CUDA process group was created without CUDA")
    } catch let error as DistributedError {
      guard case .unavailable(let message) = error else {
        Issue.record("expected .unavailable, got \(error)")
        return
      }
      #expect(error.description == message)
      #expect(message.hasPrefix("NCCL needs a CUDA build of libtorch and a GPU: "), "\(message)")
      #expect(message.contains("libtorch_cuda.so"), "\(message)")
    } catch {
      Issue.record("unexpected error \(error)")
    }
    // Failing before the rendezvous means no wait for peers or the timeout.
    #expect(Date().timeIntervalSince(start) < 10)
  }

  @Test func aCPUGroupRunsItsCollectivesOnGloo() throws {
    let group = try ProcessGroup(environment: soloEnvironment(), timeout: .seconds(30))
    #expect(group.device == .cpu)
    #expect(try group.mean(2.5) == 2.5)
    #expect(try group.broadcast(true) == true)
    let values = Tensor([Float(1), 2, 3])
    try group.allReduce([values], .max)
    #expect(values.toArray(of: Float.self) == [1, 2, 3])
    #expect(try group.allGather(values).shape == [3])
    try group.barrier()
  }
}
