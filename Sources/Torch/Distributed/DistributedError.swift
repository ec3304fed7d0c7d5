/// A failure of the distributed runtime, with what to do about it.
public enum DistributedError: Error, CustomStringConvertible, Sendable {
  /// A launcher variable is missing or malformed.
  case environment(String)
  /// The rendezvous or a collective failed: a peer died, the network dropped, or the timeout passed.
  case collective(operation: String, message: String)
  /// A backend this build or machine cannot provide (NCCL without CUDA), with the reason.
  case unavailable(String)

  /// The failure without the advice: "all_reduce: <c10d's message>".
  public var reason: String {
    switch self {
    case .environment(let message), .unavailable(let message): return message
    case .collective(let operation, let message): return "\(operation): \(message)"
    }
  }

  public var description: String {
    switch self {
    case .environment(let message):
      return "distributed environment: \(message)"
    case .unavailable(let message):
      return message
    case .collective(let operation, let message):
      let first = message.split(separator: "\n").first.map(String.init) ?? message
      let said = first.hasSuffix(".") ? String(first.dropLast()) : first
      if Self.isPortInUse(message) {
        return "distributed \(operation) failed: \(said). MASTER_PORT is taken by another program (or an earlier "
          + "run still holds it): pass another --master_port to ecg launch, or set MASTER_PORT."
      }
      return "distributed \(operation) failed: \(said). Another rank probably stopped (see its error) or is "
        + "unreachable; every rank must run the same command and reach MASTER_ADDR:MASTER_PORT "
        + "(raise --dist_timeout for slow starts)."
    }
  }

  /// c10d's words for a rendezvous port that another socket holds.
  static func isPortInUse(_ message: String) -> Bool {
    message.contains("EADDRINUSE") || message.lowercased().contains("address already in use")
  }
}
