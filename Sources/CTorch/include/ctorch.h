#ifndef CTORCH_H
#define CTORCH_H
/*
 * Plain C API over libtorch 2.11. No C++ type crosses this header.
 *
 * Conventions
 * - A `ct_tensor` is an owning handle: every function that returns one hands over a new reference, which
 *   the caller frees exactly once with `ct_free`. Arguments are borrowed.
 * - Every function catches C++ exceptions. On failure a tensor- or pointer-returning function returns NULL
 *   and an int-returning one returns a negative value; `ct_last_error()` then holds libtorch's message (per
 *   thread). The only `void` functions are those that cannot fail (freeing, clearing, leaving a scope).
 * - dtype arguments are c10::ScalarType codes; device types are c10::DeviceType codes (0 = CPU, 1 = CUDA).
 * - Optional tensor arguments may be NULL. Shapes are (pointer, count) pairs.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ct_tensor_s *ct_tensor;

/* ---- runtime ---- */
const char *ct_version(void);
/* The message of the last failed call on this thread (empty when none). */
const char *ct_last_error(void);
void ct_clear_error(void);
/* Error scopes: while one is open on this thread, failures are also recorded in it (first one wins)
 * so a caller can turn them into a single error when the scope ends. */
int ct_error_scope_begin(void);
/* Records `message` in the innermost open scope (unless it already holds one); returns 1 when a scope is open. */
int ct_error_scope_record(const char *message);
/* Closes the innermost scope; returns its first error (owned by the caller, free with ct_free_string) or NULL. */
char *ct_error_scope_end(void);
int ct_manual_seed(uint64_t seed);
/* Returns -1 on failure. */
int ct_get_num_threads(void);
int ct_set_num_threads(int n);
/* Sets the OpenMP team size for parallel regions started from the calling thread only (data-loader
 * workers use 1, as PyTorch's DataLoader workers do); returns 0 when the runtime has no OpenMP. */
int ct_set_thread_intraop_threads(int n);
/* Loads libtorch_cuda from the folder that holds libtorch_cpu, once; returns 1 when CUDA is usable. */
int ct_cuda_load(void);
int ct_cuda_device_count(void);
/* Waits for the device's queued work; fails (-1) without CUDA or for a bad device index. */
int ct_cuda_synchronize(int device);
/* Number of live tensor handles created by this library (for leak checks). */
int64_t ct_live_handles(void);

/* ---- lifecycle and metadata ---- */
void ct_free(ct_tensor t);
ct_tensor ct_retain(ct_tensor t); /* a second handle to the same tensor */
int64_t ct_dim(ct_tensor t);
int64_t ct_numel(ct_tensor t);
int ct_sizes(ct_tensor t, int64_t *out);
int ct_strides(ct_tensor t, int64_t *out); /* fails for layouts without strides (sparse) */
int64_t ct_storage_offset(ct_tensor t);
int ct_dtype(ct_tensor t);
int ct_device_type(ct_tensor t);
int ct_device_index(ct_tensor t);
bool ct_is_contiguous(ct_tensor t);
bool ct_requires_grad(ct_tensor t);
bool ct_is_leaf(ct_tensor t);
bool ct_has_grad_fn(ct_tensor t);
bool ct_same_storage(ct_tensor a, ct_tensor b);
/* Formats the tensor as PyTorch prints it; free the result with ct_free_string. */
char *ct_to_string(ct_tensor t);
void ct_free_string(char *s);

/* ---- data in and out ---- */
ct_tensor ct_from_data(const void *data, const int64_t *shape, int64_t ndim, int dtype);
/* Copies the elements (contiguous, row-major, the tensor's dtype) into dst; returns bytes written or -1. */
int64_t ct_copy_to_host(ct_tensor t, void *dst, int64_t capacity_bytes);
/* Copies `src` into `dst` in place (broadcasting, converting dtype/device). */
int ct_copy_(ct_tensor dst, ct_tensor src);
/* Address of the first element of a CPU tensor (NULL with an error for other devices or tensors without
 * storage); valid while the tensor lives. */
