import Foundation
import Testing
import Torch

@testable import ECGCommandLine

/// `ecg launch`'s process supervision, with shell scripts as workers.
@Suite struct WorkerGroupTests {
  static func worker(_ rank: Int, _ script: String) -> WorkerSpec {
    WorkerSpec(rank: rank, arguments: ["/bin/sh", "-c", script], environment: ["PATH": "/usr/bin:/bin"])
  }

  @Test func workersThatSucceedGiveNoFailure() throws {
    let group = WorkerGroup([Self.worker(0, "exit 0"), Self.worker(1, "sleep 0.2; exit 0")], grace: .seconds(5))
    guard case .completed = try group.run() else { return #expect(Bool(false), "not completed") }
  }

  @Test func theFirstFailureStopsTheOthersAndKeepsItsLastErrorLines() throws {
    let start = ContinuousClock.now
    let group = WorkerGroup(
      [
        Self.worker(0, "exec sleep 60"),
        Self.worker(1, "sleep 0.3; echo 'loading the store' >&2; echo 'Error: the store is damaged' >&2; exit 3"),
      ], grace: .seconds(5))
    let failure = try #require(try group.run().failure)
    #expect(failure.rank == 1 && failure.status == 3)
    #expect(failure.lastLines.suffix(2) == ["loading the store", "Error: the store is damaged"])
    #expect(failure.afterForwarding == nil)
    // Rank 0 was sent SIGTERM at once rather than left to sleep out its minute.
    #expect(ContinuousClock.now - start < .seconds(20))
  }

  @Test func aLineWrittenInSeveralChunksIsKeptWhole() throws {
    let group = WorkerGroup(
      [Self.worker(0, "printf 'E' >&2; sleep 0.1; printf 'rror: one line in two writes\\n' >&2; exit 3")],
      grace: .seconds(1))
    #expect(try group.run().failure?.lastLines == ["Error: one line in two writes"])
  }

  @Test func aWorkerThatIgnoresSIGTERMIsKilledAfterTheGrace() throws {
    let start = ContinuousClock.now
    let group = WorkerGroup(
      [Self.worker(0, "trap '' TERM; while :; do sleep 0.1; done"), Self.worker(1, "sleep 0.3; exit 2")],
      grace: .seconds(1))
    #expect(try group.run().failure?.status == 2)
    #expect(ContinuousClock.now - start < .seconds(20))
  }

  @Test func launchFlagsNameTheirBoundsAlsoForNegativeNumbers() {
    func message(_ arguments: [String]) -> String {
      do {
        _ = try LaunchCommand.parse(arguments)
        return "accepted"
      } catch {
        return LaunchCommand.message(for: error)
      }
    }
    #expect(message(["--grace", "-1", "--", "true"]) == "--grace must be 0 or more seconds, got -1")
    #expect(message(["--nproc_per_node", "-1", "--", "true"]).contains("--nproc_per_node and --nnodes must be ≥ 1"))
    #expect(message(["--nnodes", "2", "--node_rank", "2", "--", "true"]).contains("must be in 0..<2"))
    #expect(message(["--nproc_per_node", "2", "--", "true"]) == "accepted")
    // Was an arithmetic-overflow trap (--nproc_per_node × --nnodes).
    #expect(
      message(["--nproc_per_node", "4611686018427387904", "--nnodes", "4", "--", "true"]).contains("more than 1024"))
  }

  @Test func aMissingCommandIsNamed() {
    let group = WorkerGroup(
      [WorkerSpec(rank: 0, arguments: ["no-such-ecg-worker"], environment: ["PATH": "/usr/bin:/bin"])],
      grace: .seconds(1))
    #expect(throws: CommandError.self) { try group.run() }
  }

