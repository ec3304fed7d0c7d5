// Elementwise arithmetic, comparisons, in-place updates and linear algebra.
#include "internal.hpp"

using ctorch::unwrap;

namespace {
at::Tensor apply_unary(const at::Tensor &t, ct_unary_op op) {
  switch (op) {
    case CT_NEG: return t.neg();
    case CT_EXP: return t.exp();
    case CT_LOG: return t.log();
    case CT_SQRT: return t.sqrt();
    case CT_RSQRT: return t.rsqrt();
    case CT_ABS: return t.abs();
    case CT_SIN: return t.sin();
    case CT_COS: return t.cos();
    case CT_TANH: return t.tanh();
    case CT_SIGMOID: return t.sigmoid();
    case CT_FLOOR: return t.floor();
    case CT_CEIL: return t.ceil();
    case CT_ROUND: return t.round();
    case CT_SIGN: return t.sign();
    case CT_ERF: return t.erf();
    case CT_RECIPROCAL: return t.reciprocal();
    case CT_LOG1P: return t.log1p();
    case CT_EXPM1: return t.expm1();
    case CT_ISNAN: return t.isnan();
    case CT_ISINF: return t.isinf();
    case CT_ISFINITE: return t.isfinite();
    case CT_LOGICAL_NOT: return t.logical_not();
    case CT_RELU: return t.relu();
    case CT_SILU: return at::silu(t);
    case CT_SQUARE: return t.square();
    case CT_LOG2: return t.log2();
    case CT_ATAN: return t.atan();
    case CT_ERFINV: return t.erfinv();
  }
  throw std::invalid_argument("unknown unary operation code");
}

at::Tensor apply_binary(const at::Tensor &a, const at::Tensor &b, ct_binary_op op) {
  switch (op) {
    case CT_ADD: return a.add(b);
    case CT_SUB: return a.sub(b);
    case CT_MUL: return a.mul(b);
    case CT_DIV: return a.div(b);
    case CT_POW: return a.pow(b);
    case CT_MAXIMUM: return at::maximum(a, b);
    case CT_MINIMUM: return at::minimum(a, b);
    case CT_EQ: return a.eq(b);
    case CT_NE: return a.ne(b);
    case CT_LT: return a.lt(b);
    case CT_LE: return a.le(b);
    case CT_GT: return a.gt(b);
    case CT_GE: return a.ge(b);
    case CT_LOGICAL_AND: return a.logical_and(b);
    case CT_LOGICAL_OR: return a.logical_or(b);
    case CT_LOGICAL_XOR: return a.logical_xor(b);
    case CT_REMAINDER: return a.remainder(b);
    case CT_FLOOR_DIVIDE: return a.div(b, "floor");
    case CT_ATAN2: return a.atan2(b);
  }
  throw std::invalid_argument("unknown binary operation code");
}

at::Tensor apply_binary_scalar(const at::Tensor &a, const at::Scalar &b, ct_binary_op op) {
  switch (op) {
    case CT_ADD: return a.add(b);
    case CT_SUB: return a.sub(b);
    case CT_MUL: return a.mul(b);
    case CT_DIV: return a.div(b);
    case CT_POW: return a.pow(b);
    case CT_EQ: return a.eq(b);
    case CT_NE: return a.ne(b);
    case CT_LT: return a.lt(b);
    case CT_LE: return a.le(b);
    case CT_GT: return a.gt(b);
    case CT_GE: return a.ge(b);
    case CT_REMAINDER: return a.remainder(b);
    case CT_FLOOR_DIVIDE: return a.div(b, "floor");
    default: return apply_binary(a, at::scalar_tensor(b, a.options().requires_grad(false)), op);
  }
}

}  // namespace

