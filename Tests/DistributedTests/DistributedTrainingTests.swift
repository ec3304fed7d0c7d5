import Foundation
import Testing

/// Two worker processes on loopback over Gloo (DistributedWorker), against one process.
@Suite(.serialized) struct DistributedTrainingTests {
  @Test func collectivesGiveTheSameValuesOnEveryRank() throws {
    let results = try WorkerProcesses.run(["collectives"], world: 2)
    expectEveryRankSucceeded(results)
  }

  @Test func twoRanksWithBatchBMatchOneProcessWithBatch2B() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ddp-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let alone = folder.appendingPathComponent("alone.bin").path
    let pair = folder.appendingPathComponent("pair.bin").path

    let single = try WorkerProcesses.runAlone(["dit", "4", "4", alone])
    #expect(single.status == 0, "\(single.standardError)")
    let results = try WorkerProcesses.run(["dit", "4", "2", pair], world: 2)
    expectEveryRankSucceeded(results)
    let expected = try floats(alone)
    let actual = try floats(pair)
    #expect(expected.count == actual.count && !expected.isEmpty)
    let largest = largestDifference(expected, actual)
    #expect(largest < 1e-5, "largest weight difference \(largest)")
    // Steps 2…4 moved the weights well beyond the tolerance: otherwise equality would prove little.
    let oneStep = try WorkerProcesses.runAlone(["dit", "1", "4", alone])
    #expect(oneStep.status == 0, "\(oneStep.standardError)")
    let moved = zip(try floats(alone), expected).map { abs($0 - $1) }.max() ?? 0
    #expect(moved > 1e-4, "training did not change the weights (\(moved))")
  }

  /// The survivor's next collective after the failed one fails at once (status 4 from the worker otherwise).
  @Test func aRankThatDiesMakesTheOthersFailWithinTheTimeout() throws {
    let start = Date()
    let results = try WorkerProcesses.run(["die", "10"], world: 2)
    let elapsed = Date().timeIntervalSince(start)
    #expect(results[1].status == 3)
    #expect(results[0].status == 1)
    #expect(results[0].standardError.contains("all_reduce failed"), "\(results[0].standardError)")
    #expect(elapsed < 40, "took \(elapsed) s")
  }

  /// A rank whose rendezvous server never comes fails with one worded line: c10d logged its error and C++ backtrace
  /// to stderr before (TORCH_CPP_LOG_LEVEL still shows them).
  @Test func aRendezvousWithNoServerFailsInOneLine() throws {
    let results = try WorkerProcesses.run(["join", "1"], world: 2, ranks: [1])
    let message = results[0].standardError
    #expect(results[0].status == 1)
    #expect(message.contains("distributed rendezvous"), "\(message)")
    #expect(!message.contains("frame #") && !message.contains("[c10d]"), "\(message)")
    #expect(message.split(separator: "\n").count == 1, "\(message)")
  }

  /// A peer gone before MERL's forward pass: SyncBatchNorm's all-gather fails inside the forward, which cannot
  /// throw; the trainer turns it into a thrown error (status 1 with c10d's reason), not a crash.
  @Test func aRankThatDiesBeforeAForwardAllGatherMakesTheOthersThrow() throws {
    let start = Date()
    let results = try WorkerProcesses.run(["merl-peer-leaves", "10"], world: 2)
    let elapsed = Date().timeIntervalSince(start)
    #expect(results[1].status == 3)
    #expect(results[0].status == 1, "\(results[0].standardError)")
    let message = results[0].standardError
    #expect(message.contains("distributed all_gather of [1, 9] in the forward pass failed"), "\(message)")
    #expect(elapsed < 40, "took \(elapsed) s")
  }

  @Test func twoNodesOnTwoLoopbackAddressesTrainAndCheckpoint() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ddp-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let results = try WorkerProcesses.run(["checkpoint", folder.path], world: 2) { rank in
      ["LOCAL_RANK": "0", "LOCAL_WORLD_SIZE": "1", "ECG_GLOO_HOSTNAME": "127.0.0.\(rank + 1)"]
    }
    expectEveryRankSucceeded(results)
    let written = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    #expect(!written.isEmpty, "rank 0 wrote no checkpoint")
  }

  /// MERL with --sync_bn: BatchNorm over the global batch and the contrastive terms over the all-gathered
  /// embeddings make 2 ranks × 2 rows train exactly as one process with 4 rows (weights and running statistics).
  @Test func merlWithSyncBatchNormOnTwoRanksMatchesOneProcessWithTheGlobalBatch() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let prefix = folder.appendingPathComponent("merl").path

    let single = try WorkerProcesses.runAlone(["merl", "3", "4", "0", prefix + "-alone"])
    #expect(single.status == 0, "\(single.standardError)")
    let synced = try WorkerProcesses.run(["merl", "3", "2", "1", prefix + "-sync"], world: 2)
    expectEveryRankSucceeded(synced)
    let expected = try floats(prefix + "-alone.0")
    let actual = try floats(prefix + "-sync.0")
    #expect(expected.count == actual.count && !expected.isEmpty)
    let largest = largestDifference(expected, actual)
    #expect(largest < 1e-5, "largest difference to one process \(largest)")
    #expect(try floats(prefix + "-sync.1") == actual, "the ranks' weights differ")

    // Per-rank statistics (the reference's default) are a different computation: the comparison can fail.
    let perRank = try WorkerProcesses.run(["merl", "3", "2", "0", prefix + "-local"], world: 2)
    #expect(perRank.allSatisfy { $0.status == 0 }, "\(perRank.map(\.standardError))")
    let apart = zip(expected, try floats(prefix + "-local.0")).map { abs($0 - $1) }.max() ?? 0
    #expect(apart > 1e-3, "per-rank BatchNorm matched the global batch (\(apart))")
  }

  @Test func merlWithPerRankBatchNormTrainsAndCheckpointsOnTwoRanks() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let results = try WorkerProcesses.run(["merl-checkpoint", folder.path], world: 2)
    expectEveryRankSucceeded(results)
    let written = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    #expect(written.contains("epoch_0"), "rank 0 wrote \(written)")
  }

  /// DDP's no_sync: gradients all-reduced only on a window's last micro-batch give the weights of an all-reduce
  /// after every micro-batch, on both ranks.
  @Test func accumulationWithoutSyncEqualsSyncingEveryMicroBatch() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let prefix = folder.appendingPathComponent("accumulate").path
    for (mode, suffix) in [("0", "-last"), ("1", "-every")] {
      let results = try WorkerProcesses.run(["accumulate", mode, prefix + suffix], world: 2)
      expectEveryRankSucceeded(results)
    }
    let last = try floats(prefix + "-last.0")
    let every = try floats(prefix + "-every.0")
    #expect(last.count == every.count && !last.isEmpty)
    let largest = largestDifference(last, every)
    #expect(largest < 1e-6, "largest weight difference \(largest)")
    #expect(try floats(prefix + "-last.1") == last, "the ranks' weights differ without per-micro-batch sync")
  }

  private func temporaryFolder() throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ddp-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
  }

  private func expectEveryRankSucceeded(
    _ results: [WorkerProcesses.Finished], sourceLocation: SourceLocation = #_sourceLocation
  ) {
    for (rank, result) in results.enumerated() {
      #expect(result.status == 0, "rank \(rank): \(result.standardError)", sourceLocation: sourceLocation)
    }
  }

  /// The largest element-wise difference of two equally long weight lists (infinity when either is empty).
  private func largestDifference(_ a: [Float], _ b: [Float]) -> Float {
    zip(a, b).map { abs($0 - $1) }.max() ?? .infinity
  }

  private func floats(_ path: String) throws -> [Float] {
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    return data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
  }
}
