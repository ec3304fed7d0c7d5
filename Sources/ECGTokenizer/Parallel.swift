import Dispatch
import Foundation

/// Maps `0..<count` through `transform` on up to `threads` threads (default: all cores), keeping order.
/// `transform` must be safe to call concurrently.
func parallelMap<T>(_ count: Int, threads: Int? = nil, _ transform: (Int) throws -> T) rethrows -> [T] {
  let workers = max(1, min(threads ?? ProcessInfo.processInfo.activeProcessorCount, count))
  if workers <= 1 { return try (0..<count).map(transform) }
  return try withoutActuallyEscaping(transform) { transform in
    nonisolated(unsafe) let transform = transform
    var results = [Result<T, Error>?](repeating: nil, count: count)
    results.withUnsafeMutableBufferPointer { buffer in
      nonisolated(unsafe) let output = buffer
      DispatchQueue.concurrentPerform(iterations: workers) { worker in
        var index = worker
        while index < count {
          output[index] = Result { try transform(index) }
          index += workers
        }
      }
    }
    return try results.map { try $0!.get() }
  }
}
