import Foundation
import Torch

/// Builds items 0..<count on background threads (item b on worker b mod workers), at most `depth` items
/// ahead per worker, and hands them out in order. Items that come back nil are skipped.
final class PrefetchPipeline<Element: Sendable>: @unchecked Sendable {
  // All mutable state is guarded by `condition`.
  private let condition = NSCondition()
  private var ready: [Int: Element?] = [:]
  private var next = 0
  private var cancelled = false
  /// Workers still running; `cancel()` waits for none, so no worker outlives its consumer (a worker still
  /// building while the process exits would use libtorch during its teardown).
  private var running: Int
  private let count: Int
  private let workers: Int
  private let depth: Int

  init(count: Int, workers: Int, depth: Int, build: @escaping @Sendable (Int) -> Element?) {
    self.count = count
    self.workers = workers
    self.depth = depth
    running = workers
    for worker in 0..<workers {
      let thread = Thread { [self] in self.run(worker: worker, build: build) }
      thread.name = "ecg-loader-\(worker)"
      thread.start()
    }
  }

  /// Stops the workers after the items they are building (when the consumer stops early) and waits for them.
  func cancel() {
    condition.lock()
    cancelled = true
    condition.broadcast()
    while running > 0 { condition.wait() }
    condition.unlock()
  }

  private func run(worker: Int, build: (Int) -> Element?) {
    defer {
      condition.lock()
      running -= 1
      condition.broadcast()
      condition.unlock()
    }
    Torch.setIntraOpThreadsForCurrentThread(1)
    for b in stride(from: worker, to: count, by: workers) {
      condition.lock()
      while !cancelled && b - next >= depth * workers { condition.wait() }
      let stop = cancelled
      condition.unlock()
      if stop { return }
      let element = build(b)
      condition.lock()
      ready[b] = .some(element)
      condition.broadcast()
      condition.unlock()
    }
  }

  /// The next built element in order, waiting for it; nil at the end.
  func take() -> Element? {
    condition.lock()
    defer { condition.unlock() }
    while next < count {
      while ready[next] == nil { condition.wait() }
      let element = ready.removeValue(forKey: next)!
      next += 1
      condition.broadcast()
      if let element { return element }
    }
    return nil
  }

  /// An iterator over the elements; dropping it stops the workers.
  func makeIterator() -> AnyIterator<Element> {
    let handle = ConsumerHandle(self)
    return AnyIterator { handle.pipeline.take() }
  }
}

/// Held by the consumer's iterator: when it goes away (end reached or the consumer stopped early), the
/// workers are told to stop so none stays blocked on a full buffer.
private final class ConsumerHandle<Element: Sendable> {
  let pipeline: PrefetchPipeline<Element>
  init(_ pipeline: PrefetchPipeline<Element>) { self.pipeline = pipeline }
  deinit { pipeline.cancel() }
}
