import CTorch

extension Tensor {
  func unary(_ op: ct_unary_op, _ name: String) -> Tensor { wrap(ct_unary(handle, op), name) }
  func binary(_ other: Tensor, _ op: ct_binary_op, _ name: String) -> Tensor {
    wrap(ct_binary(handle, other.handle, op), "\(name) of \(shape) and \(other.shape)")
  }
  func binary(_ scalar: Double, _ op: ct_binary_op, _ name: String) -> Tensor {
    wrap(ct_binary_scalar(handle, scalar, op), name)
  }

  public func exp() -> Tensor { unary(CT_EXP, "exp") }
  public func log() -> Tensor { unary(CT_LOG, "log") }
  public func log2() -> Tensor { unary(CT_LOG2, "log2") }
  public func log1p() -> Tensor { unary(CT_LOG1P, "log1p") }
  public func expm1() -> Tensor { unary(CT_EXPM1, "expm1") }
  public func sqrt() -> Tensor { unary(CT_SQRT, "sqrt") }
  public func rsqrt() -> Tensor { unary(CT_RSQRT, "rsqrt") }
  public func square() -> Tensor { unary(CT_SQUARE, "square") }
  public func abs() -> Tensor { unary(CT_ABS, "abs") }
  public func sin() -> Tensor { unary(CT_SIN, "sin") }
  public func cos() -> Tensor { unary(CT_COS, "cos") }
  public func atan() -> Tensor { unary(CT_ATAN, "atan") }
  public func tanh() -> Tensor { unary(CT_TANH, "tanh") }
  public func sigmoid() -> Tensor { unary(CT_SIGMOID, "sigmoid") }
  public func floor() -> Tensor { unary(CT_FLOOR, "floor") }
  public func ceil() -> Tensor { unary(CT_CEIL, "ceil") }
  /// Rounds half to even, like `torch.round`.
  public func round() -> Tensor { unary(CT_ROUND, "round") }
  public func sign() -> Tensor { unary(CT_SIGN, "sign") }
  public func erf() -> Tensor { unary(CT_ERF, "erf") }
  public func erfinv() -> Tensor { unary(CT_ERFINV, "erfinv") }
  public func reciprocal() -> Tensor { unary(CT_RECIPROCAL, "reciprocal") }
  public func isNaN() -> Tensor { unary(CT_ISNAN, "isnan") }
  public func isInfinite() -> Tensor { unary(CT_ISINF, "isinf") }
  public func isFinite() -> Tensor { unary(CT_ISFINITE, "isfinite") }
  public func logicalNot() -> Tensor { unary(CT_LOGICAL_NOT, "logical_not") }

  public func pow(_ exponent: Double) -> Tensor { binary(exponent, CT_POW, "pow") }
  public func pow(_ exponent: Tensor) -> Tensor { binary(exponent, CT_POW, "pow") }
  public func maximum(_ other: Tensor) -> Tensor { binary(other, CT_MAXIMUM, "maximum") }
  public func minimum(_ other: Tensor) -> Tensor { binary(other, CT_MINIMUM, "minimum") }
  public func remainder(_ other: Double) -> Tensor { binary(other, CT_REMAINDER, "remainder") }
  public func floorDivide(_ other: Double) -> Tensor { binary(other, CT_FLOOR_DIVIDE, "floor_divide") }
  public func atan2(_ other: Tensor) -> Tensor { binary(other, CT_ATAN2, "atan2") }
  public func logicalAnd(_ other: Tensor) -> Tensor { binary(other, CT_LOGICAL_AND, "logical_and") }
  public func logicalOr(_ other: Tensor) -> Tensor { binary(other, CT_LOGICAL_OR, "logical_or") }
  public func logicalXor(_ other: Tensor) -> Tensor { binary(other, CT_LOGICAL_XOR, "logical_xor") }

  /// Limits values to `[min, max]` (either bound optional).
  public func clamp(min: Double? = nil, max: Double? = nil) -> Tensor {
    wrap(ct_clamp(handle, min ?? 0, max ?? 0, min != nil, max != nil), "clamp")
  }

  /// `self + weight * (end - self)`.
  public func lerp(_ end: Tensor, weight: Double) -> Tensor { wrap(ct_lerp(handle, end.handle, weight), "lerp") }

