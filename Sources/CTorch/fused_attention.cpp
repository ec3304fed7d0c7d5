// Fused CPU scaled-dot-product attention with dropout applied inside the kernel (DESIGN.md §2: the one
// performance kernel libtorch lacks). libtorch's CPU flash kernel has no dropout, so with dropout in
// training at::scaled_dot_product_attention falls back to the math path, which materialises the
// [B, h, Lq, Lk] scores, probabilities and dropout mask. This kernel never stores anything of size Lq x Lk.
//
// Contract: out = dropout(softmax(q kᵀ · scale + mask), p) · v for q [B, h, Lq, E], k [B, h, Lk, E],
// v [B, h, Lk, Ev] (float32 or float64), with
// - mask: additive float (same dtype as q after conversion) or boolean (true = may attend), broadcastable
//   to [B, h, Lq, Lk]; read through its broadcast strides, so a key-padding mask [B, 1, 1, Lk] costs Lk
//   values per batch. A boolean mask is turned into an additive one of its own (unbroadcast) size.
// - causal: key j is visible from query i iff j <= i (top-left aligned, as PyTorch's is_causal).
// - dropout: each probability is kept with probability 1 - p and then scaled by 1 / (1 - p), zeroed
//   otherwise: the distribution of torch.nn.functional.dropout; p = 0 draws nothing and is plain attention.
// - fully masked rows (every key masked, or Lk = 0) give zeros in the output and zero gradients, not
//   NaN (libtorch's math path does the same since PyTorch 2.5 through its "safe softmax").
// - no gradient flows to the mask.
//
// Algorithm (FlashAttention-2, tiled over queries and keys):
// forward, one task per (batch, head, block of kQueryBlock queries):
//   for each block of kKeyBlock keys: S = q kᵀ · scale (BLAS), S += mask, causal -> -inf;
//   online softmax per row: m' = max(m, max_j S), P = exp(S - m'), l = l·exp(m - m') + Σ_j P,
//   acc = acc·exp(m - m') + (P ⊙ Z) v   where Z = keep / (1 - p) is the dropout factor;
//   finally out = acc / l and lse = m + log(l) (the only per-row state kept for backward; +inf for a
//   fully masked row so that exp(S - lse) = 0 there).
// backward, one task per (batch, head) so that dk and dv are accumulated without races:
//   Δ_i = Σ_e dO_ie · O_ie; for each query block and key block: recompute S and P = exp(S - lse),
//   regenerate Z, dPd = dO vᵀ, dv += (P ⊙ Z)ᵀ dO, dS = P ⊙ (dPd ⊙ Z - Δ), dq += dS k · scale,
//   dk += dSᵀ q · scale.
//
// Dropout mask: a counter-based generator, Philox-4x32-10 (Salmon et al., SC'11; the generator of
// PyTorch's CUDA dropout), keyed by a 64-bit seed and a 32-bit offset drawn once per call from libtorch's
// default CPU generator (so Torch.manualSeed makes it reproducible). The keep decision of element
// (b, h, i, j) depends only on (seed, offset, row = (b·h_count + h)·Lq + i, j): for the 32 keys
// j = 32t + 8w + lane the counter is (8t + lane, lo32(row), hi32(row), offset), and word w of the
// output is compared with floor(p · 2³²). Forward, backward and the debug entry point
// ct_fused_sdpa_keep_mask regenerate exactly the same bits, 8 counters at a time with AVX2 or 16 with
// AVX-512.
//
// Matrix products go to the BLAS inside libtorch (sgemm_/dgemm_, MKL in the PyPI wheel), found at run
// time; without one they go through at::mm on views. Elementwise row work (exp, max, Philox, dropout)
// uses AVX-512F or AVX2+FMA when the CPU has them (checked at run time) and portable scalar code otherwise;
// float64 always takes the scalar code, which the float64 gradient checks exercise.
#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>
#include <dlfcn.h>
#if defined(__x86_64__)
#define CT_FUSED_X86 1
#include <immintrin.h>
#endif
#include <torch/csrc/autograd/custom_function.h>

#include <cmath>
#include <cstdlib>
#include <string>
#include <limits>
#include <mutex>
#include <type_traits>
#include <vector>

#include "internal.hpp"

