import ECGCore
import ECGModels
import Torch

/// A network the trainer can pretrain: its module (parameters, buffers, training mode) and one loss per batch.
///
/// Every network adapts to it in one small extension: `trainingLoss` calls the network's typed forward with
/// the batch and returns the scalar loss the reference optimises (`out.loss`).
public protocol Pretrainable: AnyObject {
  /// The module whose parameters are trained, saved and averaged by the EMA.
  var module: Module { get }
  /// The scalar training loss of one batch; random draws (noise, timesteps, masks) come from `draws`.
  func trainingLoss(_ input: ModelInput, draws: RandomDraws) -> Tensor
}