  public func eq(_ other: Tensor) -> Tensor { binary(other, CT_EQ, "eq") }
  public func ne(_ other: Tensor) -> Tensor { binary(other, CT_NE, "ne") }
  public func lt(_ other: Tensor) -> Tensor { binary(other, CT_LT, "lt") }
  public func le(_ other: Tensor) -> Tensor { binary(other, CT_LE, "le") }
  public func gt(_ other: Tensor) -> Tensor { binary(other, CT_GT, "gt") }
  public func ge(_ other: Tensor) -> Tensor { binary(other, CT_GE, "ge") }
  public func eq(_ value: Double) -> Tensor { binary(value, CT_EQ, "eq") }
  public func ne(_ value: Double) -> Tensor { binary(value, CT_NE, "ne") }
  public func lt(_ value: Double) -> Tensor { binary(value, CT_LT, "lt") }
  public func le(_ value: Double) -> Tensor { binary(value, CT_LE, "le") }
  public func gt(_ value: Double) -> Tensor { binary(value, CT_GT, "gt") }
  public func ge(_ value: Double) -> Tensor { binary(value, CT_GE, "ge") }

  /// Whether every pair of elements satisfies `|a - b| <= atol + rtol * |b|` (NaNs never match).
  public func allClose(_ other: Tensor, rtol: Double = 1e-5, atol: Double = 1e-8) -> Bool {
    guard shape == other.shape else { return false }
    let a = to(.float64)
    let b = other.to(.float64)
    return (a - b).abs().le((b.abs() * rtol) + atol).all().item() != 0
  }
}

// Broadcasting arithmetic. Scalars follow PyTorch's promotion: an integral value keeps integer tensors integral.
extension Tensor {
  public static func + (lhs: Tensor, rhs: Tensor) -> Tensor { lhs.binary(rhs, CT_ADD, "add") }
  public static func - (lhs: Tensor, rhs: Tensor) -> Tensor { lhs.binary(rhs, CT_SUB, "sub") }
  public static func * (lhs: Tensor, rhs: Tensor) -> Tensor { lhs.binary(rhs, CT_MUL, "mul") }
  public static func / (lhs: Tensor, rhs: Tensor) -> Tensor { lhs.binary(rhs, CT_DIV, "div") }
  public static prefix func - (operand: Tensor) -> Tensor { operand.unary(CT_NEG, "neg") }

  public static func + (lhs: Tensor, rhs: Double) -> Tensor { lhs.binary(rhs, CT_ADD, "add") }
  public static func - (lhs: Tensor, rhs: Double) -> Tensor { lhs.binary(rhs, CT_SUB, "sub") }
  public static func * (lhs: Tensor, rhs: Double) -> Tensor { lhs.binary(rhs, CT_MUL, "mul") }
  public static func / (lhs: Tensor, rhs: Double) -> Tensor { lhs.binary(rhs, CT_DIV, "div") }
  public static func + (lhs: Double, rhs: Tensor) -> Tensor { rhs.binary(lhs, CT_ADD, "add") }
  public static func * (lhs: Double, rhs: Tensor) -> Tensor { rhs.binary(lhs, CT_MUL, "mul") }
  public static func - (lhs: Double, rhs: Tensor) -> Tensor { wrap(ct_scalar_binary(lhs, rhs.handle, CT_SUB), "rsub") }
  public static func / (lhs: Double, rhs: Tensor) -> Tensor { wrap(ct_scalar_binary(lhs, rhs.handle, CT_DIV), "rdiv") }

