import Torch

/// A batch value whose tensors can move to a device together (`batch.to(device)`, what the reference does to
/// every tensor of a batch before each step).
public protocol DeviceTransferable: Sendable {
  func to(_ device: Device) -> Self
}

extension ModelInput: DeviceTransferable {}
extension SignalBatch: DeviceTransferable {}
extension TokenBatch: DeviceTransferable {}
extension PatchBatch: DeviceTransferable {}
extension TextCondition: DeviceTransferable {}
extension ForecastBatch: DeviceTransferable {}
