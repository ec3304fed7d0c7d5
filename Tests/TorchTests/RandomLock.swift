import Synchronization

/// libtorch's default generator is process-wide: tests that seed it or draw from it hold this lock so
/// concurrently running suites do not interleave their draws.
let randomStreamLock = Mutex(())

func withRandomStream<R>(_ body: () throws -> R) rethrows -> R {
  try randomStreamLock.withLock { _ in try body() }
}
