import Foundation
import Testing

@testable import ECGCommandLine

/// `ecg launch`'s process supervision, with shell scripts as workers.
@Suite struct WorkerGroupTests {
  static func worker(_ rank: Int, _ script: String) -> WorkerSpec {
    WorkerSpec(rank: rank, arguments: ["/bin/sh", "-c", script], environment: ["PATH": "/usr/bin:/bin"])
  }

  @Test func workersThatSucceedGiveNoFailure() throws {
    let group = WorkerGroup([Self.worker(0, "exit 0"), Self.worker(1, "sleep 0.2; exit 0")], grace: .seconds(5))
    #expect(try group.run() == nil)
  }

  @Test func theFirstFailureStopsTheOthersAndKeepsItsLastErrorLines() throws {
    let start = ContinuousClock.now
    let group = WorkerGroup(
      [
        Self.worker(0, "exec sleep 60"),
        Self.worker(1, "sleep 0.3; echo 'loading the store' >&2; echo 'Error: the store is damaged' >&2; exit 3"),
      ], grace: .seconds(5))
    let failure = try #require(try group.run())
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
    #expect(try group.run()?.lastLines == ["Error: one line in two writes"])
  }

  @Test func aWorkerThatIgnoresSIGTERMIsKilledAfterTheGrace() throws {
    let start = ContinuousClock.now
    let group = WorkerGroup(
      [Self.worker(0, "trap '' TERM; while :; do sleep 0.1; done"), Self.worker(1, "sleep 0.3; exit 2")],
      grace: .seconds(1))
    #expect(try group.run()?.status == 2)
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
      let failure = try? group.run()
      precondition(failure?.rank == 1 && failure?.status == 7, "\(String(describing: failure))")
      precondition(failure?.afterForwarding == SIGTERM, "\(String(describing: failure?.afterForwarding))")
    }
  }
}
