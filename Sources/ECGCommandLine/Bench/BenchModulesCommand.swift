import ArgumentParser
import Foundation
import Torch

/// `ecg bench modules`: the cost of module traversal (`namedParameters()`, `stateDict()`), which a training
/// step calls for zero-grad, clipping and EMA. The first traversal of a fresh model reflects on every module
/// (`Mirror`); later ones read the cached slots.
struct BenchModulesCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "modules",
    abstract:
      "Time namedParameters()/stateDict() on a transformer-sized module tree, first call and cached; prints JSON."
  )

  @Option(parsing: .unconditional, help: "Transformer blocks in the timed model.")
  var blocks = 12

  @Option(parsing: .unconditional, help: "Width of the blocks.")
  var width = 64

  @Option(parsing: .unconditional, help: "Timed repetitions (the median is reported).")
  var repeats = 50

  func validate() throws {
    guard blocks > 0, width > 0, width % 4 == 0, repeats > 0 else {
      throw ValidationError("--blocks, --width (a multiple of 4) and --repeats must be positive")
    }
  }

  func run() throws {
    let makeModel = { ModuleList((0..<blocks).map { _ in BenchBlock(width: width) }) }
    let sample = makeModel()
    let parameterCount = sample.namedParameters().count
    let moduleCount = sample.namedModules().count
    // A fresh model each time, so the timed call is the one that reflects.
    var models = (0..<repeats + 1).map { _ in makeModel() }
    let first = Stopwatch.median(warmup: 1, repeats: repeats) { _ = models.removeLast().namedParameters() }
    let cached = Stopwatch.median(warmup: 1, repeats: repeats) { _ = sample.namedParameters() }
    let stateDict = Stopwatch.median(warmup: 1, repeats: repeats) { _ = sample.stateDict() }
    try printJSON([
      "modules": moduleCount, "parameters": parameterCount, "repeats": repeats,
      "named_parameters_first_call_us": first * 1e6,
      "named_parameters_cached_us": cached * 1e6,
      "state_dict_cached_us": stateDict * 1e6,
    ])
  }
}

/// A pre-norm transformer block shaped like the reference's (attention, MLP, two norms).
private final class BenchBlock: Module {
  @Child("norm1") var norm1: LayerNorm
  @Child("attn") var attention: MultiheadAttention
  @Child("norm2") var norm2: LayerNorm
  @Child("mlp") var mlp: Sequential

  init(width: Int) {
    super.init()
    norm1 = LayerNorm(width)
    attention = MultiheadAttention(embedDim: width, heads: 4)
    norm2 = LayerNorm(width)
    mlp = Sequential(Linear(width, 4 * width), GELU(), Linear(4 * width, width))
  }
}
