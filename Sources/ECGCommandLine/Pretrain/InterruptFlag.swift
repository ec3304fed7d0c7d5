import Foundation

/// Written only by the SIGINT handler (a plain store, async-signal-safe), read by the training thread.
nonisolated(unsafe) private var interruptCount: Int32 = 0

/// SIGINT (Ctrl-C) as a flag the trainer reads after each step: the first one lets the step finish and a
/// checkpoint be written; a second one ends the process at once (exit status 130).
final class InterruptFlag: Sendable {
  /// Installs the handler (process-wide) and unblocks SIGINT on the calling thread (a parent such as a test
  /// harness may have left it blocked, which would hold the signal back).
  func install() {
    interruptCount = 0
    var signals = sigset_t()
    sigemptyset(&signals)
    sigaddset(&signals, SIGINT)
    pthread_sigmask(SIG_UNBLOCK, &signals, nil)
    signal(SIGINT) { _ in
      interruptCount &+= 1
      if interruptCount > 1 { _exit(130) }
    }
  }

  var isRaised: Bool { interruptCount > 0 }

  /// Puts the default handler back.
  func uninstall() { signal(SIGINT, SIG_DFL) }
}
