// Views, indexing, joining and splitting.
#include "internal.hpp"

using ctorch::shape;
using ctorch::unwrap;

namespace {
c10::List<c10::optional<at::Tensor>> index_list(const ct_tensor *indices, int64_t count) {
  c10::List<c10::optional<at::Tensor>> list;
  for (int64_t i = 0; i < count; ++i) list.push_back(ctorch::optional(indices[i]));
  return list;
}
int64_t hand_out(const std::vector<at::Tensor> &parts, ct_tensor *out, int64_t capacity) {
  int64_t n = std::min<int64_t>(static_cast<int64_t>(parts.size()), capacity);
  for (int64_t i = 0; i < n; ++i) out[i] = ctorch::wrap(parts[static_cast<size_t>(i)]);
  return n;
}
}  // namespace

extern "C" {

ct_tensor ct_reshape(ct_tensor t, const int64_t *s, int64_t n) { CT_TENSOR(unwrap(t).reshape(shape(s, n))) }
ct_tensor ct_view(ct_tensor t, const int64_t *s, int64_t n) { CT_TENSOR(unwrap(t).view(shape(s, n))) }
ct_tensor ct_transpose(ct_tensor t, int64_t d0, int64_t d1) { CT_TENSOR(unwrap(t).transpose(d0, d1)) }
ct_tensor ct_permute(ct_tensor t, const int64_t *dims, int64_t n) { CT_TENSOR(unwrap(t).permute(shape(dims, n))) }
ct_tensor ct_slice(ct_tensor t, int64_t dim, int64_t start, int64_t end, int64_t step) {
  CT_TENSOR(unwrap(t).slice(dim, start, end, step))
}
ct_tensor ct_narrow(ct_tensor t, int64_t dim, int64_t start, int64_t length) {
  CT_TENSOR(unwrap(t).narrow(dim, start, length))
}
ct_tensor ct_select(ct_tensor t, int64_t dim, int64_t index) { CT_TENSOR(unwrap(t).select(dim, index)) }
ct_tensor ct_index_select(ct_tensor t, int64_t dim, ct_tensor index) {
  CT_TENSOR(unwrap(t).index_select(dim, unwrap(index)))
}
ct_tensor ct_gather(ct_tensor t, int64_t dim, ct_tensor index) { CT_TENSOR(unwrap(t).gather(dim, unwrap(index))) }
ct_tensor ct_scatter(ct_tensor t, int64_t dim, ct_tensor index, ct_tensor src) {
  CT_TENSOR(unwrap(t).scatter(dim, unwrap(index), unwrap(src)))
}
ct_tensor ct_scatter_add(ct_tensor t, int64_t dim, ct_tensor index, ct_tensor src) {
  CT_TENSOR(unwrap(t).scatter_add(dim, unwrap(index), unwrap(src)))
}
ct_tensor ct_index(ct_tensor t, const ct_tensor *indices, int64_t count) {
  CT_TENSOR(at::index(unwrap(t), index_list(indices, count)))
}
int ct_index_put_(ct_tensor t, const ct_tensor *indices, int64_t count, ct_tensor values, bool accumulate) {
  CT_STATUS(t->tensor.index_put_(index_list(indices, count), unwrap(values), accumulate))
}
ct_tensor ct_masked_select(ct_tensor t, ct_tensor mask) { CT_TENSOR(unwrap(t).masked_select(unwrap(mask))) }
ct_tensor ct_masked_fill(ct_tensor t, ct_tensor mask, double value) {
  CT_TENSOR(unwrap(t).masked_fill(unwrap(mask), value))
}
ct_tensor ct_masked_fill_tensor(ct_tensor t, ct_tensor mask, ct_tensor value) {
  CT_TENSOR(unwrap(t).masked_fill(unwrap(mask), unwrap(value)))
}
int ct_masked_fill_(ct_tensor t, ct_tensor mask, double value) { CT_STATUS(t->tensor.masked_fill_(unwrap(mask), value)) }
ct_tensor ct_expand(ct_tensor t, const int64_t *s, int64_t n) { CT_TENSOR(unwrap(t).expand(shape(s, n))) }
ct_tensor ct_squeeze(ct_tensor t) { CT_TENSOR(unwrap(t).squeeze()) }
ct_tensor ct_squeeze_dim(ct_tensor t, int64_t dim) { CT_TENSOR(unwrap(t).squeeze(dim)) }
ct_tensor ct_unsqueeze(ct_tensor t, int64_t dim) { CT_TENSOR(unwrap(t).unsqueeze(dim)) }
ct_tensor ct_flatten(ct_tensor t, int64_t start, int64_t end) { CT_TENSOR(unwrap(t).flatten(start, end)) }
ct_tensor ct_cat(const ct_tensor *list, int64_t count, int64_t dim) {
  CT_TENSOR(at::cat(ctorch::tensors(list, count), dim))
}
ct_tensor ct_stack(const ct_tensor *list, int64_t count, int64_t dim) {
  CT_TENSOR(at::stack(ctorch::tensors(list, count), dim))
}
int64_t ct_chunk(ct_tensor t, int64_t chunks, int64_t dim, ct_tensor *out, int64_t capacity) {
  CT_GUARD(-1, return hand_out(unwrap(t).chunk(chunks, dim), out, capacity);)
}
int64_t ct_split(ct_tensor t, int64_t size, int64_t dim, ct_tensor *out, int64_t capacity) {
  CT_GUARD(-1, return hand_out(unwrap(t).split(size, dim), out, capacity);)
}
int64_t ct_split_sizes(ct_tensor t, const int64_t *sizes, int64_t count, int64_t dim, ct_tensor *out) {
  CT_GUARD(-1, return hand_out(unwrap(t).split_with_sizes(shape(sizes, count), dim), out, count);)
}
ct_tensor ct_triu(ct_tensor t, int64_t diagonal) { CT_TENSOR(unwrap(t).triu(diagonal)) }
ct_tensor ct_tril(ct_tensor t, int64_t diagonal) { CT_TENSOR(unwrap(t).tril(diagonal)) }
ct_tensor ct_where(ct_tensor c, ct_tensor a, ct_tensor b) { CT_TENSOR(at::where(unwrap(c), unwrap(a), unwrap(b))) }
ct_tensor ct_repeat(ct_tensor t, const int64_t *r, int64_t n) { CT_TENSOR(unwrap(t).repeat(shape(r, n))) }
ct_tensor ct_roll(ct_tensor t, int64_t shift, int64_t dim) { CT_TENSOR(unwrap(t).roll(shift, dim)) }
ct_tensor ct_flip(ct_tensor t, const int64_t *dims, int64_t n) { CT_TENSOR(unwrap(t).flip(shape(dims, n))) }
ct_tensor ct_nonzero(ct_tensor t) { CT_TENSOR(unwrap(t).nonzero()) }

}  // extern "C"