namespace {

constexpr int64_t kQueryBlock = 128;     // forward queries per task
constexpr int64_t kKeyBlock = 512;       // keys per tile (a multiple of 32: Philox blocks never straddle tiles)
constexpr int64_t kBackQueryBlock = 64;  // backward queries per tile
constexpr int64_t kBackKeyBlock = 256;   // backward keys per tile

// ---------------------------------------------------------------------------------------------------------
// BLAS: row-major C[M×N] = alpha · op(A)[M×K] · op(B)[K×N] + beta · C with leading dimensions (row strides).

using sgemm_fn = void (*)(const char *, const char *, const int *, const int *, const int *, const float *,
                          const float *, const int *, const float *, const int *, const float *, float *,
                          const int *);
using dgemm_fn = void (*)(const char *, const char *, const int *, const int *, const int *, const double *,
                          const double *, const int *, const double *, const int *, const double *, double *,
                          const int *);

struct Blas {
  sgemm_fn sgemm = nullptr;
  dgemm_fn dgemm = nullptr;
  int (*mkl_set_num_threads_local)(int) = nullptr;  // MKL's C entry (the lowercase symbol is the Fortran one)
  Blas() {
    sgemm = reinterpret_cast<sgemm_fn>(dlsym(RTLD_DEFAULT, "sgemm_"));
    dgemm = reinterpret_cast<dgemm_fn>(dlsym(RTLD_DEFAULT, "dgemm_"));
    mkl_set_num_threads_local = reinterpret_cast<int (*)(int)>(dlsym(RTLD_DEFAULT, "MKL_Set_Num_Threads_Local"));
  }
};
const Blas &blas() {
  static const Blas instance;
  return instance;
}

// The tiles are already spread over at::parallel_for's threads: MKL must not start threads of its own
// inside them (measured: with its default it oversubscribes the cores and spins, 4-8x slower).
struct SequentialBlas {
  int previous = 0;
  SequentialBlas() {
    if (blas().mkl_set_num_threads_local) previous = blas().mkl_set_num_threads_local(1);
  }
  ~SequentialBlas() {
    if (blas().mkl_set_num_threads_local) blas().mkl_set_num_threads_local(previous);
  }
};

template <typename T>
void gemm(bool trans_a, bool trans_b, int64_t m, int64_t n, int64_t k, T alpha, const T *a, int64_t lda, const T *b,
          int64_t ldb, T beta, T *c, int64_t ldc) {
  if (m == 0 || n == 0) return;
  // Row-major C = op(A) op(B) is column-major Cᵀ = op(B)ᵀ op(A)ᵀ: swap the operands, keep the flags.
  const char ta = trans_b ? 'T' : 'N', tb = trans_a ? 'T' : 'N';
  const int M = static_cast<int>(n), N = static_cast<int>(m), K = static_cast<int>(k);
  const int LDA = static_cast<int>(ldb), LDB = static_cast<int>(lda), LDC = static_cast<int>(ldc);
  if constexpr (std::is_same_v<T, float>) {
    if (blas().sgemm && k > 0) {
      blas().sgemm(&ta, &tb, &M, &N, &K, &alpha, b, &LDA, a, &LDB, &beta, c, &LDC);
      return;
    }
  } else {
    if (blas().dgemm && k > 0) {
      blas().dgemm(&ta, &tb, &M, &N, &K, &alpha, b, &LDA, a, &LDB, &beta, c, &LDC);
      return;
    }
  }
  const auto options = at::TensorOptions().dtype(c10::CppTypeToScalarType<T>::value);
  auto view = [&](const T *p, int64_t rows, int64_t cols, int64_t ld, bool trans) {
    auto t = at::from_blob(const_cast<T *>(p), {trans ? cols : rows, trans ? rows : cols}, {ld, 1}, options);
    return trans ? t.t() : t;
  };
  auto out = at::from_blob(c, {m, n}, {ldc, 1}, options);
  if (beta == T(0)) out.zero_();
  out.addmm_(view(a, m, k, lda, trans_a), view(b, k, n, ldb, trans_b), beta == T(0) ? T(1) : beta, alpha);
}

// ---------------------------------------------------------------------------------------------------------
// Philox-4x32-10.

constexpr uint32_t kPhiloxM0 = 0xD2511F53u, kPhiloxM1 = 0xCD9E8D57u;
constexpr uint32_t kPhiloxW0 = 0x9E3779B9u, kPhiloxW1 = 0xBB67AE85u;

struct DropoutKey {
  bool active = false;    // p > 0
  uint64_t seed = 0;      // Philox key
  uint32_t offset = 0;    // fourth counter word
  uint32_t threshold = 0; // drop iff the 32-bit draw < threshold
  double scale = 1;       // 1 / (1 - p)
};

DropoutKey make_key(double p, uint64_t seed, uint64_t offset) {
  TORCH_CHECK(p >= 0 && p < 1, "fused attention: dropout probability must be in [0, 1), got ", p);
  DropoutKey key;
  key.active = p > 0;
  key.seed = seed;
  key.offset = static_cast<uint32_t>(offset);
  key.threshold = static_cast<uint32_t>(std::min(std::floor(p * 4294967296.0), 4294967295.0));
  key.scale = 1.0 / (1.0 - p);
  return key;
}

inline void philox_scalar(uint32_t c[4], uint32_t k0, uint32_t k1) {
  for (int round = 0; round < 10; ++round) {
    const uint64_t p0 = static_cast<uint64_t>(kPhiloxM0) * c[0];
    const uint64_t p1 = static_cast<uint64_t>(kPhiloxM1) * c[2];
    const uint32_t n0 = static_cast<uint32_t>(p1 >> 32) ^ c[1] ^ k0;
    const uint32_t n2 = static_cast<uint32_t>(p0 >> 32) ^ c[3] ^ k1;
    c[0] = n0;
    c[1] = static_cast<uint32_t>(p1);
    c[2] = n2;
    c[3] = static_cast<uint32_t>(p0);
    k0 += kPhiloxW0;
    k1 += kPhiloxW1;
  }
}

// The 32 draws of keys 32t .. 32t + 31 of `row`, in key order (draw[8w + lane] = word w of counter 8t + lane).
inline void philox_block_scalar(const DropoutKey &key, uint64_t row, uint32_t t, uint32_t draw[32]) {
  for (uint32_t lane = 0; lane < 8; ++lane) {
    uint32_t c[4] = {8 * t + lane, static_cast<uint32_t>(row), static_cast<uint32_t>(row >> 32), key.offset};
    philox_scalar(c, static_cast<uint32_t>(key.seed), static_cast<uint32_t>(key.seed >> 32));
    for (int w = 0; w < 4; ++w) draw[8 * w + lane] = c[w];
  }
}

// ---------------------------------------------------------------------------------------------------------
// Row operations, scalar (any floating type, any CPU).

template <typename T>
T row_max_scalar(const T *x, int64_t n) {
  T m = -std::numeric_limits<T>::infinity();
  for (int64_t j = 0; j < n; ++j) m = std::max(m, x[j]);
  return m;
}

// x[j] = exp(x[j] - m) · Z_j in place (Z = 1 without dropout); returns Σ_j exp(x[j] - m) (before dropout).
// Keys are j0 + j; j0 is a multiple of 32.
template <typename T>
T softmax_row_scalar(T *x, int64_t n, T m, const DropoutKey &key, uint64_t row, int64_t j0) {
  T sum = 0;
  for (int64_t j = 0; j < n; ++j) {
    x[j] = std::exp(x[j] - m);
    sum += x[j];
  }
  if (key.active) {
    uint32_t draw[32];
    const T scale = static_cast<T>(key.scale);
    for (int64_t b = 0; b < n; b += 32) {
      philox_block_scalar(key, row, static_cast<uint32_t>((j0 + b) / 32), draw);
      for (int64_t j = b; j < std::min(n, b + 32); ++j) x[j] = draw[j - b] < key.threshold ? T(0) : x[j] * scale;
    }
  }
  return sum;
}

// Backward row: P = exp(s - lse); pd = P·Z (written over s); dpd becomes dS = P ⊙ (dpd ⊙ Z - delta).
template <typename T>
void backward_row_scalar(T *s, T *dpd, int64_t n, T lse, T delta, const DropoutKey &key, uint64_t row,
                         int64_t j0) {
  uint32_t draw[32];
  const T scale = static_cast<T>(key.scale);
  for (int64_t b = 0; b < n; b += 32) {
    if (key.active) philox_block_scalar(key, row, static_cast<uint32_t>((j0 + b) / 32), draw);
    for (int64_t j = b; j < std::min(n, b + 32); ++j) {
      const T p = std::exp(s[j] - lse);
      const T z = key.active ? (draw[j - b] < key.threshold ? T(0) : scale) : T(1);
      s[j] = p * z;
      dpd[j] = p * (dpd[j] * z - delta);
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// Instruction sets for the float32 row operations: the best the CPU has (AVX-512F, else AVX2 + FMA, else
// scalar code), or a lower one named by ECG_FUSED_ATTENTION_ISA (scalar, avx2, avx512), read once, so
// that tests can run every variant on one machine. x86-64 only; elsewhere always scalar.

enum class Isa { scalar = 0, avx2 = 1, avx512 = 2 };

Isa detect_isa() {
  Isa best = Isa::scalar;
#ifdef CT_FUSED_X86
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) best = Isa::avx2;
  if (best == Isa::avx2 && __builtin_cpu_supports("avx512f")) best = Isa::avx512;
#endif
  const char *requested = std::getenv("ECG_FUSED_ATTENTION_ISA");
  if (!requested) return best;
  const std::string name(requested);
  const Isa wanted = name == "scalar" ? Isa::scalar : name == "avx2" ? Isa::avx2 : Isa::avx512;
  return static_cast<int>(wanted) < static_cast<int>(best) ? wanted : best;
}

Isa isa() {
  static const Isa selected = detect_isa();
  return selected;
}

// ---------------------------------------------------------------------------------------------------------
// Row operations, AVX2 + FMA (float32; compiled for AVX2 whatever the target's baseline, run only when
// isa() allows).

#ifdef CT_FUSED_X86
#define CT_AVX2 __attribute__((target("avx2,fma")))

// exp(x) for 8 floats: Cephes' expf (range reduction by ln 2 split in two parts, degree-6 polynomial,
// 2ⁿ built in the exponent bits); about 1 ulp. Inputs below -87 (including -inf) give exactly 0.
CT_AVX2 inline __m256 exp8(__m256 x) {
  const __m256 underflow = _mm256_cmp_ps(x, _mm256_set1_ps(-87.0f), _CMP_LT_OQ);
  x = _mm256_min_ps(_mm256_max_ps(x, _mm256_set1_ps(-87.0f)), _mm256_set1_ps(88.3762626647949f));
  __m256 fx = _mm256_floor_ps(_mm256_fmadd_ps(x, _mm256_set1_ps(1.44269504088896341f), _mm256_set1_ps(0.5f)));
  x = _mm256_fnmadd_ps(fx, _mm256_set1_ps(0.693359375f), x);
  x = _mm256_fnmadd_ps(fx, _mm256_set1_ps(-2.12194440e-4f), x);
  __m256 y = _mm256_set1_ps(1.9875691500e-4f);
  y = _mm256_fmadd_ps(y, x, _mm256_set1_ps(1.3981999507e-3f));
  y = _mm256_fmadd_ps(y, x, _mm256_set1_ps(8.3334519073e-3f));
  y = _mm256_fmadd_ps(y, x, _mm256_set1_ps(4.1665795894e-2f));
  y = _mm256_fmadd_ps(y, x, _mm256_set1_ps(1.6666665459e-1f));
  y = _mm256_fmadd_ps(y, x, _mm256_set1_ps(5.0000001201e-1f));
  y = _mm256_fmadd_ps(y, _mm256_mul_ps(x, x), _mm256_add_ps(x, _mm256_set1_ps(1.0f)));
  const __m256i power = _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvttps_epi32(fx), _mm256_set1_epi32(127)), 23);
  y = _mm256_mul_ps(y, _mm256_castsi256_ps(power));
  return _mm256_andnot_ps(underflow, y);
}

// (hi, lo) of the 32x32-bit products of 8 lanes with a constant.
CT_AVX2 inline void mulhilo8(__m256i a, __m256i m, __m256i &hi, __m256i &lo) {
  const __m256i even = _mm256_mul_epu32(a, m);
  const __m256i odd = _mm256_mul_epu32(_mm256_srli_epi64(a, 32), m);
  lo = _mm256_blend_epi32(even, _mm256_slli_epi64(odd, 32), 0xAA);
  hi = _mm256_blend_epi32(_mm256_srli_epi64(even, 32), odd, 0xAA);
}

// The 32 draws of keys 32t .. 32t + 31 of `row` as 4 vectors in key order; the same bits as philox_block_scalar.
CT_AVX2 inline void philox_block8(const DropoutKey &key, uint64_t row, uint32_t t, __m256i out[4]) {
  __m256i c0 = _mm256_add_epi32(_mm256_set1_epi32(static_cast<int>(8 * t)), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
  __m256i c1 = _mm256_set1_epi32(static_cast<int>(static_cast<uint32_t>(row)));
  __m256i c2 = _mm256_set1_epi32(static_cast<int>(static_cast<uint32_t>(row >> 32)));
  __m256i c3 = _mm256_set1_epi32(static_cast<int>(key.offset));
  uint32_t k0 = static_cast<uint32_t>(key.seed), k1 = static_cast<uint32_t>(key.seed >> 32);
  const __m256i m0 = _mm256_set1_epi32(static_cast<int>(kPhiloxM0)), m1 = _mm256_set1_epi32(static_cast<int>(kPhiloxM1));
  for (int round = 0; round < 10; ++round) {
    __m256i hi0, lo0, hi1, lo1;
    mulhilo8(c0, m0, hi0, lo0);
    mulhilo8(c2, m1, hi1, lo1);
    const __m256i n0 = _mm256_xor_si256(_mm256_xor_si256(hi1, c1), _mm256_set1_epi32(static_cast<int>(k0)));
    const __m256i n2 = _mm256_xor_si256(_mm256_xor_si256(hi0, c3), _mm256_set1_epi32(static_cast<int>(k1)));
    c0 = n0;
    c1 = lo1;
    c2 = n2;
    c3 = lo0;
    k0 += kPhiloxW0;
    k1 += kPhiloxW1;
  }
  out[0] = c0;
  out[1] = c1;
  out[2] = c2;
  out[3] = c3;
}

// 8 dropout factors Z (scale where kept, 0 where dropped) from 8 draws: unsigned draw < threshold, via the
// sign-flip trick (AVX2 compares signed integers only).
CT_AVX2 inline __m256 factors8(__m256i draw, __m256i threshold_flipped, __m256 scale) {
  const __m256i sign = _mm256_set1_epi32(static_cast<int>(0x80000000u));
  const __m256i dropped = _mm256_cmpgt_epi32(threshold_flipped, _mm256_xor_si256(draw, sign));
  return _mm256_andnot_ps(_mm256_castsi256_ps(dropped), scale);
}

CT_AVX2 float row_max_avx2(const float *x, int64_t n) {
  __m256 m = _mm256_set1_ps(-std::numeric_limits<float>::infinity());
  int64_t j = 0;
  for (; j + 8 <= n; j += 8) m = _mm256_max_ps(m, _mm256_loadu_ps(x + j));
  alignas(32) float lanes[8];
  _mm256_store_ps(lanes, m);
  float r = lanes[0];
  for (int l = 1; l < 8; ++l) r = std::max(r, lanes[l]);
  for (; j < n; ++j) r = std::max(r, x[j]);
  return r;
}

CT_AVX2 float softmax_row_avx2(float *x, int64_t n, float m, const DropoutKey &key, uint64_t row, int64_t j0) {
  const __m256 mv = _mm256_set1_ps(m);
  const __m256 scale = _mm256_set1_ps(static_cast<float>(key.scale));
  const __m256i threshold = _mm256_set1_epi32(static_cast<int>(key.threshold ^ 0x80000000u));
  __m256 sum = _mm256_setzero_ps();
  float tail_sum = 0;
  for (int64_t b = 0; b < n; b += 32) {
    const int64_t len = std::min<int64_t>(32, n - b);
    __m256i draw[4];
    if (key.active) philox_block8(key, row, static_cast<uint32_t>((j0 + b) / 32), draw);
    int64_t w = 0;
    for (; 8 * w + 8 <= len; ++w) {
      float *p = x + b + 8 * w;
      __m256 e = exp8(_mm256_sub_ps(_mm256_loadu_ps(p), mv));
      sum = _mm256_add_ps(sum, e);
      if (key.active) e = _mm256_mul_ps(e, factors8(draw[w], threshold, scale));
      _mm256_storeu_ps(p, e);
    }
    if (8 * w < len) {  // the row's last, partial vector
      alignas(32) uint32_t d[32];
      if (key.active)
        for (int v = 0; v < 4; ++v) _mm256_store_si256(reinterpret_cast<__m256i *>(d + 8 * v), draw[v]);
      for (int64_t j = 8 * w; j < len; ++j) {
        float e = std::exp(x[b + j] - m);
        tail_sum += e;
        if (key.active) e = d[j] < key.threshold ? 0.0f : e * static_cast<float>(key.scale);
        x[b + j] = e;
      }
    }
  }
  alignas(32) float lanes[8];
  _mm256_store_ps(lanes, sum);
  for (int l = 0; l < 8; ++l) tail_sum += lanes[l];
  return tail_sum;
}

CT_AVX2 void backward_row_avx2(float *s, float *dpd, int64_t n, float lse, float delta, const DropoutKey &key,
                               uint64_t row, int64_t j0) {
  const __m256 lv = _mm256_set1_ps(lse), dv = _mm256_set1_ps(delta);
  const __m256 scale = _mm256_set1_ps(static_cast<float>(key.scale));
  const __m256i threshold = _mm256_set1_epi32(static_cast<int>(key.threshold ^ 0x80000000u));
  for (int64_t b = 0; b < n; b += 32) {
    const int64_t len = std::min<int64_t>(32, n - b);
    __m256i draw[4];
    if (key.active) philox_block8(key, row, static_cast<uint32_t>((j0 + b) / 32), draw);
    int64_t w = 0;
    for (; 8 * w + 8 <= len; ++w) {
      float *sp = s + b + 8 * w, *dp = dpd + b + 8 * w;
      const __m256 p = exp8(_mm256_sub_ps(_mm256_loadu_ps(sp), lv));
      __m256 g = _mm256_loadu_ps(dp);
      if (key.active) {
        const __m256 z = factors8(draw[w], threshold, scale);
        _mm256_storeu_ps(sp, _mm256_mul_ps(p, z));
        g = _mm256_mul_ps(g, z);
      } else {
        _mm256_storeu_ps(sp, p);
      }
      _mm256_storeu_ps(dp, _mm256_mul_ps(p, _mm256_sub_ps(g, dv)));
    }
    if (8 * w < len) {
      alignas(32) uint32_t d[32];
      if (key.active)
        for (int v = 0; v < 4; ++v) _mm256_store_si256(reinterpret_cast<__m256i *>(d + 8 * v), draw[v]);
      for (int64_t j = 8 * w; j < len; ++j) {
        const float p = std::exp(s[b + j] - lse);
        const float z = key.active ? (d[j] < key.threshold ? 0.0f : static_cast<float>(key.scale)) : 1.0f;
        s[b + j] = p * z;
        dpd[b + j] = p * (dpd[b + j] * z - delta);
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// Row operations, AVX-512F (float32): the same arithmetic on 16 lanes. Philox runs 16 counters at once,
// 8t .. 8t + 15, i.e. the 32-key blocks t and t + 1; two 128-bit-lane shuffles put the draws in key order.
// Row tails use masked loads and stores.

#define CT_AVX512 __attribute__((target("avx512f,avx2,fma")))

CT_AVX512 inline __m512 exp16(__m512 x) {
  const __mmask16 underflow = _mm512_cmp_ps_mask(x, _mm512_set1_ps(-87.0f), _CMP_LT_OQ);
  x = _mm512_min_ps(_mm512_max_ps(x, _mm512_set1_ps(-87.0f)), _mm512_set1_ps(88.3762626647949f));
  const __m512 fx = _mm512_roundscale_ps(
      _mm512_fmadd_ps(x, _mm512_set1_ps(1.44269504088896341f), _mm512_set1_ps(0.5f)),
      _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC);
  x = _mm512_fnmadd_ps(fx, _mm512_set1_ps(0.693359375f), x);
  x = _mm512_fnmadd_ps(fx, _mm512_set1_ps(-2.12194440e-4f), x);
  __m512 y = _mm512_set1_ps(1.9875691500e-4f);
  y = _mm512_fmadd_ps(y, x, _mm512_set1_ps(1.3981999507e-3f));
  y = _mm512_fmadd_ps(y, x, _mm512_set1_ps(8.3334519073e-3f));
  y = _mm512_fmadd_ps(y, x, _mm512_set1_ps(4.1665795894e-2f));
  y = _mm512_fmadd_ps(y, x, _mm512_set1_ps(1.6666665459e-1f));
  y = _mm512_fmadd_ps(y, x, _mm512_set1_ps(5.0000001201e-1f));
  y = _mm512_fmadd_ps(y, _mm512_mul_ps(x, x), _mm512_add_ps(x, _mm512_set1_ps(1.0f)));
  const __m512i power = _mm512_slli_epi32(_mm512_add_epi32(_mm512_cvttps_epi32(fx), _mm512_set1_epi32(127)), 23);
  return _mm512_maskz_mul_ps(static_cast<__mmask16>(~underflow), y, _mm512_castsi512_ps(power));
}

CT_AVX512 inline void mulhilo16(__m512i a, __m512i m, __m512i &hi, __m512i &lo) {
  const __m512i even = _mm512_mul_epu32(a, m);
  const __m512i odd = _mm512_mul_epu32(_mm512_srli_epi64(a, 32), m);
  lo = _mm512_mask_blend_epi32(0xAAAA, even, _mm512_slli_epi64(odd, 32));
  hi = _mm512_mask_blend_epi32(0xAAAA, _mm512_srli_epi64(even, 32), odd);
}

// The draws of keys 32t .. 32t + 63 of `row`, as 4 vectors of 16 in key order.
CT_AVX512 inline void philox_pair16(const DropoutKey &key, uint64_t row, uint32_t t, __m512i out[4]) {
  __m512i c0 = _mm512_add_epi32(_mm512_set1_epi32(static_cast<int>(8 * t)),
                                _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15));
  __m512i c1 = _mm512_set1_epi32(static_cast<int>(static_cast<uint32_t>(row)));
  __m512i c2 = _mm512_set1_epi32(static_cast<int>(static_cast<uint32_t>(row >> 32)));
  __m512i c3 = _mm512_set1_epi32(static_cast<int>(key.offset));
  uint32_t k0 = static_cast<uint32_t>(key.seed), k1 = static_cast<uint32_t>(key.seed >> 32);
  const __m512i m0 = _mm512_set1_epi32(static_cast<int>(kPhiloxM0)), m1 = _mm512_set1_epi32(static_cast<int>(kPhiloxM1));
  for (int round = 0; round < 10; ++round) {
    __m512i hi0, lo0, hi1, lo1;
    mulhilo16(c0, m0, hi0, lo0);
    mulhilo16(c2, m1, hi1, lo1);
    const __m512i n0 = _mm512_xor_si512(_mm512_xor_si512(hi1, c1), _mm512_set1_epi32(static_cast<int>(k0)));
    const __m512i n2 = _mm512_xor_si512(_mm512_xor_si512(hi0, c3), _mm512_set1_epi32(static_cast<int>(k1)));
    c0 = n0;
    c1 = lo1;
    c2 = n2;
    c3 = lo0;
    k0 += kPhiloxW0;
    k1 += kPhiloxW1;
  }
  // Lanes 0-7 of word w are keys 32t + 8w + (0..7), lanes 8-15 are keys 32(t + 1) + 8w + (0..7).
  out[0] = _mm512_shuffle_i32x4(c0, c1, 0x44);
  out[1] = _mm512_shuffle_i32x4(c2, c3, 0x44);
  out[2] = _mm512_shuffle_i32x4(c0, c1, 0xEE);
  out[3] = _mm512_shuffle_i32x4(c2, c3, 0xEE);
}

CT_AVX512 inline __mmask16 lanes(int64_t count) {
  return count >= 16 ? static_cast<__mmask16>(0xFFFF) : static_cast<__mmask16>((1u << count) - 1);
}

CT_AVX512 float row_max_avx512(const float *x, int64_t n) {
  const __m512 ninf = _mm512_set1_ps(-std::numeric_limits<float>::infinity());
  __m512 m = ninf;
  for (int64_t j = 0; j < n; j += 16) m = _mm512_max_ps(m, _mm512_mask_loadu_ps(ninf, lanes(n - j), x + j));
  return _mm512_reduce_max_ps(m);
}

CT_AVX512 float softmax_row_avx512(float *x, int64_t n, float m, const DropoutKey &key, uint64_t row, int64_t j0) {
  const __m512 mv = _mm512_set1_ps(m);
  const __m512 scale = _mm512_set1_ps(static_cast<float>(key.scale));
  const __m512i threshold = _mm512_set1_epi32(static_cast<int>(key.threshold));
  __m512 sum = _mm512_setzero_ps();
  for (int64_t b = 0; b < n; b += 64) {
    __m512i draw[4];
    if (key.active) philox_pair16(key, row, static_cast<uint32_t>((j0 + b) / 32), draw);
    for (int v = 0; v < 4 && b + 16 * v < n; ++v) {
      float *p = x + b + 16 * v;
      const __mmask16 k = lanes(n - b - 16 * v);
      __m512 e = _mm512_maskz_mov_ps(k, exp16(_mm512_sub_ps(_mm512_maskz_loadu_ps(k, p), mv)));
      sum = _mm512_add_ps(sum, e);
      if (key.active) {
        const __mmask16 kept = _mm512_cmpge_epu32_mask(draw[v], threshold);
        e = _mm512_maskz_mul_ps(kept, e, scale);
      }
      _mm512_mask_storeu_ps(p, k, e);
    }
  }
  return _mm512_reduce_add_ps(sum);
}

CT_AVX512 void backward_row_avx512(float *s, float *dpd, int64_t n, float lse, float delta, const DropoutKey &key,
                                   uint64_t row, int64_t j0) {
  const __m512 lv = _mm512_set1_ps(lse), dv = _mm512_set1_ps(delta);
  const __m512 scale = _mm512_set1_ps(static_cast<float>(key.scale));
  const __m512i threshold = _mm512_set1_epi32(static_cast<int>(key.threshold));
  for (int64_t b = 0; b < n; b += 64) {
    __m512i draw[4];
    if (key.active) philox_pair16(key, row, static_cast<uint32_t>((j0 + b) / 32), draw);
    for (int v = 0; v < 4 && b + 16 * v < n; ++v) {
      float *sp = s + b + 16 * v, *dp = dpd + b + 16 * v;
      const __mmask16 k = lanes(n - b - 16 * v);
      const __m512 p = exp16(_mm512_sub_ps(_mm512_maskz_loadu_ps(k, sp), lv));
      __m512 g = _mm512_maskz_loadu_ps(k, dp);
      __m512 pz = p;
      if (key.active) {
        const __mmask16 kept = _mm512_cmpge_epu32_mask(draw[v], threshold);
        pz = _mm512_maskz_mul_ps(kept, p, scale);
        g = _mm512_maskz_mul_ps(kept, g, scale);
      }
      _mm512_mask_storeu_ps(sp, k, pz);
      _mm512_mask_storeu_ps(dp, k, _mm512_mul_ps(p, _mm512_sub_ps(g, dv)));
    }
  }
}
#endif  // CT_FUSED_X86

// ---------------------------------------------------------------------------------------------------------
// Dispatch of the row operations by type and CPU.

template <typename T>
T row_max(const T *x, int64_t n) {
  if constexpr (std::is_same_v<T, float>) {
#ifdef CT_FUSED_X86
    if (isa() == Isa::avx512) return row_max_avx512(x, n);
    if (isa() == Isa::avx2) return row_max_avx2(x, n);
#endif
  }
  return row_max_scalar(x, n);
}

template <typename T>
T softmax_row(T *x, int64_t n, T m, const DropoutKey &key, uint64_t row, int64_t j0) {
  if constexpr (std::is_same_v<T, float>) {
#ifdef CT_FUSED_X86
    if (isa() == Isa::avx512) return softmax_row_avx512(x, n, m, key, row, j0);
    if (isa() == Isa::avx2) return softmax_row_avx2(x, n, m, key, row, j0);
#endif
  }
  return softmax_row_scalar(x, n, m, key, row, j0);
}

template <typename T>
void backward_row(T *s, T *dpd, int64_t n, T lse, T delta, const DropoutKey &key, uint64_t row, int64_t j0) {
  if constexpr (std::is_same_v<T, float>) {
#ifdef CT_FUSED_X86
    if (isa() == Isa::avx512) return backward_row_avx512(s, dpd, n, lse, delta, key, row, j0);
    if (isa() == Isa::avx2) return backward_row_avx2(s, dpd, n, lse, delta, key, row, j0);
#endif
  }
  backward_row_scalar(s, dpd, n, lse, delta, key, row, j0);
}

// ---------------------------------------------------------------------------------------------------------
// Problem description shared by forward and backward.

// A [B, h, L, D] tensor addressed through its strides; rows (the last dimension) are contiguous.
template <typename T>
struct Rows {
  T *data;
  int64_t sb, sh, sl;
  T *row(int64_t b, int64_t h, int64_t i) const { return data + b * sb + h * sh + i * sl; }
};

template <typename T>
Rows<T> rows(const at::Tensor &t) {
  // BLAS wants a leading dimension >= the row length even when there is a single row.
  const int64_t sl = t.size(2) <= 1 ? std::max(t.stride(2), std::max<int64_t>(t.size(3), 1)) : t.stride(2);
  return {t.data_ptr<T>(), t.stride(0), t.stride(1), sl};
}

// Rows usable directly as BLAS operands: unit stride on the last dimension and a row stride >= the row length.
at::Tensor with_unit_rows(const at::Tensor &t) {
  if (t.stride(3) == 1 && (t.size(2) <= 1 || t.stride(2) >= t.size(3))) return t;
  return t.contiguous();
}

// [B, h, L, D] storage laid out as [B, L, h, D] (what PyTorch's CPU flash kernel returns): the usual
// `out.transpose(1, 2).reshape(B, L, h·D)` after attention is then a view, not a copy.
at::Tensor empty_blhd(int64_t B, int64_t H, int64_t L, int64_t D, const at::TensorOptions &options) {
  return at::empty({B, L, H, D}, options).transpose(1, 2);
}

struct Problem {
  int64_t B, H, Lq, Lk, E, Ev;
  double scale;
  bool causal;
  at::Tensor mask;  // additive, expanded to [B, H, Lq, Lk] (broadcast strides), or undefined
};

// S[i, :] += mask[b, h, i0 + i, j0 : j0 + n]; causal: -inf where key > query.
template <typename T>
void apply_masks(const Problem &pb, const T *mask, T *s, int64_t ld, int64_t rows_n, int64_t n, int64_t b, int64_t h,
                 int64_t i0, int64_t j0) {
  constexpr T ninf = -std::numeric_limits<T>::infinity();
  for (int64_t r = 0; r < rows_n; ++r) {
    T *x = s + r * ld;
    const int64_t i = i0 + r;
    if (mask) {
      const T *mr = mask + b * pb.mask.stride(0) + h * pb.mask.stride(1) + i * pb.mask.stride(2);
      const int64_t sj = pb.mask.stride(3);
      if (sj == 1) {
        for (int64_t j = 0; j < n; ++j) x[j] += mr[j0 + j];
      } else {
        for (int64_t j = 0; j < n; ++j) x[j] += mr[(j0 + j) * sj];
      }
    }
    if (pb.causal) {
      for (int64_t j = std::max<int64_t>(0, i + 1 - j0); j < n; ++j) x[j] = ninf;
    }
  }
}

// Number of keys (from 0) that query block [i0, i0 + rows_n) can see.
int64_t visible_keys(const Problem &pb, int64_t i0, int64_t rows_n) {
  return pb.causal ? std::min(pb.Lk, i0 + rows_n) : pb.Lk;
}

// ---------------------------------------------------------------------------------------------------------
// Forward.

template <typename T>
void forward_kernel(const Problem &pb, const at::Tensor &q, const at::Tensor &k, const at::Tensor &v,
                    const DropoutKey &key, at::Tensor &out, at::Tensor &lse) {
  const auto Q = rows<T>(q), K = rows<T>(k), V = rows<T>(v), O = rows<T>(out);
  T *lse_data = lse.data_ptr<T>();  // contiguous [B, H, Lq]
  const T *mask = pb.mask.defined() ? pb.mask.data_ptr<T>() : nullptr;
  const int64_t q_blocks = (pb.Lq + kQueryBlock - 1) / kQueryBlock;
  const T scale = static_cast<T>(pb.scale);
  constexpr T ninf = -std::numeric_limits<T>::infinity();

  at::parallel_for(0, pb.B * pb.H * q_blocks, 1, [&](int64_t begin, int64_t end) {
    SequentialBlas sequential;
    std::vector<T> s(kQueryBlock * kKeyBlock), acc(kQueryBlock * pb.Ev), m(kQueryBlock), l(kQueryBlock);
    for (int64_t task = begin; task < end; ++task) {
      const int64_t qb = task % q_blocks, bh = task / q_blocks, h = bh % pb.H, b = bh / pb.H;
      const int64_t i0 = qb * kQueryBlock, rows_n = std::min(kQueryBlock, pb.Lq - i0);
      std::fill(m.begin(), m.end(), ninf);
      std::fill(l.begin(), l.end(), T(0));
      std::fill(acc.begin(), acc.end(), T(0));
      const int64_t keys = visible_keys(pb, i0, rows_n);
      for (int64_t j0 = 0; j0 < keys; j0 += kKeyBlock) {
        const int64_t n = std::min(kKeyBlock, keys - j0);
        gemm<T>(false, true, rows_n, n, pb.E, scale, Q.row(b, h, i0), Q.sl, K.row(b, h, j0), K.sl, T(0), s.data(),
                kKeyBlock);
        apply_masks(pb, mask, s.data(), kKeyBlock, rows_n, n, b, h, i0, j0);
        for (int64_t r = 0; r < rows_n; ++r) {
          T *x = s.data() + r * kKeyBlock;
          const T m_new = std::max(m[r], row_max(x, n));
          if (m_new == ninf) {  // every key so far masked: contributes nothing
            std::fill(x, x + n, T(0));
            continue;
          }
          const T correction = std::exp(m[r] - m_new);  // 0 when m[r] = -inf
          const uint64_t row_id = static_cast<uint64_t>(bh * pb.Lq + i0 + r);
          l[r] = l[r] * correction + softmax_row(x, n, m_new, key, row_id, j0);
          m[r] = m_new;
          if (correction != T(1)) {
            T *a = acc.data() + r * pb.Ev;
            for (int64_t e = 0; e < pb.Ev; ++e) a[e] *= correction;
          }
        }
        gemm<T>(false, false, rows_n, pb.Ev, n, T(1), s.data(), kKeyBlock, V.row(b, h, j0), V.sl, T(1), acc.data(),
                pb.Ev);
      }
      for (int64_t r = 0; r < rows_n; ++r) {
        T *o = O.row(b, h, i0 + r);
        const T *a = acc.data() + r * pb.Ev;
        if (l[r] > T(0)) {
          const T inv = T(1) / l[r];
          for (int64_t e = 0; e < pb.Ev; ++e) o[e] = a[e] * inv;
          lse_data[bh * pb.Lq + i0 + r] = m[r] + std::log(l[r]);
        } else {  // fully masked row: zeros, and +inf so that backward's exp(S - lse) is 0
          std::fill(o, o + pb.Ev, T(0));
          lse_data[bh * pb.Lq + i0 + r] = std::numeric_limits<T>::infinity();
        }
      }
    }
  });
}

// ---------------------------------------------------------------------------------------------------------
// Backward.

template <typename T>
void backward_kernel(const Problem &pb, const at::Tensor &q, const at::Tensor &k, const at::Tensor &v,
                     const at::Tensor &out, const at::Tensor &grad_out, const at::Tensor &lse, const DropoutKey &key,
                     at::Tensor &dq, at::Tensor &dk, at::Tensor &dv) {
  const auto Q = rows<T>(q), K = rows<T>(k), V = rows<T>(v), O = rows<T>(out), dO = rows<T>(grad_out);
  const auto dQ = rows<T>(dq), dK = rows<T>(dk), dV = rows<T>(dv);
  const T *lse_data = lse.data_ptr<T>();
  const T *mask = pb.mask.defined() ? pb.mask.data_ptr<T>() : nullptr;
  const T scale = static_cast<T>(pb.scale);

  at::parallel_for(0, pb.B * pb.H, 1, [&](int64_t begin, int64_t end) {
    SequentialBlas sequential;
    std::vector<T> s(kBackQueryBlock * kBackKeyBlock), dp(kBackQueryBlock * kBackKeyBlock);
    std::vector<T> dq_acc(kBackQueryBlock * pb.E), delta(kBackQueryBlock);
    for (int64_t bh = begin; bh < end; ++bh) {
      const int64_t h = bh % pb.H, b = bh / pb.H;
      for (int64_t i0 = 0; i0 < pb.Lq; i0 += kBackQueryBlock) {
        const int64_t rows_n = std::min(kBackQueryBlock, pb.Lq - i0);
        for (int64_t r = 0; r < rows_n; ++r) {  // Δ_i = dO_i · O_i
          const T *g = dO.row(b, h, i0 + r), *o = O.row(b, h, i0 + r);
          T d = 0;
          for (int64_t e = 0; e < pb.Ev; ++e) d += g[e] * o[e];
          delta[r] = d;
        }
        std::fill(dq_acc.begin(), dq_acc.end(), T(0));
        const int64_t keys = visible_keys(pb, i0, rows_n);
        for (int64_t j0 = 0; j0 < keys; j0 += kBackKeyBlock) {
          const int64_t n = std::min(kBackKeyBlock, keys - j0);
          gemm<T>(false, true, rows_n, n, pb.E, scale, Q.row(b, h, i0), Q.sl, K.row(b, h, j0), K.sl, T(0), s.data(),
                  kBackKeyBlock);
          apply_masks(pb, mask, s.data(), kBackKeyBlock, rows_n, n, b, h, i0, j0);
          gemm<T>(false, true, rows_n, n, pb.Ev, T(1), dO.row(b, h, i0), dO.sl, V.row(b, h, j0), V.sl, T(0),
                  dp.data(), kBackKeyBlock);
          for (int64_t r = 0; r < rows_n; ++r) {
            const uint64_t row_id = static_cast<uint64_t>(bh * pb.Lq + i0 + r);
            backward_row(s.data() + r * kBackKeyBlock, dp.data() + r * kBackKeyBlock, n, lse_data[bh * pb.Lq + i0 + r],
                         delta[r], key, row_id, j0);
          }
          // s now holds P ⊙ Z, dp holds dS.
          gemm<T>(true, false, n, pb.Ev, rows_n, T(1), s.data(), kBackKeyBlock, dO.row(b, h, i0), dO.sl, T(1),
                  dV.row(b, h, j0), dV.sl);
          gemm<T>(false, false, rows_n, pb.E, n, scale, dp.data(), kBackKeyBlock, K.row(b, h, j0), K.sl, T(1),
                  dq_acc.data(), pb.E);
          gemm<T>(true, false, n, pb.E, rows_n, scale, dp.data(), kBackKeyBlock, Q.row(b, h, i0), Q.sl, T(1),
                  dK.row(b, h, j0), dK.sl);
        }
        for (int64_t r = 0; r < rows_n; ++r) std::copy_n(dq_acc.data() + r * pb.E, pb.E, dQ.row(b, h, i0 + r));
      }
    }
  });
}

// ---------------------------------------------------------------------------------------------------------
// Argument checks and the autograd function.

Problem describe(const at::Tensor &q, const at::Tensor &k, const at::Tensor &v, const at::Tensor &mask, bool causal,
                 double scale) {
  TORCH_CHECK(q.dim() == 4 && k.dim() == 4 && v.dim() == 4,
              "fused attention: query, key and value must be [B, heads, L, E], got ", q.sizes(), ", ", k.sizes(),
              ", ", v.sizes());
  TORCH_CHECK(q.device().is_cpu() && k.device().is_cpu() && v.device().is_cpu(), "fused attention runs on the CPU");
  TORCH_CHECK(q.scalar_type() == k.scalar_type() && q.scalar_type() == v.scalar_type(),
              "fused attention: query, key and value must have one dtype");
  TORCH_CHECK(q.scalar_type() == at::kFloat || q.scalar_type() == at::kDouble,
              "fused attention supports float32 and float64, got ", q.scalar_type());
  Problem pb{q.size(0), q.size(1), q.size(2), k.size(2), q.size(3), v.size(3), scale, causal, {}};
  TORCH_CHECK(k.size(0) == pb.B && v.size(0) == pb.B && k.size(1) == pb.H && v.size(1) == pb.H,
              "fused attention: batch and head sizes of query ", q.sizes(), ", key ", k.sizes(), " and value ",
              v.sizes(), " must match");
  TORCH_CHECK(k.size(3) == pb.E && v.size(2) == pb.Lk, "fused attention: key ", k.sizes(), " and value ", v.sizes(),
              " do not fit query ", q.sizes());
  if (!(pb.scale > 0)) pb.scale = 1.0 / std::sqrt(static_cast<double>(std::max<int64_t>(pb.E, 1)));
  if (mask.defined()) {
    TORCH_CHECK(mask.device().is_cpu(), "fused attention: the mask must be on the CPU");
    TORCH_CHECK(mask.dim() <= 4, "fused attention: mask ", mask.sizes(), " has more than 4 dimensions");
    at::Tensor additive = mask;
    if (mask.scalar_type() == at::kBool) {
      additive = at::zeros(mask.sizes(), q.options()).masked_fill_(mask.logical_not(),
                                                                     -std::numeric_limits<double>::infinity());
    } else {
      additive = mask.to(q.scalar_type());
    }
    pb.mask = additive.expand({pb.B, pb.H, pb.Lq, pb.Lk});
  }
  return pb;
}

// Non-tensor arguments of the autograd function (the mask travels here: it gets no gradient).
struct Options {
  at::Tensor mask;
  bool causal;
  double scale;
  double dropout;
  uint64_t seed;
  uint64_t offset;
};

std::tuple<at::Tensor, at::Tensor> run_forward(const Problem &pb, const at::Tensor &q, const at::Tensor &k,
                                               const at::Tensor &v, const DropoutKey &key) {
  auto out = empty_blhd(pb.B, pb.H, pb.Lq, pb.Ev, q.options());
  auto lse = at::empty({pb.B, pb.H, pb.Lq}, q.options());
  AT_DISPATCH_FLOATING_TYPES(q.scalar_type(), "fused_attention_forward",
                             [&] { forward_kernel<scalar_t>(pb, q, k, v, key, out, lse); });
  return {out, lse};
}

struct FusedAttention : public torch::autograd::Function<FusedAttention> {
  static at::Tensor forward(torch::autograd::AutogradContext *ctx, const at::Tensor &query, const at::Tensor &key_in,
                            const at::Tensor &value, const Options &options) {
    const auto q = with_unit_rows(query), k = with_unit_rows(key_in), v = with_unit_rows(value);
    const auto pb = describe(q, k, v, options.mask, options.causal, options.scale);
    const auto key = make_key(options.dropout, options.seed, options.offset);
    auto [out, lse] = run_forward(pb, q, k, v, key);
    ctx->save_for_backward({q, k, v, out, lse});
    if (options.mask.defined()) ctx->saved_data["mask"] = options.mask;
    ctx->saved_data["causal"] = options.causal;
    ctx->saved_data["scale"] = options.scale;
    ctx->saved_data["dropout"] = options.dropout;
    ctx->saved_data["seed"] = static_cast<int64_t>(options.seed);
    ctx->saved_data["offset"] = static_cast<int64_t>(options.offset);
    return out;
  }

  static torch::autograd::variable_list backward(torch::autograd::AutogradContext *ctx,
                                                 torch::autograd::variable_list grads) {
    TORCH_CHECK(!at::GradMode::is_enabled(),
                "fused attention has no double backward (create_graph); use the libtorch attention kernel");
    const auto saved = ctx->get_saved_variables();
    const auto &q = saved[0], &k = saved[1], &v = saved[2], &out = saved[3], &lse = saved[4];
    const auto mask = ctx->saved_data.count("mask") ? ctx->saved_data["mask"].toTensor() : at::Tensor();
    const auto pb = describe(q, k, v, mask, ctx->saved_data["causal"].toBool(), ctx->saved_data["scale"].toDouble());
    const auto key = make_key(ctx->saved_data["dropout"].toDouble(),
                              static_cast<uint64_t>(ctx->saved_data["seed"].toInt()),
                              static_cast<uint64_t>(ctx->saved_data["offset"].toInt()));
    const auto grad_out = with_unit_rows(grads[0]);
    auto dq = empty_blhd(pb.B, pb.H, pb.Lq, pb.E, q.options());
    auto dk = empty_blhd(pb.B, pb.H, pb.Lk, pb.E, q.options()).zero_();
    auto dv = empty_blhd(pb.B, pb.H, pb.Lk, pb.Ev, q.options()).zero_();
    AT_DISPATCH_FLOATING_TYPES(q.scalar_type(), "fused_attention_backward", [&] {
      backward_kernel<scalar_t>(pb, q, k, v, out, grad_out, lse, key, dq, dk, dv);
    });
    return {dq, dk, dv, at::Tensor()};
  }
};

// Seed and offset of one call, drawn from libtorch's default CPU generator (under its lock).
std::pair<uint64_t, uint64_t> draw_seed_offset() {
  auto generator = at::detail::getDefaultCPUGenerator();
  std::lock_guard<std::mutex> lock(generator.mutex());
  auto *cpu = at::check_generator<at::CPUGeneratorImpl>(generator);
  const uint64_t seed = cpu->random64();
  const uint64_t offset = cpu->random();
  return {seed, offset};
}

}  // namespace

extern "C" {

ct_tensor ct_fused_sdpa(ct_tensor q, ct_tensor k, ct_tensor v, ct_tensor attn_mask, double dropout_p, bool is_causal,
                        double scale, const uint64_t *seed_offset) {
  CT_GUARD(nullptr, {
    Options options{attn_mask ? ctorch::unwrap(attn_mask) : at::Tensor(), is_causal, scale, dropout_p, 0, 0};
    if (dropout_p > 0) {
      if (seed_offset) {
        options.seed = seed_offset[0];
        options.offset = seed_offset[1];
      } else {
        std::tie(options.seed, options.offset) = draw_seed_offset();
      }
    }
    return ctorch::wrap(FusedAttention::apply(ctorch::unwrap(q), ctorch::unwrap(k), ctorch::unwrap(v), options));
  })
}

ct_tensor ct_fused_sdpa_keep_mask(int64_t batch, int64_t heads, int64_t query_length, int64_t key_length,
                                  double dropout_p, uint64_t seed, uint64_t offset) {
  CT_GUARD(nullptr, {
    TORCH_CHECK(batch >= 0 && heads >= 0 && query_length >= 0 && key_length >= 0,
                "fused attention keep mask: sizes must be non-negative");
    const auto key = make_key(dropout_p, seed, offset);
    // The forward's own row operation on rows of zeros: exp(0 - 0) = 1, then the dropout factors.
    auto rows = at::zeros({batch * heads * query_length, key_length}, at::kFloat);
    float *data = rows.data_ptr<float>();
    at::parallel_for(0, rows.size(0), 1, [&](int64_t begin, int64_t end) {
      for (int64_t r = begin; r < end; ++r) {
        for (int64_t j0 = 0; j0 < key_length; j0 += kKeyBlock) {
          softmax_row(data + r * key_length + j0, std::min(kKeyBlock, key_length - j0), 0.0f, key,
                      static_cast<uint64_t>(r), j0);
        }
      }
    });
    return ctorch::wrap(rows.ne(0).view({batch, heads, query_length, key_length}));
  })
}

int ct_fused_sdpa_vectorized(void) { return static_cast<int>(isa()); }

}  // extern "C"