void *ct_data_ptr(ct_tensor t);
int ct_item_double(ct_tensor t, double *out);
int ct_item_int64(ct_tensor t, int64_t *out);

/* ---- factories ---- */
ct_tensor ct_zeros(const int64_t *shape, int64_t ndim, int dtype, int device_type, int device_index);
ct_tensor ct_ones(const int64_t *shape, int64_t ndim, int dtype, int device_type, int device_index);
ct_tensor ct_empty(const int64_t *shape, int64_t ndim, int dtype, int device_type, int device_index);
ct_tensor ct_full(const int64_t *shape, int64_t ndim, double value, int dtype, int device_type, int device_index);
ct_tensor ct_arange(double start, double end, double step, int dtype, int device_type, int device_index);
ct_tensor ct_linspace(double start, double end, int64_t steps, int dtype, int device_type, int device_index);
ct_tensor ct_eye(int64_t n, int64_t m, int dtype, int device_type, int device_index);
ct_tensor ct_rand(const int64_t *shape, int64_t ndim, int dtype, int device_type, int device_index);
ct_tensor ct_randn(const int64_t *shape, int64_t ndim, int dtype, int device_type, int device_index);
/// Draws with the shape, dtype, device and strides of `t` (as torch.rand_like / torch.randn_like).
ct_tensor ct_rand_like(ct_tensor t);
ct_tensor ct_randn_like(ct_tensor t);
ct_tensor ct_randint(int64_t low, int64_t high, const int64_t *shape, int64_t ndim, int dtype, int device_type,
                     int device_index);
ct_tensor ct_randperm(int64_t n, int dtype, int device_type, int device_index);
/* randperm on the CPU from a fresh generator seeded with `seed` (torch.Generator().manual_seed(seed)). */
ct_tensor ct_randperm_seeded(int64_t n, uint64_t seed);
/* A CPU generator of its own (torch.Generator().manual_seed(seed)): the draws below take it instead of the
 * process-wide default generator, so other threads' draws do not move its stream. */
typedef struct ct_generator_s *ct_generator;
ct_generator ct_cpu_generator_new(uint64_t seed);
void ct_generator_free(ct_generator g);
/* rand / randn of `shape` on the CPU from `g` (torch.rand(..., generator=g)). */
ct_tensor ct_rand_from(ct_generator g, const int64_t *shape, int64_t ndim, int dtype);
ct_tensor ct_randn_from(ct_generator g, const int64_t *shape, int64_t ndim, int dtype);
ct_tensor ct_multinomial(ct_tensor probs, int64_t samples, bool replacement);
ct_tensor ct_bernoulli(ct_tensor probs);

/* ---- conversion ---- */
ct_tensor ct_to(ct_tensor t, int dtype, int device_type, int device_index, bool copy);
ct_tensor ct_contiguous(ct_tensor t);
ct_tensor ct_clone(ct_tensor t);
ct_tensor ct_detach(ct_tensor t);

