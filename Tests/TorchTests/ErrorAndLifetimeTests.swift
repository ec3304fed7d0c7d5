import Foundation
import Testing
import Torch

@Suite struct ErrorTests {
  @Test func shapeMismatchBecomesASwiftErrorWithLibtorchsMessage() {
    let a = Tensor.zeros([2, 3])
    let b = Tensor.zeros([4, 5])
    do {
      _ = try Torch.catching { a.matmul(b) }
      Issue.record("matmul of [2, 3] and [4, 5] did not fail")
    } catch let error as TorchError {
      #expect(error.operation.contains("matmul"))
      #expect(error.message.contains("cannot be multiplied"))
    } catch {
      Issue.record("unexpected error \(error)")
    }
  }

  @Test func firstErrorWinsAndScopesNest() throws {
    #expect(throws: TorchError.self) {
      try Torch.catching {
        _ = Tensor.zeros([2]).reshape(3)
        _ = Tensor.zeros([2]) + Tensor.zeros([3])
      }
    }
    let fine = try Torch.catching { (Tensor.ones([2]) * 2).sum().item() }
    #expect(fine == 4)
    // An inner scope catches its own failure; the outer one then succeeds.
    let inner = try Torch.catching { try? Torch.catching { Tensor.zeros([2]).reshape(3) } }
    #expect(inner == nil)
  }

  /// 2^48 floats exceed any machine's address space: the allocation fails whatever the overcommit policy.
  @Test func anAllocationThatCannotFitIsAnOutOfMemoryError() {
    let error = #expect(throws: TorchError.self) { try Torch.catching { Tensor.empty([1 << 48]) } }
    #expect(error?.isOutOfMemory == true, "\(String(describing: error))")
    let shape = #expect(throws: TorchError.self) { try Torch.catching { Tensor.zeros([2]).reshape(3) } }
    #expect(shape?.isOutOfMemory == false)
  }

  @Test func uncaughtOutOfMemoryGoesThroughTheReplaceableStop() async {
    let result = await #expect(processExitsWith: .exitCode(7), observing: [\.standardErrorContent]) {
      Torch.outOfMemoryStop = { error in
        FileHandle.standardError.write(Data("stopped: \(error.isOutOfMemory)\n".utf8))
        exit(7)
      }
      _ = Tensor.empty([1 << 48])
    }
    let text = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
    #expect(text.contains("stopped: true"), "\(text)")
  }

  @Test func uncaughtLibtorchErrorsStopWithTheMessage() async {
    await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Tensor.zeros([2, 3]).matmul(Tensor.zeros([4, 5]))
    }
  }
}

/// Resident memory is process-wide and other suites allocate concurrently, so the check runs in a child
/// process of its own.
@Suite struct LifetimeTests {
  @Test func droppingTensorsFreesTheirHandlesAndMemory() async {
    await #expect(processExitsWith: .success) {
      func residentBytes() -> Int {
        guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
          let pages = statm.split(separator: " ").dropFirst().first.flatMap({ Int($0) })
        else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
      }
      for _ in 0..<2_000 { _ = Tensor.ones([1024]) * 2 }  // warm up allocator caches
      let handlesBefore = Torch.liveTensorCount
      let before = residentBytes()
      for i in 0..<100_000 {
        let t = Tensor.full([1024], Double(i)) + 1
        _ = t.sum()
      }
      let growth = residentBytes() - before
      precondition(
        Torch.liveTensorCount == handlesBefore, "tensor handles leaked: \(Torch.liveTensorCount - handlesBefore)")
      // 100k leaked tensors of 4 KiB would be over 400 MB.
      precondition(growth < 32 << 20, "resident memory grew by \(growth) bytes")
    }
  }
}
