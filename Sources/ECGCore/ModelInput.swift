import Torch

/// What one batch gives a network: the typed input of its kind.
public enum ModelInput: Sendable {
  case signal(SignalBatch)
  case tokens(TokenBatch)
  case patches(PatchBatch)

  public var batchSize: Int {
    switch self {
    case .signal(let batch): batch.batchSize
    case .tokens(let batch): batch.batchSize
    case .patches(let batch): batch.batchSize
    }
  }

  public func to(_ device: Device) -> ModelInput {
    switch self {
    case .signal(let batch): .signal(batch.to(device))
    case .tokens(let batch): .tokens(batch.to(device))
    case .patches(let batch): .patches(batch.to(device))
    }
  }
}
