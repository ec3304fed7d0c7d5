#ifndef CTORCH_OPTIM_H
#define CTORCH_OPTIM_H
/*
 * Multi-tensor ("foreach") and fused optimizer kernels, host-to-device transfer helpers and accelerator memory
 * statistics over libtorch 2.11. Same conventions as ctorch.h: lists are (pointer, count) arrays of borrowed
 * handles, all of one length per call; failures return a negative value (or NULL) and leave libtorch's message
 * in ct_last_error(). The foreach functions mirror torch._foreach_*: on CUDA one kernel launch covers a whole
 * list of tensors of one device and dtype; on the CPU libtorch loops over the tensors with the ordinary ops.
 */
#include <stdbool.h>
#include <stdint.h>

#include "ctorch.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- in-place foreach updates (torch._foreach_*_) ---- */
/* self[i] += value */
int ct_foreach_add_scalar_(const ct_tensor *self, int64_t count, double value);
/* self[i] *= value */
int ct_foreach_mul_scalar_(const ct_tensor *self, int64_t count, double value);
/* self[i] *= scalar, a 0-dimensional tensor (no host synchronisation) */
int ct_foreach_mul_tensor_(const ct_tensor *self, int64_t count, ct_tensor scalar);
/* self[i] /= values[i] */
int ct_foreach_div_scalars_(const ct_tensor *self, int64_t count, const double *values);
/* self[i] += weight * (end[i] - self[i]) */
int ct_foreach_lerp_scalar_(const ct_tensor *self, const ct_tensor *end, int64_t count, double weight);
/* self[i] += value * a[i] * b[i] */
int ct_foreach_addcmul_scalar_(const ct_tensor *self, const ct_tensor *a, const ct_tensor *b, int64_t count,
                               double value);
/* self[i] += values[i] * a[i] / b[i] */
int ct_foreach_addcdiv_scalars_(const ct_tensor *self, const ct_tensor *a, const ct_tensor *b, int64_t count,
                                const double *values);

/* ---- foreach ops returning new tensors (written to out[0..count)) ---- */
/* out[i] = sqrt(self[i]) */
int ct_foreach_sqrt(const ct_tensor *self, int64_t count, ct_tensor *out);
/* out[i] = self[i] + alpha * other[i] */
int ct_foreach_add_list(const ct_tensor *self, const ct_tensor *other, int64_t count, double alpha, ct_tensor *out);
/* out[i] = the `ord`-norm of self[i] over all elements, a 0-dimensional tensor on self[i]'s device */
int ct_foreach_norm(const ct_tensor *self, int64_t count, double ord, ct_tensor *out);

/* ---- fused Adam / AdamW (torch._fused_adam_ / torch._fused_adamw_) ---- */
/* One Adam step over lists on one device and dtype; `steps` are float32 tensors on the parameters' device,
 * already incremented for this step (as torch.optim's _fused_adam does before calling the kernel).
 * decoupled: AdamW's decoupled weight decay, else Adam's L2 term. No AMSGrad, no maximize, no grad scaler. */
int ct_fused_adam_(const ct_tensor *params, const ct_tensor *grads, const ct_tensor *exp_avgs,
                   const ct_tensor *exp_avg_sqs, const ct_tensor *steps, int64_t count, double lr, double beta1,
                   double beta2, double weight_decay, double eps, bool decoupled);

/* ---- host-to-device transfers ---- */
/* A copy of a CPU tensor in page-locked (pinned) host memory, so a copy to the GPU can run asynchronously.
 * Needs CUDA (fails without it). */
ct_tensor ct_pin_memory(ct_tensor t);
bool ct_is_pinned(ct_tensor t);
/* t.to(device, non_blocking=true): asynchronous when t is in pinned memory and the target is a GPU. */
ct_tensor ct_to_device_non_blocking(ct_tensor t, int device_type, int device_index);

/* ---- accelerator memory statistics (torch.cuda.max_memory_allocated / reset_peak_memory_stats) ---- */
/* Peak bytes held by tensors on the accelerator device since the start or the last reset; -1 without one. */
int64_t ct_accelerator_peak_allocated_bytes(int device_index);
/* Starts a new peak; -1 without an accelerator. */
int ct_accelerator_reset_peak_stats(int device_index);

#ifdef __cplusplus
}
#endif
#endif
