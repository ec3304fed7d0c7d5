// Reductions, scans, sorting.
#include "internal.hpp"

using ctorch::shape;
using ctorch::unwrap;

namespace {
// An empty dim list means "all dims", as in PyTorch's sum() without arguments.
at::OptionalIntArrayRef dims_or_all(const int64_t *dims, int64_t n) {
  return n == 0 ? at::OptionalIntArrayRef() : at::OptionalIntArrayRef(shape(dims, n));
}
std::vector<int64_t> all_dims_if_empty(const at::Tensor &t, const int64_t *dims, int64_t n) {
  if (n > 0) return std::vector<int64_t>(dims, dims + n);
  std::vector<int64_t> all(static_cast<size_t>(t.dim()));
  for (int64_t i = 0; i < t.dim(); ++i) all[static_cast<size_t>(i)] = i;
  return all;
}
int two_outputs(std::tuple<at::Tensor, at::Tensor> result, ct_tensor *first, ct_tensor *second) {
  *first = ctorch::wrap(std::get<0>(result));
  *second = ctorch::wrap(std::get<1>(result));
  return 0;
}
}  // namespace

extern "C" {

ct_tensor ct_reduce(ct_tensor t, ct_reduce_op op, const int64_t *dims, int64_t n, bool keepdim) {
  CT_GUARD(nullptr, {
    const at::Tensor &x = unwrap(t);
    switch (op) {
      case CT_SUM: return ctorch::wrap(x.sum(dims_or_all(dims, n), keepdim));
      case CT_MEAN: return ctorch::wrap(x.mean(dims_or_all(dims, n), keepdim));
      case CT_AMAX: return ctorch::wrap(x.amax(shape(dims, n), keepdim));
      case CT_AMIN: return ctorch::wrap(x.amin(shape(dims, n), keepdim));
      case CT_LOGSUMEXP: return ctorch::wrap(x.logsumexp(all_dims_if_empty(x, dims, n), keepdim));
      case CT_PROD: {
        if (n == 0) return ctorch::wrap(x.prod());
        at::Tensor out = x;
        // prod reduces one dim at a time; go from the last so earlier indices stay valid.
        std::vector<int64_t> sorted(dims, dims + n);
        for (auto &d : sorted) d = at::maybe_wrap_dim(d, x.dim());
        std::sort(sorted.rbegin(), sorted.rend());
        for (int64_t d : sorted) out = out.prod(d, keepdim);
        return ctorch::wrap(out);
      }
      case CT_ANY: return ctorch::wrap(n == 0 ? x.any() : x.any(shape(dims, n), keepdim));
      case CT_ALL: return ctorch::wrap(n == 0 ? x.all() : x.all(shape(dims, n), keepdim));
    }
    ctorch::set_error("unknown reduction code");
    return static_cast<ct_tensor>(nullptr);
  })
}

ct_tensor ct_var(ct_tensor t, const int64_t *dims, int64_t n, double correction, bool keepdim) {
  CT_TENSOR(unwrap(t).var(dims_or_all(dims, n), at::Scalar(correction), keepdim))
}
ct_tensor ct_std(ct_tensor t, const int64_t *dims, int64_t n, double correction, bool keepdim) {
  CT_TENSOR(unwrap(t).std(dims_or_all(dims, n), at::Scalar(correction), keepdim))
}
ct_tensor ct_norm(ct_tensor t, double p, const int64_t *dims, int64_t n, bool keepdim) {
  CT_TENSOR(at::linalg_vector_norm(unwrap(t), p, dims_or_all(dims, n), keepdim))
}
int ct_max_dim(ct_tensor t, int64_t dim, bool keepdim, ct_tensor *values, ct_tensor *indices) {
  CT_GUARD(-1, return two_outputs(unwrap(t).max(dim, keepdim), values, indices);)
}
int ct_min_dim(ct_tensor t, int64_t dim, bool keepdim, ct_tensor *values, ct_tensor *indices) {
  CT_GUARD(-1, return two_outputs(unwrap(t).min(dim, keepdim), values, indices);)
}
ct_tensor ct_argmax(ct_tensor t, int64_t dim, bool has_dim, bool keepdim) {
  CT_TENSOR(unwrap(t).argmax(has_dim ? c10::optional<int64_t>(dim) : c10::nullopt, keepdim))
}
ct_tensor ct_argmin(ct_tensor t, int64_t dim, bool has_dim, bool keepdim) {
  CT_TENSOR(unwrap(t).argmin(has_dim ? c10::optional<int64_t>(dim) : c10::nullopt, keepdim))
}
ct_tensor ct_cumsum(ct_tensor t, int64_t dim) { CT_TENSOR(unwrap(t).cumsum(dim)) }
ct_tensor ct_cumprod(ct_tensor t, int64_t dim) { CT_TENSOR(unwrap(t).cumprod(dim)) }
int ct_sort(ct_tensor t, int64_t dim, bool descending, bool stable, ct_tensor *values, ct_tensor *indices) {
  CT_GUARD(-1, return two_outputs(unwrap(t).sort(stable, dim, descending), values, indices);)
}
int ct_topk(ct_tensor t, int64_t k, int64_t dim, bool largest, bool sorted, ct_tensor *values, ct_tensor *indices) {
  CT_GUARD(-1, return two_outputs(unwrap(t).topk(k, dim, largest, sorted), values, indices);)
}

}  // extern "C"