/* ---- views and indexing ---- */
ct_tensor ct_reshape(ct_tensor t, const int64_t *shape, int64_t ndim);
ct_tensor ct_view(ct_tensor t, const int64_t *shape, int64_t ndim);
ct_tensor ct_transpose(ct_tensor t, int64_t dim0, int64_t dim1);
ct_tensor ct_permute(ct_tensor t, const int64_t *dims, int64_t ndim);
ct_tensor ct_slice(ct_tensor t, int64_t dim, int64_t start, int64_t end, int64_t step);
ct_tensor ct_narrow(ct_tensor t, int64_t dim, int64_t start, int64_t length);
ct_tensor ct_select(ct_tensor t, int64_t dim, int64_t index);
ct_tensor ct_index_select(ct_tensor t, int64_t dim, ct_tensor index);
ct_tensor ct_gather(ct_tensor t, int64_t dim, ct_tensor index);
ct_tensor ct_scatter(ct_tensor t, int64_t dim, ct_tensor index, ct_tensor src);
ct_tensor ct_scatter_add(ct_tensor t, int64_t dim, ct_tensor index, ct_tensor src);
/* t[indices[0], indices[1], ...] with PyTorch advanced-indexing rules; NULL entries mean ':'. */
ct_tensor ct_index(ct_tensor t, const ct_tensor *indices, int64_t count);
/* t[indices...] = values, in place. */
int ct_index_put_(ct_tensor t, const ct_tensor *indices, int64_t count, ct_tensor values, bool accumulate);
ct_tensor ct_masked_select(ct_tensor t, ct_tensor mask);
ct_tensor ct_masked_fill(ct_tensor t, ct_tensor mask, double value);
ct_tensor ct_masked_fill_tensor(ct_tensor t, ct_tensor mask, ct_tensor value);
int ct_masked_fill_(ct_tensor t, ct_tensor mask, double value);
ct_tensor ct_expand(ct_tensor t, const int64_t *shape, int64_t ndim);
ct_tensor ct_squeeze(ct_tensor t);
ct_tensor ct_squeeze_dim(ct_tensor t, int64_t dim);
ct_tensor ct_unsqueeze(ct_tensor t, int64_t dim);
ct_tensor ct_flatten(ct_tensor t, int64_t start_dim, int64_t end_dim);
ct_tensor ct_cat(const ct_tensor *tensors, int64_t count, int64_t dim);
ct_tensor ct_stack(const ct_tensor *tensors, int64_t count, int64_t dim);
/* Writes up to `capacity` handles into out; returns how many. */
int64_t ct_chunk(ct_tensor t, int64_t chunks, int64_t dim, ct_tensor *out, int64_t capacity);
int64_t ct_split(ct_tensor t, int64_t split_size, int64_t dim, ct_tensor *out, int64_t capacity);
int64_t ct_split_sizes(ct_tensor t, const int64_t *sizes, int64_t count, int64_t dim, ct_tensor *out);
ct_tensor ct_triu(ct_tensor t, int64_t diagonal);
ct_tensor ct_tril(ct_tensor t, int64_t diagonal);
ct_tensor ct_where(ct_tensor condition, ct_tensor a, ct_tensor b);
ct_tensor ct_repeat(ct_tensor t, const int64_t *repeats, int64_t ndim);
ct_tensor ct_roll(ct_tensor t, int64_t shift, int64_t dim);
ct_tensor ct_flip(ct_tensor t, const int64_t *dims, int64_t ndim);
ct_tensor ct_nonzero(ct_tensor t);

/* ---- elementwise ---- */
typedef enum {
  CT_NEG, CT_EXP, CT_LOG, CT_SQRT, CT_RSQRT, CT_ABS, CT_SIN, CT_COS, CT_TANH, CT_SIGMOID, CT_FLOOR, CT_CEIL,
  CT_ROUND, CT_SIGN, CT_ERF, CT_RECIPROCAL, CT_LOG1P, CT_EXPM1, CT_ISNAN, CT_ISINF, CT_ISFINITE,
  CT_LOGICAL_NOT, CT_RELU, CT_SILU, CT_SQUARE, CT_LOG2, CT_ATAN, CT_ERFINV
} ct_unary_op;
ct_tensor ct_unary(ct_tensor t, ct_unary_op op);

typedef enum {
  CT_ADD, CT_SUB, CT_MUL, CT_DIV, CT_POW, CT_MAXIMUM, CT_MINIMUM, CT_EQ, CT_NE, CT_LT, CT_LE, CT_GT, CT_GE,
  CT_LOGICAL_AND, CT_LOGICAL_OR, CT_LOGICAL_XOR, CT_REMAINDER, CT_FLOOR_DIVIDE, CT_ATAN2
} ct_binary_op;
ct_tensor ct_binary(ct_tensor a, ct_tensor b, ct_binary_op op);
ct_tensor ct_binary_scalar(ct_tensor a, double b, ct_binary_op op);
/* b - a style operations where the scalar comes first (e.g. 1 - x, 2 / x, 2 ** x). */
ct_tensor ct_scalar_binary(double a, ct_tensor b, ct_binary_op op);
ct_tensor ct_clamp(ct_tensor t, double min, double max, bool has_min, bool has_max);
ct_tensor ct_lerp(ct_tensor a, ct_tensor b, double weight);

