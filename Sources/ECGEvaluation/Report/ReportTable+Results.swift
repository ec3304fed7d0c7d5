import Foundation

extension ReportTable {
  /// A table of a results dictionary, metric → aggregate over seeds: one row per metric (sorted by name) with
  /// `mean ± std` and the per-seed values, so any task's results become a table without code per task.
  public init(results: [String: SeedAggregate], caption: String? = nil) {
    self.init(results: results.keys.sorted().map { (name: $0, value: results[$0]!) }, caption: caption)
  }

  /// The same for metrics in a given order (the results file's).
  public init(results: [(name: String, value: SeedAggregate)], caption: String? = nil) {
    let seeds = results.map(\.value.values.count).max() ?? 0
    let header = ["Metric", "Mean ± std"] + (0..<seeds).map { "Seed \($0)" }
    let rows = results.map { name, aggregate -> [ReportCell] in
      let values = (0..<seeds).map { $0 < aggregate.values.count ? ReportCell.number(aggregate.values[$0]) : "" }
      return [.text(name), .aggregate(aggregate)] + values
    }
    self.init(caption: caption, header: header, rows: rows)
  }

  /// A table of a results JSON document as `ecg eval` and the reference write it: an object of metric →
  /// `{"mean", "std", "values"}` with `NaN`/`Infinity` literals, rows in the file's order. Nested objects are
  /// flattened with " / " in the metric name; a plain number becomes an aggregate of one value.
  public init(resultsJSON: Data, caption: String? = nil) throws {
    self.init(results: try ResultsJSON.orderedAggregates(from: resultsJSON), caption: caption)
  }

  /// The means of metrics named `<quantity>/<column>` (such as `mse/t=0.1/V6`: quantity `mse/t=0.1`, column `V6`)
  /// as one row per quantity and one column per last name part, when the names have that shape: at least two
  /// quantities, 2–16 columns, every quantity with the same columns. nil otherwise.
  public static func pivot(_ results: [(name: String, value: SeedAggregate)], caption: String? = nil) -> ReportTable? {
    var quantities: [String] = []
    var columns: [String] = []
    var means: [String: [String: Double]] = [:]
    for (name, aggregate) in results {
      guard let slash = name.lastIndex(of: "/") else { return nil }
      let quantity = String(name[..<slash])
      let column = String(name[name.index(after: slash)...])
      if means[quantity] == nil {
        quantities.append(quantity)
        means[quantity] = [:]
      }
      if !columns.contains(column) { columns.append(column) }
      means[quantity]![column] = aggregate.mean
    }
    guard quantities.count >= 2, (2...16).contains(columns.count),
      quantities.allSatisfy({ means[$0]!.count == columns.count })
    else { return nil }
    return ReportTable(
      caption: caption, header: ["Metric"] + columns,
      rows: quantities.map { quantity in [.text(quantity)] + columns.map { .number(means[quantity]![$0]!) } })
  }
}

/// Reads results JSON files with Python's non-standard `NaN`, `Infinity` and `-Infinity` literals.
public enum ResultsJSON {
  /// The document is not a results object.
  public struct FormatError: Error, CustomStringConvertible {
    public var description: String
  }

