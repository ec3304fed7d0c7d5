import ArgumentParser
import ECGData
import Foundation

/// `ecg data info STORE`: counts per split and source, shape, size, lead coverage, label frequencies.
struct DataInfoCommand: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "info", abstract: "Describe a dataset store.")

  @Argument(help: "The store folder.")
  var store: String

  @Flag(help: "Also recompute and check every checksum.")
  var verify = false

  @Option(parsing: .unconditional, help: "Label codes and classes to list, 0 or more.")
  var top: Int = 20

  @OptionGroup var output: JSONOption

  func validate() throws {
    if top < 0 { throw ValidationError("--top must be 0 or more") }
  }

  func run() throws {
    let store = try reportingErrors {
      let store = try DatasetStore(path: self.store)
      if verify { try store.verify() }
      return store
    }
    print(output.json ? try Self.json(store) : try Self.describe(store, top: top, verified: verify))
  }

  static func describe(_ store: DatasetStore, top: Int, verified: Bool) throws -> String {
    let m = store.manifest
    let stats = m.statistics
    var splitCounts: [String: Int] = [:]
    for counts in stats.windows.values { splitCounts.merge(counts, uniquingKeysWith: +) }
    func splits(_ counts: [String: Int]) -> String {
      Split.allCases.map { "\($0.rawValue) \(counts[$0.rawValue, default: 0])" }.joined(separator: ", ")
    }
    let size = try diskSize(store.url)
    let absence = try coverage(store).absenceSummary.map { $0 + " (zero-filled)" }
    var lines = [
      "store      \(store.url.path)",
      "format     \(m.format) v\(m.version)\(verified ? " (checksums verified)" : "")",
      "windows    \(m.windowCount) from \(m.recordCount) records",
      "shape      [\(m.windowCount), \(m.leads.count), \(m.segmentLength)] float32 at \(JSONText.number(m.samplingRate)) Hz",
      "leads      \(m.leads.joined(separator: " "))",
      "coverage   \(absence ?? "every lead in every window")",
      "disk       \(String(format: "%.1f", Double(size) / 1_048_576)) MiB in \(m.shards.count) shard\(m.shards.count == 1 ? "" : "s")",
      "splits     \(m.splitPolicy) (seed \(m.splitSeed)): \(splits(splitCounts))",
      "sources",
    ]
    for (source, counts) in stats.windows.sorted(by: { $0.key < $1.key }) {
      lines.append("  \(source): \(splits(counts))")
    }
    func frequencies(_ title: String, _ counts: [String: Int]) {
      guard !counts.isEmpty else { return }
      lines.append(title)
      for (name, count) in counts.sorted(by: { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }).prefix(
        top)
      {
        let share = String(format: "%5.1f%%", 100 * Double(count) / Double(max(1, m.windowCount)))
        lines.append("  \(name.rightPadded(24)) \(String(count).leftPadded(8))  \(share)")
      }
    }
    frequencies("classes (windows)", stats.classes)
    frequencies("labels (windows with a positive value)", stats.labels)
    lines.append("made by    \(m.createdBy)")
    return lines.joined(separator: "\n")
  }

  /// Which leads the store's windows hold (absent leads are stored as zeros with `lead_mask` false).
  static func coverage(_ store: DatasetStore) throws -> LeadCoverage {
    LeadCoverage(names: store.manifest.leads, windows: store.count, absent: try store.absentLeadWindows())
  }

  /// Every count as JSON: shape, disk size, windows per source and split, windows holding each lead, class and
  /// label frequencies.
  static func json(_ store: DatasetStore) throws -> String {
    let m = store.manifest
    let leads = try coverage(store)
    let withLead = Dictionary(zip(leads.names, leads.windowsWithLead), uniquingKeysWith: { first, _ in first })
    let object: [String: Any] = [
      "store": store.url.path, "format": m.format, "version": m.version, "windows": m.windowCount,
      "records": m.recordCount, "shape": [m.windowCount, m.leads.count, m.segmentLength],
      "sampling_rate": m.samplingRate, "leads": m.leads, "disk_bytes": try diskSize(store.url),
      "shards": m.shards.count, "split_policy": m.splitPolicy, "split_seed": m.splitSeed,
      "windows_by_source_and_split": m.statistics.windows, "windows_with_lead": withLead,
      "classes": m.statistics.classes,
      "labels": m.statistics.labels, "created_by": m.createdBy, "warnings": m.summary.warnings,
    ]
    return try jsonText(object)
  }

  static func diskSize(_ url: URL) throws -> Int {
    var total = 0
    let keys: [URLResourceKey] = [.fileSizeKey, .isRegularFileKey]
    for case let file as URL in FileManager.default.enumerator(at: url, includingPropertiesForKeys: keys) ?? .init() {
      let values = try file.resourceValues(forKeys: Set(keys))
      if values.isRegularFile == true { total += values.fileSize ?? 0 }
    }
    return total
  }
}