/* ---- in-place updates (for optimizers; they bypass autograd only inside no-grad scopes) ---- */
int ct_add_(ct_tensor t, ct_tensor other, double alpha);
int ct_add_scalar_(ct_tensor t, double value);
int ct_mul_(ct_tensor t, ct_tensor other);
int ct_mul_scalar_(ct_tensor t, double value);
int ct_div_(ct_tensor t, ct_tensor other);
int ct_addcmul_(ct_tensor t, ct_tensor a, ct_tensor b, double value);
int ct_addcdiv_(ct_tensor t, ct_tensor a, ct_tensor b, double value);
int ct_lerp_(ct_tensor t, ct_tensor end, double weight);
int ct_fill_(ct_tensor t, double value);
int ct_zero_(ct_tensor t);
int ct_clamp_(ct_tensor t, double min, double max, bool has_min, bool has_max);
int ct_sqrt_(ct_tensor t);
int ct_uniform_(ct_tensor t, double from, double to);
int ct_normal_(ct_tensor t, double mean, double std);

/* ---- reductions ---- */
typedef enum {
  CT_SUM, CT_MEAN, CT_AMAX, CT_AMIN, CT_LOGSUMEXP, CT_PROD, CT_ANY, CT_ALL
} ct_reduce_op;
/* Reduces over `dims` (all dims when ndims == 0). */
ct_tensor ct_reduce(ct_tensor t, ct_reduce_op op, const int64_t *dims, int64_t ndims, bool keepdim);
ct_tensor ct_var(ct_tensor t, const int64_t *dims, int64_t ndims, double correction, bool keepdim);
ct_tensor ct_std(ct_tensor t, const int64_t *dims, int64_t ndims, double correction, bool keepdim);
ct_tensor ct_norm(ct_tensor t, double p, const int64_t *dims, int64_t ndims, bool keepdim);
/* max/min along a dim: values and indices. */
int ct_max_dim(ct_tensor t, int64_t dim, bool keepdim, ct_tensor *values, ct_tensor *indices);
int ct_min_dim(ct_tensor t, int64_t dim, bool keepdim, ct_tensor *values, ct_tensor *indices);
ct_tensor ct_argmax(ct_tensor t, int64_t dim, bool has_dim, bool keepdim);
ct_tensor ct_argmin(ct_tensor t, int64_t dim, bool has_dim, bool keepdim);
ct_tensor ct_cumsum(ct_tensor t, int64_t dim);
ct_tensor ct_cumprod(ct_tensor t, int64_t dim);
int ct_sort(ct_tensor t, int64_t dim, bool descending, bool stable, ct_tensor *values, ct_tensor *indices);
int ct_topk(ct_tensor t, int64_t k, int64_t dim, bool largest, bool sorted, ct_tensor *values, ct_tensor *indices);

/* ---- linear algebra ---- */
ct_tensor ct_matmul(ct_tensor a, ct_tensor b);
ct_tensor ct_bmm(ct_tensor a, ct_tensor b);
ct_tensor ct_addmm(ct_tensor bias, ct_tensor a, ct_tensor b, double beta, double alpha);
ct_tensor ct_einsum(const char *equation, const ct_tensor *tensors, int64_t count);
ct_tensor ct_outer(ct_tensor a, ct_tensor b);
/// Eigen-decomposition of symmetric matrices [..., n, n] (torch.linalg.eigh): ascending eigenvalues into
/// *values, eigenvectors as columns into *vectors. Returns 0, or -1 with the error set.
int ct_linalg_eigh(ct_tensor a, ct_tensor *values, ct_tensor *vectors);

/* ---- neural-network primitives ---- */
ct_tensor ct_linear(ct_tensor x, ct_tensor weight, ct_tensor bias);
ct_tensor ct_conv1d(ct_tensor x, ct_tensor weight, ct_tensor bias, int64_t stride, int64_t padding, int64_t dilation,
                    int64_t groups);
ct_tensor ct_batch_norm(ct_tensor x, ct_tensor weight, ct_tensor bias, ct_tensor running_mean, ct_tensor running_var,
                        bool training, double momentum, double eps);
