import ArgumentParser
import Foundation

/// What `ecg pretrain --resume` does with the other flags: a resumed run keeps the settings in its config.yaml, so
/// a flag may only say where its files are now, on what to run, and how far to train; any other flag whose value
/// differs from the run's is refused rather than silently ignored.
extension PretrainCommand {
  /// Flags a resumed run takes (snake_case names).
  static let flagsTakenOnResume: [String] = [
    "epochs", "max_steps", "data", "data_dir", "text_feature_extractor", "bpe_tokenizer_path", "device", "threads",
    "num_workers", "log_every", "dist_timeout", "distributed", "plain", "resume", "runs_dir",
  ]

  /// Checks the flags given with `--resume` against the run's settings and applies those a resumed run takes:
  /// new places of its data and files, the device, threads, and more epochs or steps.
  func applyResumeFlags(to settings: inout PretrainSettings, run: String) throws {
    let given = try flagsChangedFromTheirDefaults()
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
    if runOptions.distributed { settings.distributed = true }
  }

  /// The flags given with a value other than their default, by snake_case name, with that value as text.
  func flagsChangedFromTheirDefaults() throws -> [(name: String, value: String)] {
    func changed(_ given: some ParsableArguments, _ defaults: some ParsableArguments) -> [(String, String)] {
      zip(Mirror(reflecting: given).children, Mirror(reflecting: defaults).children).compactMap { mine, theirs in
        let (value, standard) = ("\(mine.value)", "\(theirs.value)")
        guard let label = mine.label, value != standard else { return nil }
        return (Self.flagName(property: String(label.drop { $0 == "_" })), value)
      }
    }
    return try changed(dataOptions, PretrainDataOptions.parse([]))
      + changed(modelOptions, PretrainModelOptions.parse([]))
      + changed(trainingOptions, PretrainTrainingOptions.parse([]))
      + changed(runOptions, PretrainRunOptions.parse([]))
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
    let stored =
      (try? JSONSerialization.jsonObject(with: JSONEncoder().encode(settings))) as? [String: Any] ?? [:]
    let conflicts = given.filter { flag in
      !Self.flagsTakenOnResume.contains(flag.name) && !Self.sameValue(flag.value, stored[flag.name])
    }
    guard !conflicts.isEmpty else { return }
    let listed = conflicts.map { flag in
      let recorded = stored[flag.name].map(Self.text) ?? "no such setting"
      return "--\(flag.name) \(Self.unwrapped(flag.value)) (the run has \(recorded))"
    }
    throw ValidationError(
      "--resume continues \(run) with the settings of its config.yaml, so these flags cannot change: "
        + listed.joined(separator: ", ") + ". Drop them, or start a new run (--nn_ckpt \(run) starts from its "
        + "weights). With --resume you may pass "
        + Self.flagsTakenOnResume.filter { !["resume", "runs_dir"].contains($0) }.map { "--\($0)" }
        .joined(separator: ", ") + ".")
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
    case let bool as Bool: bool ? "true" : "false"
    case let number as NSNumber:
      number.doubleValue.rounded() == number.doubleValue && abs(number.doubleValue) < 1e15
        ? "\(Int(number.doubleValue))" : "\(number.doubleValue)"
    default: "\(value)"
    }
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
