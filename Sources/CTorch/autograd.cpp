// Gradient bookkeeping and grad-mode scopes.
#include <c10/core/GradMode.h>
#include <c10/core/InferenceMode.h>

#include "internal.hpp"

using ctorch::unwrap;

extern "C" {

int ct_set_requires_grad(ct_tensor t, bool requires_grad) { CT_STATUS(t->tensor.requires_grad_(requires_grad)) }
int ct_backward(ct_tensor t, ct_tensor gradient, bool retain_graph) {
  CT_STATUS(unwrap(t).backward(gradient ? unwrap(gradient) : at::Tensor(), retain_graph))
}
ct_tensor ct_grad(ct_tensor t) {
  CT_GUARD(nullptr, {
    const at::Tensor &grad = unwrap(t).grad();
    return grad.defined() ? ctorch::wrap(grad) : static_cast<ct_tensor>(nullptr);
  })
}
int ct_set_grad(ct_tensor t, ct_tensor grad) {
  CT_STATUS(t->tensor.mutable_grad() = grad ? unwrap(grad) : at::Tensor())
}
int ct_retain_grad(ct_tensor t) { CT_STATUS(t->tensor.retain_grad()) }
bool ct_is_grad_enabled(void) { return c10::GradMode::is_enabled(); }
bool ct_set_grad_enabled(bool enabled) {
  bool previous = c10::GradMode::is_enabled();
  c10::GradMode::set_enabled(enabled);
  return previous;
}
void *ct_inference_mode_enter(void) { CT_GUARD(nullptr, return new c10::InferenceMode(true);) }
void ct_inference_mode_exit(void *guard) { delete static_cast<c10::InferenceMode *>(guard); }

}  // extern "C"