  public static func < (lhs: Tensor, rhs: Tensor) -> Tensor { lhs.lt(rhs) }
  public static func <= (lhs: Tensor, rhs: Tensor) -> Tensor { lhs.le(rhs) }
  public static func > (lhs: Tensor, rhs: Tensor) -> Tensor { lhs.gt(rhs) }
  public static func >= (lhs: Tensor, rhs: Tensor) -> Tensor { lhs.ge(rhs) }
  public static func < (lhs: Tensor, rhs: Double) -> Tensor { lhs.lt(rhs) }
  public static func <= (lhs: Tensor, rhs: Double) -> Tensor { lhs.le(rhs) }
  public static func > (lhs: Tensor, rhs: Double) -> Tensor { lhs.gt(rhs) }
  public static func >= (lhs: Tensor, rhs: Double) -> Tensor { lhs.ge(rhs) }
  public static func .== (lhs: Tensor, rhs: Tensor) -> Tensor { lhs.eq(rhs) }
  public static func .!= (lhs: Tensor, rhs: Tensor) -> Tensor { lhs.ne(rhs) }
  public static func .== (lhs: Tensor, rhs: Double) -> Tensor { lhs.eq(rhs) }
  public static func .!= (lhs: Tensor, rhs: Double) -> Tensor { lhs.ne(rhs) }
  public static func .& (lhs: Tensor, rhs: Tensor) -> Tensor { lhs.logicalAnd(rhs) }
  public static func .| (lhs: Tensor, rhs: Tensor) -> Tensor { lhs.logicalOr(rhs) }
  public static prefix func .! (operand: Tensor) -> Tensor { operand.logicalNot() }
}

// In-place updates (for optimizers and buffers). Inside a no-grad scope they bypass autograd.
extension Tensor {
  public static func += (lhs: Tensor, rhs: Tensor) { check(ct_add_(lhs.handle, rhs.handle, 1), "add_") }
  public static func -= (lhs: Tensor, rhs: Tensor) { check(ct_add_(lhs.handle, rhs.handle, -1), "sub_") }
  public static func *= (lhs: Tensor, rhs: Tensor) { check(ct_mul_(lhs.handle, rhs.handle), "mul_") }
  public static func /= (lhs: Tensor, rhs: Tensor) { check(ct_div_(lhs.handle, rhs.handle), "div_") }
  public static func += (lhs: Tensor, rhs: Double) { check(ct_add_scalar_(lhs.handle, rhs), "add_") }
  public static func -= (lhs: Tensor, rhs: Double) { check(ct_add_scalar_(lhs.handle, -rhs), "sub_") }
  public static func *= (lhs: Tensor, rhs: Double) { check(ct_mul_scalar_(lhs.handle, rhs), "mul_") }

  /// `self += alpha * other` in place.
  public func addInPlace(_ other: Tensor, alpha: Double = 1) { check(ct_add_(handle, other.handle, alpha), "add_") }
  /// `self += value * a * b` in place.
  public func addcmulInPlace(_ a: Tensor, _ b: Tensor, value: Double = 1) {
    check(ct_addcmul_(handle, a.handle, b.handle, value), "addcmul_")
  }
  /// `self += value * a / b` in place.
  public func addcdivInPlace(_ a: Tensor, _ b: Tensor, value: Double = 1) {
    check(ct_addcdiv_(handle, a.handle, b.handle, value), "addcdiv_")
  }
  /// `self += weight * (end - self)` in place.
  public func lerpInPlace(_ end: Tensor, weight: Double) { check(ct_lerp_(handle, end.handle, weight), "lerp_") }
  public func sqrtInPlace() { check(ct_sqrt_(handle), "sqrt_") }
  public func clampInPlace(min: Double? = nil, max: Double? = nil) {
    check(ct_clamp_(handle, min ?? 0, max ?? 0, min != nil, max != nil), "clamp_")
  }
  /// Sets every element to `value` in place.
  public func fill(_ value: Double) { check(ct_fill_(handle, value), "fill_") }
  /// Sets every element to zero in place.
  public func zero() { check(ct_zero_(handle), "zero_") }
  /// Sets `value` where `mask` is true, in place.
  public func maskedFillInPlace(_ mask: Tensor, _ value: Double) {
    check(ct_masked_fill_(handle, mask.handle, value), "masked_fill_")
  }
  /// Fills with uniform samples from `[low, high)` in place.
  public func uniformInPlace(_ low: Double = 0, _ high: Double = 1) {
    check(ct_uniform_(handle, low, high), "uniform_")
  }
  /// Fills with normal samples in place.
  public func normalInPlace(mean: Double = 0, std: Double = 1) { check(ct_normal_(handle, mean, std), "normal_") }
}

infix operator .& : LogicalConjunctionPrecedence
infix operator .| : LogicalDisjunctionPrecedence
