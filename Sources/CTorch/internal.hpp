// Shared helpers of the C shim: the handle type, error capture, argument conversions.
#pragma once
#include <ATen/ATen.h>

#include <atomic>
#include <string>
#include <vector>

#include "ctorch.h"

struct ct_tensor_s {
  at::Tensor tensor;
  explicit ct_tensor_s(at::Tensor t);
  ~ct_tensor_s();
};

namespace ctorch {

void set_error(const char *message);
std::atomic<int64_t> &live_handles();

inline ct_tensor wrap(at::Tensor t) { return new ct_tensor_s(std::move(t)); }
inline const at::Tensor &unwrap(ct_tensor t) { return t->tensor; }
inline c10::optional<at::Tensor> optional(ct_tensor t) {
  return t ? c10::optional<at::Tensor>(t->tensor) : c10::nullopt;
}
inline at::IntArrayRef shape(const int64_t *data, int64_t n) { return at::IntArrayRef(data, static_cast<size_t>(n)); }
inline at::TensorOptions options(int dtype, int device_type, int device_index) {
  return at::TensorOptions()
      .dtype(static_cast<at::ScalarType>(dtype))
      .device(at::Device(static_cast<c10::DeviceType>(device_type),
                         static_cast<c10::DeviceIndex>(device_type == 0 ? -1 : device_index)));
}
inline std::vector<at::Tensor> tensors(const ct_tensor *list, int64_t count) {
  std::vector<at::Tensor> out;
  out.reserve(static_cast<size_t>(count));
  for (int64_t i = 0; i < count; ++i) out.push_back(list[i]->tensor);
  return out;
}
inline at::Reduction::Reduction reduction(int code) {
  switch (code) {
    case 0: return at::Reduction::None;
    case 2: return at::Reduction::Sum;
    default: return at::Reduction::Mean;
  }
}

// Integral scalars stay integral so that int64 tensors keep their dtype (x + 1 on an int tensor).
inline at::Scalar scalar_for(const at::Tensor &t, double value) {
  if (!at::isFloatingType(t.scalar_type()) && value == static_cast<double>(static_cast<int64_t>(value))) {
    return at::Scalar(static_cast<int64_t>(value));
  }
  return at::Scalar(value);
}

}  // namespace ctorch

// Runs `body` (which returns a value) and turns any C++ exception into (set_error, `failure`).
#define CT_GUARD(failure, ...)                                   \
  try {                                                          \
    __VA_ARGS__                                                  \
  } catch (const c10::Error &e) {                                \
    ctorch::set_error(e.what_without_backtrace());               \
    return failure;                                              \
  } catch (const std::exception &e) {                            \
    ctorch::set_error(e.what());                                 \
    return failure;                                              \
  } catch (...) {                                                \
    ctorch::set_error("unknown C++ exception in libtorch call"); \
    return failure;                                              \
  }

#define CT_TENSOR(...) CT_GUARD(nullptr, return ctorch::wrap(__VA_ARGS__);)
#define CT_STATUS(...) CT_GUARD(-1, __VA_ARGS__; return 0;)