extern "C" {

ct_tensor ct_unary(ct_tensor t, ct_unary_op op) { CT_TENSOR(apply_unary(unwrap(t), op)) }
ct_tensor ct_binary(ct_tensor a, ct_tensor b, ct_binary_op op) { CT_TENSOR(apply_binary(unwrap(a), unwrap(b), op)) }
ct_tensor ct_binary_scalar(ct_tensor a, double b, ct_binary_op op) {
  CT_TENSOR(apply_binary_scalar(unwrap(a), ctorch::scalar_for(unwrap(a), b), op))
}
ct_tensor ct_scalar_binary(double a, ct_tensor b, ct_binary_op op) {
  CT_GUARD(nullptr, {
    const at::Tensor &t = unwrap(b);
    switch (op) {
      case CT_SUB: return ctorch::wrap(at::rsub(t, ctorch::scalar_for(t, a)));
      case CT_POW: return ctorch::wrap(at::pow(ctorch::scalar_for(t, a), t));
      default: {
        at::Tensor lhs = at::scalar_tensor(ctorch::scalar_for(t, a), t.options().requires_grad(false));
        return ctorch::wrap(apply_binary(lhs, t, op));
      }
    }
  })
}
ct_tensor ct_clamp(ct_tensor t, double min, double max, bool has_min, bool has_max) {
  CT_TENSOR(unwrap(t).clamp(has_min ? c10::optional<at::Scalar>(min) : c10::nullopt,
                            has_max ? c10::optional<at::Scalar>(max) : c10::nullopt))
}
ct_tensor ct_lerp(ct_tensor a, ct_tensor b, double weight) { CT_TENSOR(unwrap(a).lerp(unwrap(b), weight)) }

int ct_add_(ct_tensor t, ct_tensor other, double alpha) { CT_STATUS(t->tensor.add_(unwrap(other), alpha)) }
int ct_add_scalar_(ct_tensor t, double value) { CT_STATUS(t->tensor.add_(ctorch::scalar_for(t->tensor, value))) }
int ct_mul_(ct_tensor t, ct_tensor other) { CT_STATUS(t->tensor.mul_(unwrap(other))) }
int ct_mul_scalar_(ct_tensor t, double value) { CT_STATUS(t->tensor.mul_(ctorch::scalar_for(t->tensor, value))) }
int ct_div_(ct_tensor t, ct_tensor other) { CT_STATUS(t->tensor.div_(unwrap(other))) }
int ct_addcmul_(ct_tensor t, ct_tensor a, ct_tensor b, double value) {
  CT_STATUS(t->tensor.addcmul_(unwrap(a), unwrap(b), value))
}
int ct_addcdiv_(ct_tensor t, ct_tensor a, ct_tensor b, double value) {
  CT_STATUS(t->tensor.addcdiv_(unwrap(a), unwrap(b), value))
}
int ct_lerp_(ct_tensor t, ct_tensor end, double weight) { CT_STATUS(t->tensor.lerp_(unwrap(end), weight)) }
int ct_fill_(ct_tensor t, double value) { CT_STATUS(t->tensor.fill_(value)) }
int ct_zero_(ct_tensor t) { CT_STATUS(t->tensor.zero_()) }
int ct_clamp_(ct_tensor t, double min, double max, bool has_min, bool has_max) {
  CT_STATUS(t->tensor.clamp_(has_min ? c10::optional<at::Scalar>(min) : c10::nullopt,
                             has_max ? c10::optional<at::Scalar>(max) : c10::nullopt))
}
int ct_sqrt_(ct_tensor t) { CT_STATUS(t->tensor.sqrt_()) }
int ct_uniform_(ct_tensor t, double from, double to) { CT_STATUS(t->tensor.uniform_(from, to)) }
int ct_normal_(ct_tensor t, double mean, double std) { CT_STATUS(t->tensor.normal_(mean, std)) }

ct_tensor ct_matmul(ct_tensor a, ct_tensor b) { CT_TENSOR(at::matmul(unwrap(a), unwrap(b))) }
ct_tensor ct_bmm(ct_tensor a, ct_tensor b) { CT_TENSOR(at::bmm(unwrap(a), unwrap(b))) }
ct_tensor ct_addmm(ct_tensor bias, ct_tensor a, ct_tensor b, double beta, double alpha) {
  CT_TENSOR(at::addmm(unwrap(bias), unwrap(a), unwrap(b), beta, alpha))
}
ct_tensor ct_einsum(const char *equation, const ct_tensor *list, int64_t count) {
  CT_TENSOR(at::einsum(equation, ctorch::tensors(list, count)))
}
ct_tensor ct_outer(ct_tensor a, ct_tensor b) { CT_TENSOR(at::outer(unwrap(a), unwrap(b))) }

}  // extern "C"
