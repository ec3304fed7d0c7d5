import Testing
import Torch

@testable import ECGCommandLine

/// `ecg pretrain --distributed`: which GPU each process trains on.
@Suite struct PretrainDistributedDeviceTests {
  @Test func plainCUDAIsTheLocalRanksGPU() {
    #expect(PretrainDistributed.device("cuda", localRank: 0) == .cuda(0))
    #expect(PretrainDistributed.device("cuda", localRank: 3) == .cuda(3))
  }

  @Test func anExplicitIndexOrTheCPUStaysAsGiven() {
    #expect(PretrainDistributed.device("cuda:1", localRank: 3) == .cuda(1))
    #expect(PretrainDistributed.device("cpu", localRank: 3) == .cpu)
    #expect(PretrainDistributed.device("tpu", localRank: 0) == nil)
  }
}
