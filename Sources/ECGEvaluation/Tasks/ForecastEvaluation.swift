import ECGCore
import ECGData
import ECGModels
import ECGTokenizer
import Foundation
import Torch

/// The reference's `forecasting` task (evaluation.md §4–5) for the discrete decoder: greedy continuation of each
/// window's ECG-Byte context, scored as tokens (accuracy) and as the decoded signal (MSE, MAE, MASE, Pearson r,
/// SNR); with the signal head, the head's generated window against the whole normalised window.
///
/// Windows are forecast one at a time: contexts differ in length and the decoder's generation has no padding.
public struct ForecastEvaluation {
  /// What forecasts.
  public enum Model {
    /// Tokens only (`trans_discrete_decoder`).
    case decoder(DecoderTransformer)
    /// The decoder with the flow-matching signal head (`--signal_head`).
    case signalHead(DecoderWithSignalHead)
  }

  public let model: Model
  public let tokenizer: ECGByteTokenizer
  /// `--bpe_symbolic_len`: contexts this long or longer keep their last length − 1 tokens.
  public var sequenceLength: Int
  /// Samples per lead of a window (`--segment_len`).
  public var segmentLength: Int
  /// The forecast leads' names (12, or the conditioning lead).
  public var leadNames: [String]
  /// Euler steps of the signal head (nil = its configured steps).
  public var signalHeadSteps: Int?
  public var device: Device = .cpu
  /// Figures of the first windows: context with ground truth, context with forecast.
  public var figures: FigureOptions?

  public init(model: Model, tokenizer: ECGByteTokenizer, sequenceLength: Int, segmentLength: Int, leadNames: [String]) {
    self.model = model
    self.tokenizer = tokenizer
    self.sequenceLength = sequenceLength
    self.segmentLength = segmentLength
    self.leadNames = leadNames
  }

  /// Evaluates `batches` (windows numbered from 0 in order) with per-window noise of `seed` (signal head).
  /// - Returns: `accuracy` (tokens only), `mse`, `mae`, `mase`, `pearson_r`, `snr_db`: NaN-ignoring means over
  ///   the windows (an infinite SNR makes the mean infinite; all-NaN gives NaN), and the figures written.
  public func run(
    _ batches: some Sequence<Batch<ForecastBatch>>, seed: UInt64
  ) throws -> (MetricValues, [URL], ForecastCoverage) {
    var coverage = ForecastCoverage(sequenceLength: sequenceLength)
    var accuracies: [Double] = []
    var scores: [ForecastMetrics] = []
    var written: [URL] = []
    var index = 0
    for batch in batches {
      let input = batch.input
      for item in 0..<input.batchSize {
        let window = Window(batch: input, item: item, sequenceLength: sequenceLength)
        let forecast: Forecast
        switch model {
        case .decoder(let decoder):
          decoder.eval()
          forecast = tokenForecast(decoder, window)
          accuracies.append(forecast.accuracy)
          coverage.add(forecast: forecast.forecastTokens, wanted: window.continuation?.size(1) ?? 0)
        case .signalHead(let wrapper):
          wrapper.eval()
          forecast = try signalForecast(
            wrapper, window, batch: input, item: item, noise: PerSampleNoise(seed: seed, indices: [index]))
        }
        scores.append(forecast.metrics)
        if let figures, index < figures.count {
          written.append(try draw(forecast, report: batch.reports[item], step: index, figures))
        }
        index += 1
      }
    }
    var result = MetricValues()
    if case .decoder = model { result["accuracy"] = nanMean(accuracies) }
    result["mse"] = nanMean(scores.map(\.mse))
    result["mae"] = nanMean(scores.map(\.mae))
    result["mase"] = nanMean(scores.map(\.mase))
    result["pearson_r"] = nanMean(scores.map(\.pearsonR))
    result["snr_db"] = nanMean(scores.map(\.snrDB))
    return (result, written, coverage)
  }

  /// One window's context (truncated to the decoder's length), continuation and extremes.
  struct Window {
    var context: Tensor  // int64 [1, Tc]
    var continuation: Tensor?  // int64 [1, Tn]
    var minimum: Double
    var maximum: Double

    init(batch: ForecastBatch, item: Int, sequenceLength: Int) {
      var context = batch.tokens.tgtIDs.narrow(dim: 0, start: item, length: 1).to(device: .cpu)
      if context.size(1) >= sequenceLength {
        context = context.narrow(dim: 1, start: context.size(1) - (sequenceLength - 1), length: sequenceLength - 1)
      }
      self.context = context
      continuation = batch.tokens.labels?.narrow(dim: 0, start: item, length: 1).to(device: .cpu)
      minimum = batch.minimum.to(dtype: .float64, device: .cpu).doubles()[item]
      maximum = batch.maximum.to(dtype: .float64, device: .cpu).doubles()[item]
    }
  }

  /// A forecast: its scores and the lead-major series to draw.
  struct Forecast {
    var accuracy = Double.nan
    var metrics: ForecastMetrics
    /// Flattened ground truth and forecast windows (context included for tokens), and where each part ends.
    var truth: [Double]
    var prediction: [Double]
    var contextLength: Int
    /// Tokens the decoder generated (it stops at its `max_seq_len`).
    var forecastTokens = 0
  }

