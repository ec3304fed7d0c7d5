import Foundation

/// Why a JSON or YAML file did not decode, for error messages that name the file.
public enum DecodingFailure {
  /// A decoding failure in a few words on one line: the missing or wrong key, or the parser's message.
  public static func reason(_ error: any Error) -> String {
    let text = detail(error)
    return text.split(separator: "\n").first.map(String.init) ?? text
  }

  private static func detail(_ error: any Error) -> String {
    func path(_ context: DecodingError.Context) -> String {
      context.codingPath.map(\.stringValue).joined(separator: ".")
    }
    switch error {
    case DecodingError.keyNotFound(let key, let context):
      return "no \((context.codingPath.map(\.stringValue) + [key.stringValue]).joined(separator: "."))"
    case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
      return "\(path(context)): \(context.debugDescription)"
    case DecodingError.dataCorrupted(let context):
      let underlying = (context.underlyingError).map { " \($0)" } ?? ""
      return (path(context).isEmpty ? "" : path(context) + ": ") + context.debugDescription + underlying
    default:
      let ns = error as NSError
      if ns.domain == NSCocoaErrorDomain, let detail = ns.userInfo[NSDebugDescriptionErrorKey] as? String {
        return "not valid JSON: \(detail)"
      }
      if ns.domain == NSCocoaErrorDomain, [NSFileReadNoSuchFileError, NSFileNoSuchFileError].contains(ns.code) {
        return "the file is missing"
      }
      return "\(error)"
    }
  }
}
