import Foundation

/// Forecast quality of one series (evaluation.md §6.4), NumPy semantics in float64.
public struct ForecastMetrics: Sendable, Equatable, Codable {
  public var mse: Double
  public var mae: Double
  /// MAE scaled by the mean absolute step of the context; NaN without a context of ≥ 2 values or a flat one.
  public var mase: Double
  /// Pearson correlation; 0 when either side is constant.
  public var pearsonR: Double
  /// 10·log10(mean g² / mean e²); +∞ for a perfect forecast.
  public var snrDB: Double

  enum CodingKeys: String, CodingKey {
    case mse, mae, mase
    case pearsonR = "pearson_r"
    case snrDB = "snr_db"
  }

  /// Compares the first n = min(|prediction|, |truth|) values; every metric is NaN when n = 0.
  public init(prediction: [Double], truth: [Double], context: [Double]? = nil) {
    let n = min(prediction.count, truth.count)
    guard n > 0 else {
      (mse, mae, mase, pearsonR, snrDB) = (.nan, .nan, .nan, .nan, .nan)
      return
    }
    let p = Array(prediction.prefix(n))
    let g = Array(truth.prefix(n))
    let errors = zip(p, g).map { $0 - $1 }
    mse = errors.map { $0 * $0 }.reduce(0, +) / Double(n)
    mae = errors.map { Swift.abs($0) }.reduce(0, +) / Double(n)
    if let context, context.count >= 2 {
      let steps = zip(context.dropFirst(), context).map { Swift.abs($0 - $1) }
      let scale = steps.reduce(0, +) / Double(steps.count)
      mase = scale > 0 ? mae / scale : .nan
    } else {
      mase = .nan
    }
    pearsonR = Self.pearson(p, g)
    let signalPower = g.map { $0 * $0 }.reduce(0, +) / Double(n)
    snrDB = mse > 0 ? 10 * log10(signalPower / mse) : .infinity
  }

  /// NumPy's `corrcoef` entry when both standard deviations are positive, else 0; NaN becomes 0.
  static func pearson(_ a: [Double], _ b: [Double]) -> Double {
    let n = Double(a.count)
    let meanA = a.reduce(0, +) / n
    let meanB = b.reduce(0, +) / n
    let da = a.map { $0 - meanA }
    let db = b.map { $0 - meanB }
    let stdA = (da.map { $0 * $0 }.reduce(0, +) / n).squareRoot()
    let stdB = (db.map { $0 * $0 }.reduce(0, +) / n).squareRoot()
    guard stdA > 0, stdB > 0 else { return 0 }
    let covariance = zip(da, db).map { $0 * $1 }.reduce(0, +) / n
    let r = covariance / (stdA * stdB)
    return r.isNaN ? 0 : r
  }
}
