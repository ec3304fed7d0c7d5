import Testing

/// The child's standard error, shown when an exit test fails (a precondition's message names what differed).
func reportFailure(_ result: ExitTest.Result?) {
  guard let result, result.exitStatus != .exitCode(0) else { return }
  let text = String(decoding: result.standardErrorContent, as: UTF8.self)
  Issue.record("the child process failed:\n\(text.suffix(2000))")
}