ct_tensor ct_layer_norm(ct_tensor x, const int64_t *normalized_shape, int64_t ndim, ct_tensor weight, ct_tensor bias,
                        double eps);
ct_tensor ct_embedding(ct_tensor weight, ct_tensor indices, int64_t padding_idx);
ct_tensor ct_dropout(ct_tensor x, double p, bool training);
/* approximate: 0 = exact (erf), 1 = tanh */
ct_tensor ct_gelu(ct_tensor x, int approximate);
ct_tensor ct_softmax(ct_tensor x, int64_t dim);
ct_tensor ct_log_softmax(ct_tensor x, int64_t dim);
/* attn_mask: bool (true = attend) or float (added); scale <= 0 means 1/sqrt(head_dim). */
ct_tensor ct_sdpa(ct_tensor q, ct_tensor k, ct_tensor v, ct_tensor attn_mask, double dropout_p, bool is_causal,
                  double scale);
/* Fused CPU attention with dropout inside the kernel (fused_attention.cpp), an autograd function:
 * q [B, h, Lq, E], k [B, h, Lk, E], v [B, h, Lk, Ev], float32 or float64; attn_mask as for ct_sdpa
 * (no gradient flows to it); fully masked rows give zeros. seed_offset: NULL draws the dropout seed and
 * offset from libtorch's default CPU generator, else {seed, offset} (tests). Output [B, h, Lq, Ev] is
 * stored as [B, Lq, h, Ev]. */
ct_tensor ct_fused_sdpa(ct_tensor q, ct_tensor k, ct_tensor v, ct_tensor attn_mask, double dropout_p, bool is_causal,
                        double scale, const uint64_t *seed_offset);
/* The kernel's dropout keep-mask (bool [B, h, Lq, Lk], true = kept) for a seed and offset: debugging and tests. */
ct_tensor ct_fused_sdpa_keep_mask(int64_t batch, int64_t heads, int64_t query_length, int64_t key_length,
                                  double dropout_p, uint64_t seed, uint64_t offset);
/* The instruction set of the kernel's float32 row operations on this CPU: 2 AVX-512F, 1 AVX2+FMA, 0 scalar
 * code (ECG_FUSED_ATTENTION_ISA=scalar|avx2|avx512 can lower it, for tests). */
int ct_fused_sdpa_vectorized(void);
ct_tensor ct_adaptive_avg_pool1d(ct_tensor x, int64_t output_size);
/* mode: 0 constant, 1 reflect, 2 replicate, 3 circular */
ct_tensor ct_pad(ct_tensor x, const int64_t *pads, int64_t npads, int mode, double value);
/* reduction: 0 none, 1 mean, 2 sum */
ct_tensor ct_mse_loss(ct_tensor input, ct_tensor target, int reduction);
ct_tensor ct_l1_loss(ct_tensor input, ct_tensor target, int reduction);
ct_tensor ct_cross_entropy(ct_tensor logits, ct_tensor target, ct_tensor weight, int reduction, int64_t ignore_index,
                           double label_smoothing);
ct_tensor ct_bce_with_logits(ct_tensor logits, ct_tensor target, ct_tensor weight, ct_tensor pos_weight,
                             int reduction);

/* ---- autograd ---- */
int ct_set_requires_grad(ct_tensor t, bool requires_grad);
/* Runs backward from t; `gradient` may be NULL for a scalar t. */
int ct_backward(ct_tensor t, ct_tensor gradient, bool retain_graph);
/* The accumulated gradient, or NULL (without an error) when there is none. */
ct_tensor ct_grad(ct_tensor t);
int ct_set_grad(ct_tensor t, ct_tensor grad); /* grad may be NULL to clear */
int ct_retain_grad(ct_tensor t);
bool ct_is_grad_enabled(void);
/* Sets grad mode for this thread; returns the previous value. */
bool ct_set_grad_enabled(bool enabled);
/* An inference-mode guard for this thread (NULL on failure); leave with ct_inference_mode_exit. */
void *ct_inference_mode_enter(void);
void ct_inference_mode_exit(void *guard);

#ifdef __cplusplus
}
#endif
#endif
