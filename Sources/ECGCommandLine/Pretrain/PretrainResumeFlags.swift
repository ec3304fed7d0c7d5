import ArgumentParser
import ECGTraining
import Foundation

/// What `ecg pretrain --resume` does with the other flags: a resumed run keeps the settings in its config.yaml, so
/// a flag may only say where its files are now, on what to run, and how far to train; any other flag whose value
/// differs from the run's is refused rather than silently ignored.
extension PretrainCommand {
  /// Flags a resumed run takes (snake_case names).
  static let flagsTakenOnResume: [String] = [
    "epochs", "max_steps", "data", "data_dir", "text_feature_extractor", "bpe_tokenizer_path", "device", "threads",
    "num_workers", "log_every", "dist_timeout", "distributed", "plain", "resume", "runs_dir", "patience",
    "patience_delta",
  ]

  /// Checks the flags given with `--resume` against the run's settings and applies those a resumed run takes:
  /// new places of its data and files, the device, threads, more epochs or steps, and early stopping's patience.
  func applyResumeFlags(to settings: inout PretrainSettings, run: String) throws {
    let given = try givenFlags()
    try checkFlags(given, againstTheResumedRun: settings, run: run)
    let changed = Set(given.map(\.name))
    let d = dataOptions
    try settings.relocate(
      data: d.data, dataDir: d.dataDir, bpeTokenizerPath: d.givenBPETokenizerPath,
      textFeatureExtractor: d.textFeatureExtractor)
    if changed.contains("epochs") { settings.epochs = trainingOptions.epochs }
    // Extending a run: more steps (the schedule's length changes with it).
    if let steps = trainingOptions.maxSteps { settings.maxSteps = steps }
    if let device = runOptions.device { settings.device = device }
    if let threads = runOptions.threads { settings.threads = threads }
    // The loader's results do not depend on its workers, nor the run's on how often it logs.
    if changed.contains("num_workers") { settings.numWorkers = d.numWorkers }
    if changed.contains("log_every") { settings.logEvery = trainingOptions.logEvery }
    // Early stopping decides when the run ends, not what a step does: an early-stopped run goes on with more patience.
    if changed.contains("patience") { settings.patience = trainingOptions.patience }
    if changed.contains("patience_delta") { settings.patienceDelta = trainingOptions.patienceDelta }
    if runOptions.distributed { settings.distributed = true }
    // The values a fresh run checks in resolvedSettings(), for the flags a resumed run takes.
    if let threads = settings.threads, let problem = ThreadsOption.problem(threads) { throw ValidationError(problem) }
    if settings.numWorkers < 0 { throw ValidationError("--num_workers must be at least 0, got \(settings.numWorkers)") }
    do {
      try settings.training.validate()
    } catch let error as TrainingError {
      throw ValidationError(error.description)
    }
  }

  /// The flags given, by snake_case name with their value as text: those named on the command line when it is
  /// known (`commandLine`, kept by `ecg`'s entry point), else those whose value differs from their default (a flag
  /// given at its default value cannot be told from an absent one then).
  func givenFlags() throws -> [(name: String, value: String)] {
    Self.givenFlags(try everyFlag(), commandLine: commandLine)
  }

  /// Of `flags` (every flag of a command with its value and default as text), those given: named on `commandLine`
  /// when it is known, else those whose value differs from their default. `ecg eval` tells its flags the same way.
  static func givenFlags(
    _ flags: [(name: String, value: String, standard: String)], commandLine: [String]?
  ) -> [(name: String, value: String)] {
    guard let commandLine else { return flags.filter { $0.value != $0.standard }.map { ($0.name, $0.value) } }
    // A flag has several spellings (`--bfloat16`, `--bfloat_16`, `--bfloat-16`): compared without separators.
    func bare(_ name: String) -> String { name.replacingOccurrences(of: "_", with: "") }
    let named = Set(commandLine.compactMap(flagNameGiven).map(bare))
    return flags.filter { named.contains(bare($0.name)) }.map { ($0.name, $0.value) }
  }

  /// The snake_case flag a command-line token names (`--log-every=5` → `log_every`, `--no-tf32` → `tf32`), nil for
  /// a value.
  static func flagNameGiven(_ token: String) -> String? {
    guard token.hasPrefix("--"), token.count > 2 else { return nil }
    let name = String(token.dropFirst(2).prefix { $0 != "=" }).replacingOccurrences(of: "-", with: "_")
    return name == "no_tf32" ? "tf32" : name
  }

  /// The flags given with a value other than their default, by snake_case name, with that value as text.
  func flagsChangedFromTheirDefaults() throws -> [(name: String, value: String)] {
    Self.givenFlags(try everyFlag(), commandLine: nil)
  }

