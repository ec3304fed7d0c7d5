import Foundation

/// The command line as typed, for a store's `created_by`: `ecg` and every argument, quoted for a POSIX shell
/// where needed, so it can be pasted to re-run.
enum CommandLineText {
  /// `ecg <arguments>` of this process.
  static var current: String { text(Array(CommandLine.arguments.dropFirst())) }

  /// `ecg` followed by `arguments`, each quoted when it holds characters a shell would interpret.
  static func text(_ arguments: [String]) -> String {
    (["ecg"] + arguments.map(quoted)).joined(separator: " ")
  }

  static func quoted(_ argument: String) -> String {
    let plain = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,+@%")
    if !argument.isEmpty && argument.unicodeScalars.allSatisfy(plain.contains) { return argument }
    return "'" + argument.replacingOccurrences(of: "'", with: "'\\''") + "'"
  }
}
