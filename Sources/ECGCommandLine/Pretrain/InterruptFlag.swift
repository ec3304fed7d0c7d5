import Foundation

/// Written only by the signal handler (plain stores, async-signal-safe), read by the training thread.
nonisolated(unsafe) private var interruptCount: Int32 = 0
nonisolated(unsafe) private var firstInterruptSignal: Int32 = 0

/// SIGINT (Ctrl-C) and SIGTERM (what `timeout`, `kill`, SLURM's preemption, `docker stop` and `ecg launch` send) as
/// a flag the trainer reads after each step: the first one lets the step finish and a checkpoint be written; a
/// second one ends the process at once (exit status 128 + the signal: 130 for SIGINT, 143 for SIGTERM).
final class InterruptFlag: Sendable {
  static let signals = [SIGINT, SIGTERM]

  /// Installs the handler (process-wide) and unblocks the signals on the calling thread (a parent such as a test
  /// harness may have left them blocked, which would hold them back).
  func install() {
    interruptCount = 0
    firstInterruptSignal = 0
    var blocked = sigset_t()
    sigemptyset(&blocked)
    for signalNumber in Self.signals { sigaddset(&blocked, signalNumber) }
    pthread_sigmask(SIG_UNBLOCK, &blocked, nil)
    for signalNumber in Self.signals {
      signal(signalNumber) { received in
        if interruptCount > 0 { _exit(128 &+ received) }
        firstInterruptSignal = received
        interruptCount = 1
      }
    }
  }

  var isRaised: Bool { interruptCount > 0 }

  /// The signal that raised the flag ("SIGINT", "SIGTERM"), nil while it is down.
  var signalName: String? {
    switch firstInterruptSignal {
    case SIGINT: "SIGINT"
    case SIGTERM: "SIGTERM"
    default: nil
    }
  }

  /// 128 + the signal that raised the flag (130 for SIGINT, 143 for SIGTERM), as a shell reports a process it
  /// ended; 130 while the flag is down.
  var exitStatus: Int32 { 128 + (firstInterruptSignal == 0 ? SIGINT : firstInterruptSignal) }

  /// Puts the default handlers back.
  func uninstall() {
    for signalNumber in Self.signals { signal(signalNumber, SIG_DFL) }
  }
}
