// Float32 matmul precision (TF32 on CUDA), PyTorch's torch.set_float32_matmul_precision.
#ifndef CTORCH_PRECISION_H
#define CTORCH_PRECISION_H

#ifdef __cplusplus
extern "C" {
#endif

/// Sets libtorch's float32 matmul precision: "highest" (plain float32), "high" (TF32 allowed) or "medium".
/// Returns 0, or -1 with the error set for another name.
int ct_set_float32_matmul_precision(const char *precision);

/// libtorch's current float32 matmul precision as 0 = highest, 1 = high, 2 = medium.
int ct_float32_matmul_precision(void);

#ifdef __cplusplus
}
#endif

#endif
