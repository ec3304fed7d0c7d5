/// A failure at run time (bad file, unfinished store): printed as `Error: <message>` without the usage text.
struct CommandError: Error, CustomStringConvertible {
  let description: String
  init(_ message: String) { description = message }
}
