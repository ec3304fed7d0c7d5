// Handles, metadata, data transfer, factories and conversions.
#include <cstring>
#include <sstream>

#include <ATen/CPUGeneratorImpl.h>

#include "internal.hpp"

using ctorch::options;
using ctorch::shape;
using ctorch::unwrap;

extern "C" {

void ct_free(ct_tensor t) { delete t; }
ct_tensor ct_retain(ct_tensor t) { CT_TENSOR(unwrap(t)) }
int64_t ct_dim(ct_tensor t) { return unwrap(t).dim(); }
int64_t ct_numel(ct_tensor t) { return unwrap(t).numel(); }
int ct_sizes(ct_tensor t, int64_t *out) {
  CT_STATUS(auto sizes = unwrap(t).sizes(); std::copy(sizes.begin(), sizes.end(), out))
}
int ct_strides(ct_tensor t, int64_t *out) {
  CT_STATUS(auto strides = unwrap(t).strides(); std::copy(strides.begin(), strides.end(), out))
}
int64_t ct_storage_offset(ct_tensor t) { return unwrap(t).storage_offset(); }
int ct_dtype(ct_tensor t) { return static_cast<int>(unwrap(t).scalar_type()); }
int ct_device_type(ct_tensor t) { return static_cast<int>(unwrap(t).device().type()); }
int ct_device_index(ct_tensor t) { return unwrap(t).device().has_index() ? unwrap(t).device().index() : 0; }
bool ct_is_contiguous(ct_tensor t) { return unwrap(t).is_contiguous(); }
bool ct_requires_grad(ct_tensor t) { return unwrap(t).requires_grad(); }
bool ct_is_leaf(ct_tensor t) { return unwrap(t).is_leaf(); }
bool ct_has_grad_fn(ct_tensor t) { return unwrap(t).grad_fn() != nullptr; }
bool ct_same_storage(ct_tensor a, ct_tensor b) { return unwrap(a).is_alias_of(unwrap(b)); }

char *ct_to_string(ct_tensor t) {
  CT_GUARD(nullptr, {
    std::ostringstream stream;
    stream << unwrap(t);
    return strdup(stream.str().c_str());
  })
}
void ct_free_string(char *s) { free(s); }

ct_tensor ct_from_data(const void *data, const int64_t *sizes, int64_t ndim, int dtype) {
  CT_TENSOR(at::from_blob(const_cast<void *>(data), shape(sizes, ndim), options(dtype, 0, 0).device(at::kCPU)).clone())
}

int64_t ct_copy_to_host(ct_tensor t, void *dst, int64_t capacity_bytes) {
  CT_GUARD(-1, {
    at::Tensor host = unwrap(t).detach().to(at::kCPU).contiguous();
    int64_t bytes = static_cast<int64_t>(host.nbytes());
    if (bytes > capacity_bytes) {
      ctorch::set_error("destination buffer is too small for the tensor's data");
      return -1;
    }
    if (bytes > 0) std::memcpy(dst, host.data_ptr(), static_cast<size_t>(bytes));
    return bytes;
  })
}

int ct_copy_(ct_tensor dst, ct_tensor src) { CT_STATUS(dst->tensor.copy_(unwrap(src))) }
void *ct_data_ptr(ct_tensor t) {
  CT_GUARD(nullptr, {
    const at::Tensor &x = unwrap(t);
    if (!x.device().is_cpu()) {
      ctorch::set_error("the tensor is not on the CPU");
      return static_cast<void *>(nullptr);
    }
    return x.data_ptr();
  })
}
int ct_item_double(ct_tensor t, double *out) { CT_STATUS(*out = unwrap(t).item<double>()) }
int ct_item_int64(ct_tensor t, int64_t *out) { CT_STATUS(*out = unwrap(t).item<int64_t>()) }

ct_tensor ct_zeros(const int64_t *s, int64_t n, int dtype, int dt, int di) {
  CT_TENSOR(at::zeros(shape(s, n), options(dtype, dt, di)))
}
ct_tensor ct_ones(const int64_t *s, int64_t n, int dtype, int dt, int di) {
  CT_TENSOR(at::ones(shape(s, n), options(dtype, dt, di)))
}
ct_tensor ct_empty(const int64_t *s, int64_t n, int dtype, int dt, int di) {
  CT_TENSOR(at::empty(shape(s, n), options(dtype, dt, di)))
}
ct_tensor ct_full(const int64_t *s, int64_t n, double value, int dtype, int dt, int di) {
  CT_TENSOR(at::full(shape(s, n), value, options(dtype, dt, di)))
}
ct_tensor ct_arange(double start, double end, double step, int dtype, int dt, int di) {
  CT_TENSOR(at::arange(start, end, step, options(dtype, dt, di)))
}
ct_tensor ct_linspace(double start, double end, int64_t steps, int dtype, int dt, int di) {
  CT_TENSOR(at::linspace(start, end, steps, options(dtype, dt, di)))
}
ct_tensor ct_eye(int64_t n, int64_t m, int dtype, int dt, int di) { CT_TENSOR(at::eye(n, m, options(dtype, dt, di))) }
ct_tensor ct_rand(const int64_t *s, int64_t n, int dtype, int dt, int di) {
  CT_TENSOR(at::rand(shape(s, n), options(dtype, dt, di)))
}
ct_tensor ct_randn(const int64_t *s, int64_t n, int dtype, int dt, int di) {
  CT_TENSOR(at::randn(shape(s, n), options(dtype, dt, di)))
}
ct_tensor ct_rand_like(ct_tensor t) { CT_TENSOR(at::rand_like(unwrap(t))) }
ct_tensor ct_randn_like(ct_tensor t) { CT_TENSOR(at::randn_like(unwrap(t))) }
ct_tensor ct_randint(int64_t low, int64_t high, const int64_t *s, int64_t n, int dtype, int dt, int di) {
  CT_TENSOR(at::randint(low, high, shape(s, n), options(dtype, dt, di)))
}
ct_tensor ct_randperm(int64_t n, int dtype, int dt, int di) { CT_TENSOR(at::randperm(n, options(dtype, dt, di))) }
ct_tensor ct_randperm_seeded(int64_t n, uint64_t seed) {
  CT_TENSOR(at::randperm(n, at::make_generator<at::CPUGeneratorImpl>(seed), at::TensorOptions().dtype(at::kLong)))
}
struct ct_generator_s {
  at::Generator generator;
};
ct_generator ct_cpu_generator_new(uint64_t seed) {
  CT_GUARD(nullptr, return new ct_generator_s{at::make_generator<at::CPUGeneratorImpl>(seed)};)
}
void ct_generator_free(ct_generator g) { delete g; }
ct_tensor ct_rand_from(ct_generator g, const int64_t *s, int64_t n, int dtype) {
  CT_TENSOR(at::rand(shape(s, n), g->generator, options(dtype, 0, 0)))
}
ct_tensor ct_randn_from(ct_generator g, const int64_t *s, int64_t n, int dtype) {
  CT_TENSOR(at::randn(shape(s, n), g->generator, options(dtype, 0, 0)))
}
ct_tensor ct_multinomial(ct_tensor probs, int64_t samples, bool replacement) {
  CT_TENSOR(at::multinomial(unwrap(probs), samples, replacement))
}
ct_tensor ct_bernoulli(ct_tensor probs) { CT_TENSOR(at::bernoulli(unwrap(probs))) }

ct_tensor ct_to(ct_tensor t, int dtype, int dt, int di, bool copy) {
  CT_TENSOR(unwrap(t).to(options(dtype, dt, di), /*non_blocking=*/false, copy))
}
ct_tensor ct_contiguous(ct_tensor t) { CT_TENSOR(unwrap(t).contiguous()) }
ct_tensor ct_clone(ct_tensor t) { CT_TENSOR(unwrap(t).clone()) }
ct_tensor ct_detach(ct_tensor t) { CT_TENSOR(unwrap(t).detach()) }

}  // extern "C"
