import CTorch

/// An error reported by libtorch, carrying its message.
public struct TorchError: Error, CustomStringConvertible, Sendable {
  /// The operation that failed, e.g. `matmul of [2, 3] and [4, 5]`.
  public let operation: String
  /// libtorch's message, without the C++ backtrace.
  public let message: String

  public init(operation: String, message: String) {
    self.operation = operation
    self.message = message
  }

  public var description: String { "\(operation) failed: \(message)" }

  /// Whether an allocation did not fit: CUDA's out-of-memory error or the CPU allocator's refusal.
  public var isOutOfMemory: Bool {
    message.contains("out of memory") || message.contains("can't allocate memory")
  }

  /// The error libtorch reported for the last failed call on this thread.
  static func last(_ operation: String) -> TorchError {
    let error = TorchError(operation: operation, message: String(cString: ct_last_error()))
    ct_clear_error()
    return error
  }
}

extension Torch {
  /// What a libtorch failure outside any `Torch.catching` scope does when memory ran out (on the CPU or a GPU).
  /// The default stops the program like any other failure; a command-line tool may set it once at startup to
  /// print one sentence and exit instead of a crash report (ecg does). It must not return.
  nonisolated(unsafe) public static var outOfMemoryStop: @Sendable (TorchError) -> Never = { error in
    fatalError("libtorch: \(error)")
  }

  /// Runs `body` and turns the first libtorch failure inside it into a thrown `TorchError` instead of
  /// stopping the program. After a failure the failed operation yields an empty placeholder tensor, so the
  /// rest of `body` runs on without meaning; its result is discarded when an error is thrown.
  ///
  ///     let product = try Torch.catching { a.matmul(b) }   // throws "mat1 and mat2 shapes cannot be multiplied"
  public static func catching<R>(_ body: () throws -> R) throws -> R {
    if ct_error_scope_begin() < 0 { throw TorchError.last("opening an error scope") }
    let result: R
    do {
      result = try body()
    } catch {
      ct_free_string(ct_error_scope_end())
      throw error
    }
    if let message = ct_error_scope_end() {
      defer { ct_free_string(message) }
      throw TorchErrorInScope.parse(String(cString: message))
    }
    return result
  }
}

/// Scope errors are stored as "operation\u{1}message".
enum TorchErrorInScope {
  static let separator: Character = "\u{1}"
  static func parse(_ text: String) -> TorchError {
    guard let split = text.firstIndex(of: separator) else { return TorchError(operation: "libtorch", message: text) }
    return TorchError(operation: String(text[..<split]), message: String(text[text.index(after: split)...]))
  }
}

/// Reports a libtorch failure: recorded in the innermost `Torch.catching` scope when one is open (returns
/// normally), otherwise stops the program with libtorch's message. Stopping is for programming errors
/// inside the library (a shape mismatch in model code), as DESIGN §2 allows.
func reportFailure(_ operation: String, file: StaticString = #file, line: UInt = #line) {
  let message = String(cString: ct_last_error())
  ct_clear_error()
  reportFailure(operation, message: message, file: file, line: line)
}

/// `reportFailure` with the message at hand (a failure found on the Swift side).
func reportFailure(_ operation: String, message: String, file: StaticString = #file, line: UInt = #line) {
  if ct_error_scope_record(operation + String(TorchErrorInScope.separator) + message) == 0 {
    stop(TorchError(operation: operation, message: message), file: file, line: line)
  }
}

/// Stops the program with libtorch's message, whatever scope is open (for failures with no sensible
/// placeholder value).
func torchFailure(_ operation: String, file: StaticString = #file, line: UInt = #line) -> Never {
  stop(TorchError.last(operation), file: file, line: line)
}

/// Stops the program with `error`, through `Torch.outOfMemoryStop` when memory ran out.
private func stop(_ error: TorchError, file: StaticString, line: UInt) -> Never {
  if error.isOutOfMemory { Torch.outOfMemoryStop(error) }
  fatalError("libtorch: \(error)", file: file, line: line)
}

/// Wraps a handle returned by the C API; on failure reports it (see `reportFailure`) and yields an empty
/// placeholder tensor inside a `Torch.catching` scope.
@inline(__always)
func wrap(_ handle: ct_tensor?, _ operation: @autoclosure () -> String) -> Tensor {
  if let handle { return Tensor(handle: handle) }
  reportFailure(operation())
  return Tensor(handle: ct_empty(nil, 0, DType.float32.rawValue, 0, 0)!)
}

/// Checks the status of an int-returning C API call.
@inline(__always)
func check(_ status: Int32, _ operation: @autoclosure () -> String) {
  if status < 0 { reportFailure(operation()) }
}
