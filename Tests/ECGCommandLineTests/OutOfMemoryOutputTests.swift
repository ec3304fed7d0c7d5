import Foundation
import Testing
import Torch

@testable import ECGCommandLine

/// Memory that runs out in a tensor operation ends `ecg` with one sentence and status 1, not a crash report.
@Suite struct OutOfMemoryOutputTests {
  @Test func endsWithOneSentenceAndWhatToDo() async {
    let result = await #expect(processExitsWith: .exitCode(1), observing: [\.standardErrorContent]) {
      ErrorOutput.installOutOfMemoryStop()
      _ = Tensor.empty([1 << 48])
    }
    let text = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
    #expect(text.hasPrefix("Error: out of memory in "), "\(text)")
    #expect(text.contains("--batch_size") && text.contains("--resume"), "\(text)")
    #expect(!text.contains("Program crashed"), "\(text)")
  }
}
