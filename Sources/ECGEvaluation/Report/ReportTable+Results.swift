import Foundation

extension ReportTable {
  /// A table of a results dictionary, metric → aggregate over seeds: one row per metric (sorted by name) with
  /// `mean ± std` and the per-seed values, so any task's results become a table without code per task.
  public init(results: [String: SeedAggregate], caption: String? = nil) {
    let seeds = results.values.map(\.values.count).max() ?? 0
    let header = ["Metric", "Mean ± std"] + (0..<seeds).map { "Seed \($0)" }
    let rows = results.keys.sorted().map { name -> [ReportCell] in
      let aggregate = results[name]!
      let values = (0..<seeds).map { $0 < aggregate.values.count ? ReportCell.number(aggregate.values[$0]) : "" }
      return [.text(name), .aggregate(aggregate)] + values
    }
    self.init(caption: caption, header: header, rows: rows)
  }

  /// A table of a results JSON document as `ecg eval` and the reference write it: an object of metric →
  /// `{"mean", "std", "values"}` with `NaN`/`Infinity` literals. Nested objects are flattened with " / " in the
  /// metric name; a plain number becomes an aggregate of one value.
  public init(resultsJSON: Data, caption: String? = nil) throws {
    self.init(results: try ResultsJSON.aggregates(from: resultsJSON), caption: caption)
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
    let object: Any
    do {
      object = try JSONSerialization.jsonObject(with: quotingNonFiniteLiterals(data))
    } catch {
      throw FormatError(
        description: "The results file is not JSON (\(error.localizedDescription)); pass the *_results.json that "
          + "ecg eval writes.")
    }
    guard let dictionary = object as? [String: Any] else {
      throw FormatError(description: "The results file holds no JSON object of metrics; pass the *_results.json that ecg eval writes.")
    }
    var result: [String: SeedAggregate] = [:]
    collect(dictionary, prefix: "", into: &result)
    return result
  }

  private static func collect(_ dictionary: [String: Any], prefix: String, into result: inout [String: SeedAggregate]) {
    for (key, value) in dictionary {
      let name = prefix.isEmpty ? key : prefix + " / " + key
      if let number = double(value) {
        result[name] = SeedAggregate([number])
      } else if let object = value as? [String: Any] {
        if let mean = object["mean"].flatMap(double), let std = object["std"].flatMap(double) {
          var aggregate = SeedAggregate(((object["values"] as? [Any]) ?? []).compactMap(double))
          aggregate.mean = mean
          aggregate.std = std
          result[name] = aggregate
        } else {
          collect(object, prefix: name, into: &result)
        }
      }
    }
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
      return index + literalBytes.count <= bytes.count && Array(bytes[index..<index + literalBytes.count]) == literalBytes
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