  /// Metric name → aggregate for every `{mean, std, values}` object (or plain number) in `data`.
  public static func aggregates(from data: Data) throws -> [String: SeedAggregate] {
    Dictionary(try orderedAggregates(from: data).map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
  }

  /// The same in the file's order (nested objects in their file order too).
  public static func orderedAggregates(from data: Data) throws -> [(name: String, value: SeedAggregate)] {
    let object: Any
    do {
      object = try JSONSerialization.jsonObject(with: quotingNonFiniteLiterals(data))
    } catch {
      throw FormatError(
        description: "The results file is not JSON (\(error.localizedDescription)); pass the *_results.json that "
          + "ecg eval writes.")
    }
    guard let dictionary = object as? [String: Any] else {
      throw FormatError(
        description: "The results file holds no JSON object of metrics; pass the *_results.json that ecg eval writes.")
    }
    let order = keyOrder(data)
    var result: [(name: String, value: SeedAggregate)] = []
    collect(dictionary, prefix: "", order: order, into: &result)
    return result
  }

  private static func collect(
    _ dictionary: [String: Any], prefix: String, order: [String: Int],
    into result: inout [(name: String, value: SeedAggregate)]
  ) {
    let keys = dictionary.keys.sorted { (order[$0] ?? .max, $0) < (order[$1] ?? .max, $1) }
    for key in keys {
      let value = dictionary[key]!
      let name = prefix.isEmpty ? key : prefix + " / " + key
      if let number = double(value) {
        result.append((name, SeedAggregate([number])))
      } else if let object = value as? [String: Any] {
        if let mean = object["mean"].flatMap(double), let std = object["std"].flatMap(double) {
          var aggregate = SeedAggregate(((object["values"] as? [Any]) ?? []).compactMap(double))
          aggregate.mean = mean
          aggregate.std = std
          result.append((name, aggregate))
        } else {
          collect(object, prefix: name, order: order, into: &result)
        }
      }
    }
  }

  /// Each object key's first position in the text (keys are ranked by where they first appear).
  private static func keyOrder(_ data: Data) -> [String: Int] {
    guard let text = String(data: data, encoding: .utf8) else { return [:] }
    var order: [String: Int] = [:]
    var scalars = text.unicodeScalars.makeIterator()
    var current: String? = nil
    var escaped = false
    var lastString: String? = nil
    while let scalar = scalars.next() {
      if var string = current {
        if escaped {
          string.unicodeScalars.append(scalar)
          escaped = false
        } else if scalar == "\\" {
          escaped = true
        } else if scalar == "\"" {
          lastString = string
          current = nil
          continue
        } else {
          string.unicodeScalars.append(scalar)
        }
        current = string
        continue
      }
      switch scalar {
      case "\"": current = ""
      case ":":
        if let key = lastString, order[key] == nil { order[key] = order.count }
        lastString = nil
      case " ", "\n", "\r", "\t": break
      default: lastString = nil
      }
    }
    return order
  }

  private static func double(_ value: Any) -> Double? {
    switch value {
    case let string as String:
      switch string {
      case nanToken: return .nan
      case infinityToken: return .infinity
      case negativeInfinityToken: return -.infinity
      default: return nil
      }
    case let number as NSNumber: return number.doubleValue
    default: return nil
    }
  }

  private static let nanToken = "\u{1}NaN"
  private static let infinityToken = "\u{1}Infinity"
  private static let negativeInfinityToken = "\u{1}-Infinity"

  /// `data` with the bare literals outside strings turned into marker strings JSONSerialization accepts.
  static func quotingNonFiniteLiterals(_ data: Data) -> Data {
    let bytes = [UInt8](data)
    var output: [UInt8] = []
    output.reserveCapacity(bytes.count + 64)
    var index = 0
    var inString = false
    let literals = [
      (literal: "-Infinity", token: negativeInfinityToken), (literal: "Infinity", token: infinityToken),
      (literal: "NaN", token: nanToken),
    ]
    func matches(_ literal: String) -> Bool {
      let literalBytes = Array(literal.utf8)
      return index + literalBytes.count <= bytes.count
        && Array(bytes[index..<index + literalBytes.count]) == literalBytes
    }
    while index < bytes.count {
      let byte = bytes[index]
      if inString {
        output.append(byte)
        if byte == UInt8(ascii: "\\"), index + 1 < bytes.count {
          output.append(bytes[index + 1])
          index += 2
          continue
        }
        if byte == UInt8(ascii: "\"") { inString = false }
        index += 1
        continue
      }
      if byte == UInt8(ascii: "\"") { inString = true }
      if let (literal, token) = literals.first(where: { matches($0.literal) }) {
        output += Array("\"\\u0001\(token.dropFirst())\"".utf8)
        index += literal.utf8.count
        continue
      }
      output.append(byte)
      index += 1
    }
    return Data(output)
  }
}
