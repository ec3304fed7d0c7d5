import CTorch

extension Tensor {
  /// Eigen-decomposition of a symmetric (Hermitian) matrix or batch of them [..., n, n], as
  /// `torch.linalg.eigh`: eigenvalues in ascending order [..., n] and orthonormal eigenvectors as the columns
  /// of [..., n, n]. Only the lower triangle is read.
  public func symmetricEigen() -> (values: Tensor, vectors: Tensor) {
    var values: ct_tensor?
    var vectors: ct_tensor?
    check(ct_linalg_eigh(handle, &values, &vectors), "linalg.eigh of \(shape)")
    guard let values, let vectors else { return (Tensor.zeros([0]), Tensor.zeros([0])) }
    return (Tensor(handle: values), Tensor(handle: vectors))
  }
}