  /// Every flag of the four option groups: its snake_case name, value and default value as text.
  private func everyFlag() throws -> [(name: String, value: String, standard: String)] {
    try Self.flags(of: dataOptions, PretrainDataOptions.parse([]))
      + Self.flags(of: modelOptions, PretrainModelOptions.parse([]))
      + Self.flags(of: trainingOptions, PretrainTrainingOptions.parse([]))
      + Self.flags(of: runOptions, PretrainRunOptions.parse([]))
  }

  /// The flags of an option group (`given`, parsed) beside the group at its defaults (`defaults`): snake_case name,
  /// value and default value as text.
  static func flags(
    of given: some ParsableArguments, _ defaults: some ParsableArguments
  ) -> [(name: String, value: String, standard: String)] {
    zip(Mirror(reflecting: given).children, Mirror(reflecting: defaults).children).compactMap { mine, theirs in
      guard let label = mine.label else { return nil }
      return (flagName(property: String(label.drop { $0 == "_" })), "\(mine.value)", "\(theirs.value)")
    }
  }

  /// A property's flag name: snake_case, but for the few the reference spells otherwise.
  static func flagName(property: String) -> String {
    let spelledOtherwise = ["dimFF": "dim_ff", "bfloat16": "bfloat_16"]
    if let name = spelledOtherwise[property] { return name }
    return property.reduce(into: "") { name, character in
      if character.isUppercase { name += "_" + character.lowercased() } else { name.append(character) }
    }
  }

  /// Refuses flags (`given`) that would change a setting the resumed run keeps (`settings`, read from its
  /// config.yaml).
  func checkFlags(
    _ given: [(name: String, value: String)], againstTheResumedRun settings: PretrainSettings, run: String
  ) throws {
    let listed = Self.conflicts(given, with: settings, except: Self.flagsTakenOnResume)
    guard !listed.isEmpty else { return }
    throw ValidationError(
      "--resume continues \(run) with the settings of its config.yaml, so these flags cannot change: "
        + listed.joined(separator: ", ") + ". Drop them, or start a new run (--nn_ckpt \(run) starts from its "
        + "weights). With --resume you may pass "
        + Self.flagsTakenOnResume.filter { !["resume", "runs_dir"].contains($0) }.map { "--\($0)" }
        .joined(separator: ", ") + ".")
  }

  /// The flags of `given` not named in `taken` whose value differs from the run's (`settings`, as its config.yaml
  /// holds them), each as "--flag value (the run has its value)".
  static func conflicts(
    _ given: [(name: String, value: String)], with settings: PretrainSettings, except taken: [String]
  ) -> [String] {
    let stored =
      (try? JSONSerialization.jsonObject(with: JSONEncoder().encode(settings))) as? [String: Any] ?? [:]
    return given.filter { !taken.contains($0.name) && !sameValue($0.value, stored[$0.name]) }.map { flag in
      let recorded = stored[flag.name].map(text) ?? "none"
      return "--\(flag.name) \(unquoted(unwrapped(flag.value))) (the run has \(recorded))"
    }
  }

  /// Whether a flag's text equals a stored JSON value (numbers and booleans compared as numbers, lists element by
  /// element).
  static func sameValue(_ flag: String, _ stored: Any?) -> Bool {
    guard let stored, !(stored is NSNull) else { return unwrapped(flag) == "nil" }
    return normalized(flag) == normalized(text(stored))
  }

  /// A JSON value as text.
  static func text(_ value: Any) -> String {
    switch value {
    case let list as [Any]: "[" + list.map(text).joined(separator: ", ") + "]"
    case let string as String: string
    // JSONSerialization's booleans are NSNumbers of type "c"; its 0 and 1 would also cast to Bool.
    case let number as NSNumber where String(cString: number.objCType) == "c": number.boolValue ? "true" : "false"
    case let number as NSNumber:
      number.doubleValue.rounded() == number.doubleValue && abs(number.doubleValue) < 1e15
        ? "\(Int(number.doubleValue))" : "\(number.doubleValue)"
    default: "\(value)"
    }
  }

  /// A single text value without its quotes (`"R5"` → `R5`); lists keep theirs.
  static func unquoted(_ text: String) -> String {
    guard text.count >= 2, text.hasPrefix("\""), text.hasSuffix("\""), !text.dropFirst().dropLast().contains("\"")
    else { return text }
    return String(text.dropFirst().dropLast())
  }

  /// A flag's value without Swift's `Optional(…)` around it.
  static func unwrapped(_ text: String) -> String {
    guard text.hasPrefix("Optional("), text.hasSuffix(")") else { return text }
    return String(text.dropFirst("Optional(".count).dropLast())
  }

  /// Elements without quotes, numbers as Double text, true/on as 1 and false/off as 0.
  private static func normalized(_ text: String) -> String {
    let parts = unwrapped(text).trimmingCharacters(in: CharacterSet(charactersIn: "[]")).split(separator: ",").map {
      let part = $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
      switch part {
      case "true", "on": return "1.0"
      case "false", "off": return "0.0"
      default: return Double(part).map { "\($0)" } ?? part
      }
    }
    return parts.joined(separator: ",")
  }
}
