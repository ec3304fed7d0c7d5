// Foreach and fused optimizer kernels, pinned host memory, accelerator memory statistics (ctorch_optim.h).
#include <ATen/DeviceAccelerator.h>

#include <vector>

#include "ctorch_optim.h"
#include "internal.hpp"

using ctorch::tensors;
using ctorch::unwrap;

namespace {
std::vector<at::Scalar> scalars(const double *values, int64_t count) {
  return std::vector<at::Scalar>(values, values + count);
}

int write_out(std::vector<at::Tensor> results, ct_tensor *out) {
  for (size_t i = 0; i < results.size(); ++i) out[i] = ctorch::wrap(std::move(results[i]));
  return 0;
}

// The accelerator's allocator, or an error when this process has none (loads libtorch_cuda first).
bool has_accelerator() {
  if (ct_cuda_load() && at::accelerator::getAccelerator(false).has_value()) return true;
  ctorch::set_error("no accelerator (GPU) is available: memory statistics need CUDA");
  return false;
}
}  // namespace

extern "C" {

int ct_foreach_add_scalar_(const ct_tensor *self, int64_t count, double value) {
  CT_STATUS(at::_foreach_add_(tensors(self, count), value))
}

int ct_foreach_mul_scalar_(const ct_tensor *self, int64_t count, double value) {
  CT_STATUS(at::_foreach_mul_(tensors(self, count), value))
}

int ct_foreach_mul_tensor_(const ct_tensor *self, int64_t count, ct_tensor scalar) {
  CT_STATUS(at::_foreach_mul_(tensors(self, count), unwrap(scalar)))
}

int ct_foreach_div_scalars_(const ct_tensor *self, int64_t count, const double *values) {
  CT_STATUS(at::_foreach_div_(tensors(self, count), scalars(values, count)))
}

int ct_foreach_lerp_scalar_(const ct_tensor *self, const ct_tensor *end, int64_t count, double weight) {
  CT_STATUS(at::_foreach_lerp_(tensors(self, count), tensors(end, count), weight))
}

int ct_foreach_addcmul_scalar_(const ct_tensor *self, const ct_tensor *a, const ct_tensor *b, int64_t count,
                               double value) {
  CT_STATUS(at::_foreach_addcmul_(tensors(self, count), tensors(a, count), tensors(b, count), value))
}

int ct_foreach_addcdiv_scalars_(const ct_tensor *self, const ct_tensor *a, const ct_tensor *b, int64_t count,
                                const double *values) {
  CT_STATUS(
      at::_foreach_addcdiv_(tensors(self, count), tensors(a, count), tensors(b, count), scalars(values, count)))
}

int ct_foreach_sqrt(const ct_tensor *self, int64_t count, ct_tensor *out) {
  CT_GUARD(-1, return write_out(at::_foreach_sqrt(tensors(self, count)), out);)
}

int ct_foreach_add_list(const ct_tensor *self, const ct_tensor *other, int64_t count, double alpha, ct_tensor *out) {
  CT_GUARD(-1, return write_out(at::_foreach_add(tensors(self, count), tensors(other, count), alpha), out);)
}

int ct_foreach_norm(const ct_tensor *self, int64_t count, double ord, ct_tensor *out) {
  CT_GUARD(-1, return write_out(at::_foreach_norm(tensors(self, count), ord), out);)
}

int ct_fused_adam_(const ct_tensor *params, const ct_tensor *grads, const ct_tensor *exp_avgs,
                   const ct_tensor *exp_avg_sqs, const ct_tensor *steps, int64_t count, double lr, double beta1,
                   double beta2, double weight_decay, double eps, bool decoupled) {
  CT_GUARD(-1, {
    auto p = tensors(params, count);
    auto g = tensors(grads, count);
    auto m = tensors(exp_avgs, count);
    auto v = tensors(exp_avg_sqs, count);
    auto s = tensors(steps, count);
    // No AMSGrad: its list of running maxima stays empty, as torch.optim passes it.
    std::vector<at::Tensor> none;
    if (decoupled) {
      at::_fused_adamw_(p, g, m, v, none, s, lr, beta1, beta2, weight_decay, eps, false, false);
    } else {
      at::_fused_adam_(p, g, m, v, none, s, lr, beta1, beta2, weight_decay, eps, false, false);
    }
    return 0;
  })
}

ct_tensor ct_pin_memory(ct_tensor t) { CT_TENSOR(unwrap(t).pin_memory()) }

bool ct_is_pinned(ct_tensor t) {
  CT_GUARD(false, return unwrap(t).is_pinned();)
}

ct_tensor ct_to_device_non_blocking(ct_tensor t, int device_type, int device_index) {
  const auto &tensor = unwrap(t);
  at::Device device(static_cast<c10::DeviceType>(device_type),
                    static_cast<c10::DeviceIndex>(device_type == 0 ? -1 : device_index));
  CT_TENSOR(tensor.to(device, tensor.scalar_type(), /*non_blocking=*/true, /*copy=*/false))
}

int64_t ct_accelerator_peak_allocated_bytes(int device_index) {
  if (!has_accelerator()) return -1;
  CT_GUARD(-1, {
    auto stats = at::accelerator::getDeviceStats(static_cast<c10::DeviceIndex>(device_index));
    return stats.allocated_bytes[static_cast<size_t>(c10::CachingAllocator::StatType::AGGREGATE)].peak;
  })
}

int ct_accelerator_reset_peak_stats(int device_index) {
  if (!has_accelerator()) return -1;
  CT_STATUS(at::accelerator::resetPeakStats(static_cast<c10::DeviceIndex>(device_index)))
}

}  // extern "C"
