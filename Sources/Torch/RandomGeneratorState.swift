import CTorch

extension Torch {
  /// The default random generator's state of `device` as a uint8 tensor on the CPU (`torch.get_rng_state()`,
  /// `torch.cuda.get_rng_state(n)`): saved in checkpoints so a resumed run draws the same numbers.
  public static func randomState(device: Device = .cpu) throws -> Tensor {
    guard let handle = ct_get_rng_state(device.typeCode, device.index) else {
      throw TorchError.last("get_rng_state(\(device))")
    }
    return Tensor(handle: handle)
  }

  /// Restores a state returned by `randomState(device:)`; throws when it does not fit the generator.
  public static func setRandomState(_ state: Tensor, device: Device = .cpu) throws {
    guard ct_set_rng_state(state.handle, device.typeCode, device.index) == 0 else {
      throw TorchError.last("set_rng_state(\(device))")
    }
  }
}