  private func tokenForecast(_ decoder: DecoderTransformer, _ window: Window) -> Forecast {
    let labels = window.continuation ?? Tensor.zeros([1, 0], dtype: .int64)
    let predicted = decoder.generate(
      window.context.to(device: device), maxNewTokens: labels.size(1), returnNewOnly: true, returnLogits: false
    ).tokens.to(device: .cpu)  // stops at max_seq_len, so it may be shorter than the labels
    let length = predicted.size(1)
    let truth = labels.narrow(dim: 1, start: 0, length: length)
    let accuracy = length == 0 ? Double.nan : predicted.eq(truth).to(.float64).mean().item()
    let decodedContext = decode(window.context, window)
    let decodedPrediction = decode(predicted, window)
    let decodedTruth = decode(truth, window)
    // The context gives MASE its scale (the reference passes none, so its MASE is always NaN: E9).
    let metrics = ForecastMetrics(prediction: decodedPrediction, truth: decodedTruth, context: decodedContext)
    return Forecast(
      accuracy: accuracy, metrics: metrics, truth: decodedContext + decodedTruth,
      prediction: decodedContext + decodedPrediction, contextLength: decodedContext.count, forecastTokens: length)
  }

  private func signalForecast(
    _ wrapper: DecoderWithSignalHead, _ window: Window, batch: ForecastBatch, item: Int, noise: PerSampleNoise
  ) throws -> Forecast {
    guard let signal = batch.tokens.signal else {
      throw ModelConfigurationError("signal-head forecasting needs the windows' signals (--signal_head items)")
    }
    let newTokens = window.continuation?.size(1) ?? max(sequenceLength - window.context.size(1), 0)
    let generated = wrapper.generateSignal(
      window.context.to(device: device), maxNewTokens: newTokens, length: segmentLength, numSteps: signalHeadSteps,
      draws: noise.draws()
    ).signal  // [1, S, L]
    let scale = window.maximum - window.minimum + 1e-6
    func denormalised(_ x: Tensor) -> [Double] {
      x.to(dtype: .float64, device: .cpu).contiguous().doubles().map { $0 * scale + window.minimum }
    }
    let truth = denormalised(signal.narrow(dim: 0, start: item, length: 1))
    let prediction = denormalised(generated)
    // The head generates `segmentLength` samples per lead; a longer window would be scored against other samples.
    guard truth.count == prediction.count else {
      throw ModelConfigurationError(
        "the signal head generated \(prediction.count) values but the window holds \(truth.count): the windows "
          + "must hold --segment_len (\(segmentLength)) samples per lead")
    }
    // The whole window, context included, as the reference scores it (E12).
    return Forecast(
      metrics: ForecastMetrics(prediction: prediction, truth: truth), truth: truth, prediction: prediction,
      contextLength: 0)
  }

  /// The reference's decoding (pipeline.md §3.5): the tokens' text, every character a level (non-letters 0),
  /// bin centres denormalised with the window's extremes.
  private func decode(_ ids: Tensor, _ window: Window) -> [Double] {
    let text = tokenizer.referenceDecodedText(ids.contiguous().ints().map { TokenID(truncatingIfNeeded: $0) })
    return Symbolizer.desymbolize(Array(text.utf8), minimum: window.minimum, maximum: window.maximum).map(Double.init)
  }

  /// The reference's `plot_forecast` layout: per lead, the context in black, then the true continuation (blue)
  /// and the forecast (red) after a dashed line where the context ends.
  private func draw(_ forecast: Forecast, report: String, step: Int, _ figures: FigureOptions) throws -> URL {
    func leads(_ series: [Double]) -> [[Float]] {
      var values = series.prefix(leadNames.count * segmentLength).map(Float.init)
      values += [Float](repeating: 0, count: leadNames.count * segmentLength - values.count)
      return (0..<leadNames.count).map { Array(values[($0 * segmentLength)..<(($0 + 1) * segmentLength)]) }
    }
    let split = ForecastLead.split(
      fullTruth: leads(forecast.truth), fullPrediction: leads(forecast.prediction),
      contextLength: forecast.contextLength, truthEnd: forecast.truth.count, predictionEnd: forecast.prediction.count)
    let svg = ForecastPlot().render(
      leads: split, leadNames: leadNames, samplingRate: Double(figures.samplingRate), title: "forecast: \(report)")
    return try PlotFiles.write(svg: svg, name: "forecasting_\(step)", in: figures.folder).svg
  }
}

/// The mean of the values that are not NaN (NumPy's `nanmean`); NaN when there are none.
func nanMean(_ values: [Double]) -> Double {
  let kept = values.filter { !$0.isNaN }
  return kept.isEmpty ? .nan : kept.reduce(0, +) / Double(kept.count)
}

/// How much of the continuations the token forecasts covered: the decoder generates up to its `max_seq_len`, so a
/// context that (nearly) fills it leaves room for only a few tokens, and the scores describe those alone.
public struct ForecastCoverage: Sendable, Equatable {
  public let sequenceLength: Int
  public private(set) var windows = 0
  /// Windows whose forecast is shorter than their continuation.
  public private(set) var shortened = 0
  public private(set) var forecastTokens = 0
  public private(set) var wantedTokens = 0

  public init(sequenceLength: Int) { self.sequenceLength = sequenceLength }

  mutating func add(forecast: Int, wanted: Int) {
    windows += 1
    if forecast < wanted { shortened += 1 }
    forecastTokens += forecast
    wantedTokens += wanted
  }

  /// A sentence for the console and the report when some forecast was cut short; nil when none was.
  public var note: String? {
    guard shortened > 0 else { return nil }
    return "\(shortened) of \(windows) windows were forecast in part: \(forecastTokens) of \(wantedTokens) "
      + "continuation tokens (the context fills the decoder's \(sequenceLength) positions, and generation stops "
      + "there, as in the reference); the scores describe the tokens forecast. A whole forecast needs a window's "
      + "tokens to fit the run's --bpe_symbolic_len: shorter windows, or a tokenizer with more merges"
  }
}