  /// SIGTERM sent to the launcher reaches every worker; a worker that then fails is reported as stopped by it.
  @Test func sigtermToTheLauncherIsForwardedToEveryWorker() async {
    await #expect(processExitsWith: .success) {
      let group = WorkerGroup(
        [
          // The trap ends the background sleep too, which otherwise holds the test's output open for a minute.
          Self.worker(0, "trap 'kill $!; exit 0' TERM; sleep 60 & wait"),
          Self.worker(1, "trap 'kill $!; exit 7' TERM; sleep 60 & wait"),
        ], grace: .seconds(5))
      Thread.detachNewThread {
        Thread.sleep(forTimeInterval: 1)
        kill(getpid(), SIGTERM)
      }
      let failure = try? group.run().failure
      precondition(failure?.rank == 1 && failure?.status == 7, "\(String(describing: failure))")
      precondition(failure?.afterForwarding == SIGTERM, "\(String(describing: failure?.afterForwarding))")
    }
  }

  /// The resume hint of a multi-node run starts every node again (it told one node to start the whole world).
  @Test func theResumeHintStartsTheSameWorld() {
    func environment(world: Int, perNode: Int) -> DistributedEnvironment {
      DistributedEnvironment(
        rank: 0, worldSize: world, localRank: 0, localWorldSize: perNode, masterAddress: "10.0.0.1", masterPort: 29500)
    }
    #expect(
      PretrainDistributed.resumeLauncher(environment(world: 2, perNode: 2)) == ("ecg launch --nproc_per_node 2 -- ", "")
    )
    let nodes = PretrainDistributed.resumeLauncher(environment(world: 16, perNode: 8))
    #expect(
      nodes.prefix
        == "ecg launch --nnodes 2 --node_rank R --master_addr 10.0.0.1 --master_port 29500 --nproc_per_node 8 -- ")
    #expect(nodes.onEachNode == " on each node, R its index (0 on this one)")
  }

  /// After a forwarded SIGTERM, a rank that stops at once (status 143) is no failure: rank 0, still writing its
  /// interrupt checkpoint, is left to finish instead of getting a second signal (which ends a worker at once).
  @Test func aWorkerThatStopsAsAskedLetsTheOthersFinishTheirStop() async {
    await #expect(processExitsWith: .success) {
      let marker = FileManager.default.temporaryDirectory.appendingPathComponent("stop-\(UUID().uuidString)").path
      defer { try? FileManager.default.removeItem(atPath: marker) }
      let group = WorkerGroup(
        [
          // A second TERM would end it before the marker: the "checkpoint" takes a second.
          Self.worker(
            0, "trap 'trap \"exit 99\" TERM; kill $!; sleep 1; touch \(marker); exit 143' TERM; sleep 60 & wait"),
          Self.worker(1, "trap 'kill $!; exit 143' TERM; sleep 60 & wait"),
        ], grace: .seconds(5))
      Thread.detachNewThread {
        Thread.sleep(forTimeInterval: 1)
        kill(getpid(), SIGTERM)
      }
      guard case .stopped(let signalNumber)? = try? group.run() else { preconditionFailure("not stopped") }
      precondition(signalNumber == SIGTERM)
      precondition(FileManager.default.fileExists(atPath: marker), "rank 0 was cut short")
    }
  }

  /// Each worker leads its own process group, so a signal to the launcher's group (a terminal's Ctrl-C) reaches
  /// the workers once, through the launcher.
  @Test func workersAreOutsideTheLaunchersProcessGroup() async {
    await #expect(processExitsWith: .success) {
      let file = FileManager.default.temporaryDirectory.appendingPathComponent("pgid-\(UUID().uuidString)").path
      defer { try? FileManager.default.removeItem(atPath: file) }
      let group = WorkerGroup([Self.worker(0, "ps -o pgid= -p $$ > \(file)")], grace: .seconds(5))
      guard case .completed? = try? group.run() else { preconditionFailure("the worker failed") }
      let pgid = (try? String(contentsOfFile: file, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
      precondition(pgid != nil && pgid != String(getpgrp()), "worker pgid \(pgid ?? "?"), launcher \(getpgrp())")
    }
  }
}

extension WorkerGroup.Outcome {
  /// The failure, nil when the workers completed or stopped as asked.
  var failure: WorkerGroup.Failure? {
    if case .failed(let failure) = self { return failure }
    return nil
  }
}
