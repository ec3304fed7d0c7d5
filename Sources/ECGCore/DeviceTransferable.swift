import Torch

/// A batch value whose tensors can move to a device together (`batch.to(device)`, what the reference does to
/// every tensor of a batch before each step). Host tensors going to CUDA travel through pinned memory with
/// non-blocking copies (`Tensor.transferred(to:)`); on the CPU they are returned as they are.
public protocol DeviceTransferable: Sendable {
  func to(_ device: Device) -> Self
}

extension ModelInput: DeviceTransferable {}
extension SignalBatch: DeviceTransferable {}
extension TokenBatch: DeviceTransferable {}
extension PatchBatch: DeviceTransferable {}
extension TextCondition: DeviceTransferable {}
extension ForecastBatch: DeviceTransferable {}
