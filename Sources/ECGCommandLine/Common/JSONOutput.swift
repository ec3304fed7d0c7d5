import Foundation

/// The one way commands print JSON on standard output: objects with sorted keys (`printJSON`), or objects
/// whose fields keep their order and whose values are already JSON text (`jsonObject`, for the tokenizer
/// commands' stable field order). Progress and warnings go to standard error (`printError`), so standard
/// output stays machine-readable.
func printJSON(_ object: [String: Any]) throws {
  print(try jsonText(object))
}

/// `object` as pretty-printed JSON with sorted keys.
func jsonText(_ object: [String: Any]) throws -> String {
  let data = try JSONSerialization.data(
    withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
  return String(decoding: data, as: UTF8.self)
}

/// A one-level JSON object, one field per line; values are JSON text.
func jsonObject(_ fields: [(String, String)]) -> String {
  "{\n" + fields.map { "  \"\($0.0)\": \($0.1)" }.joined(separator: ",\n") + "\n}"
}

/// A JSON object on one line; values are JSON text.
func jsonObjectInline(_ fields: [(String, String)]) -> String {
  "{" + fields.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}"
}

/// Writes a line to standard error.
func printError(_ text: String) {
  FileHandle.standardError.write(Data((text + "\n").utf8))
}
