import ECGEvaluation
import Foundation
import Testing

@Suite struct ReportResultsTableTests {
  @Test func resultsDictionaryBecomesOneRowPerMetricWithMeanAndStd() {
    let table = ReportTable(results: [
      "ssim": SeedAggregate([0.5, 0.7]), "mase": SeedAggregate([.nan, 1]), "snr_db": SeedAggregate([.infinity, 3]),
    ])
    #expect(table.header == ["Metric", "Mean ± std", "Seed 0", "Seed 1"])
    #expect(table.rows.map { $0[0].text } == ["mase", "snr_db", "ssim"])
    #expect(table.rows[2].map(\.text) == ["ssim", "0.6000 ± 0.1000", "0.5000", "0.7000"])
    #expect(table.rows[0].map(\.text) == ["mase", "NaN ± NaN", "NaN", "1"])
    #expect(table.rows[1][1].text == "Infinity ± NaN")
  }

  @Test func numberFormatKeepsFourSignificantDigits() {
    #expect(ReportNumberFormat.string(0.123456) == "0.1235")
    #expect(ReportNumberFormat.string(31.4159) == "31.42")
    #expect(ReportNumberFormat.string(12345.678) == "12346")
    #expect(ReportNumberFormat.string(3) == "3")
    #expect(ReportNumberFormat.string(2.5e-7) == "2.500e-07")
    #expect(ReportNumberFormat.string(-.infinity) == "-Infinity")
  }

  @Test func resultsJSONWithPythonLiteralsParses() throws {
    let json = """
      {
        "mse": {"mean": 0.5, "std": 0.1, "values": [0.4, 0.6]},
        "snr_db": {"mean": Infinity, "std": NaN, "values": [Infinity, 3.0]},
        "note \\"NaN\\" Infinity": {"mean": -Infinity, "std": 0, "values": [-Infinity]},
        "linear": {"fraction_0.01": {"auroc_macro": {"mean": 0.8, "std": 0.0, "values": [0.8]}}},
        "count": 12
      }
      """
    let results = try ResultsJSON.aggregates(from: Data(json.utf8))
    #expect(results["mse"]?.mean == 0.5)
    #expect(results["mse"]?.std == 0.1)
    #expect(results["mse"]?.values == [0.4, 0.6])
    #expect(results["snr_db"]?.mean == .infinity)
    #expect(results["snr_db"]?.std.isNaN == true)
    #expect(results["snr_db"]?.values.first == .infinity)
    #expect(results["note \"NaN\" Infinity"]?.mean == -.infinity)
    #expect(results["linear / fraction_0.01 / auroc_macro"]?.mean == 0.8)
    #expect(results["count"]?.values == [12])
    let table = try ReportTable(resultsJSON: Data(json.utf8))
    #expect(table.rows.count == 5)
  }

  @Test func malformedResultsSayWhatToPass() {
    #expect {
      try ResultsJSON.aggregates(from: Data("[1, 2]".utf8))
    } throws: { error in
      "\(error)".contains("*_results.json")
    }
    #expect {
      try ResultsJSON.aggregates(from: Data("{\"a\": ".utf8))
    } throws: { error in
      "\(error)".contains("not JSON")
    }
  }
}

@Suite struct ReportResultsPivotTests {
  @Test func metricsPerLeadBecomeAGridOfMeans() throws {
    let json = """
      {"mse/t=0.1/I": {"mean": 1, "std": 0, "values": [1]}, "mse/t=0.1/global": {"mean": 2, "std": 0, "values": [2]},
       "mse/t=0.5/I": {"mean": 3, "std": 0, "values": [3]}, "mse/t=0.5/global": {"mean": NaN, "std": 0, "values": [NaN]}}
      """
    let ordered = try ResultsJSON.orderedAggregates(from: Data(json.utf8))
    #expect(ordered.map(\.name) == ["mse/t=0.1/I", "mse/t=0.1/global", "mse/t=0.5/I", "mse/t=0.5/global"])
    let grid = try #require(ReportTable.pivot(ordered))
    #expect(grid.header == ["Metric", "I", "global"])
    #expect(grid.rows.map { $0.map(\.text) } == [["mse/t=0.1", "1", "2"], ["mse/t=0.5", "3", "NaN"]])
    #expect(ReportTable.pivot(Array(ordered.prefix(3))) == nil)
    #expect(
      ReportTable.pivot([(name: "fid", value: SeedAggregate([1])), (name: "mmd", value: SeedAggregate([1]))]) == nil)
  }

  @Test func resultsKeepTheFilesOrder() throws {
    let json = #"{"zeta": {"mean": 1, "std": 0, "values": [1]}, "alpha": {"mean": 2, "std": 0, "values": [2]}}"#
    let table = try ReportTable(resultsJSON: Data(json.utf8))
    #expect(table.rows.map { $0[0].text } == ["zeta", "alpha"])
  }
}
