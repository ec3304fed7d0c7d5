// Neural-network primitives and losses.
#include "internal.hpp"

using ctorch::optional;
using ctorch::shape;
using ctorch::unwrap;

extern "C" {

ct_tensor ct_linear(ct_tensor x, ct_tensor weight, ct_tensor bias) {
  CT_TENSOR(at::linear(unwrap(x), unwrap(weight), optional(bias)))
}
ct_tensor ct_conv1d(ct_tensor x, ct_tensor weight, ct_tensor bias, int64_t stride, int64_t padding, int64_t dilation,
                    int64_t groups) {
  CT_TENSOR(at::conv1d(unwrap(x), unwrap(weight), optional(bias), stride, padding, dilation, groups))
}
ct_tensor ct_batch_norm(ct_tensor x, ct_tensor weight, ct_tensor bias, ct_tensor running_mean, ct_tensor running_var,
                        bool training, double momentum, double eps) {
  CT_TENSOR(at::batch_norm(unwrap(x), optional(weight), optional(bias), optional(running_mean), optional(running_var),
                           training, momentum, eps, /*cudnn_enabled=*/true))
}
ct_tensor ct_layer_norm(ct_tensor x, const int64_t *normalized_shape, int64_t ndim, ct_tensor weight, ct_tensor bias,
                        double eps) {
  CT_TENSOR(at::layer_norm(unwrap(x), shape(normalized_shape, ndim), optional(weight), optional(bias), eps))
}
ct_tensor ct_embedding(ct_tensor weight, ct_tensor indices, int64_t padding_idx) {
  CT_TENSOR(at::embedding(unwrap(weight), unwrap(indices), padding_idx))
}
ct_tensor ct_dropout(ct_tensor x, double p, bool training) { CT_TENSOR(at::dropout(unwrap(x), p, training)) }
ct_tensor ct_gelu(ct_tensor x, int approximate) { CT_TENSOR(at::gelu(unwrap(x), approximate == 1 ? "tanh" : "none")) }
ct_tensor ct_softmax(ct_tensor x, int64_t dim) { CT_TENSOR(unwrap(x).softmax(dim)) }
ct_tensor ct_log_softmax(ct_tensor x, int64_t dim) { CT_TENSOR(unwrap(x).log_softmax(dim)) }
ct_tensor ct_sdpa(ct_tensor q, ct_tensor k, ct_tensor v, ct_tensor attn_mask, double dropout_p, bool is_causal,
                  double scale) {
  CT_TENSOR(at::scaled_dot_product_attention(unwrap(q), unwrap(k), unwrap(v), optional(attn_mask), dropout_p,
                                             is_causal, scale > 0 ? c10::optional<double>(scale) : c10::nullopt))
}
ct_tensor ct_adaptive_avg_pool1d(ct_tensor x, int64_t output_size) {
  CT_TENSOR(at::adaptive_avg_pool1d(unwrap(x), {output_size}))
}
ct_tensor ct_pad(ct_tensor x, const int64_t *pads, int64_t npads, int mode, double value) {
  static const char *const modes[] = {"constant", "reflect", "replicate", "circular"};
  CT_GUARD(nullptr, {
    if (mode < 0 || mode > 3) throw std::invalid_argument("unknown padding mode");
    return ctorch::wrap(at::pad(unwrap(x), shape(pads, npads), modes[mode],
                                mode == 0 ? c10::optional<double>(value) : c10::nullopt));
  })
}
ct_tensor ct_mse_loss(ct_tensor input, ct_tensor target, int reduction) {
  CT_TENSOR(at::mse_loss(unwrap(input), unwrap(target), ctorch::reduction(reduction)))
}
ct_tensor ct_l1_loss(ct_tensor input, ct_tensor target, int reduction) {
  CT_TENSOR(at::l1_loss(unwrap(input), unwrap(target), ctorch::reduction(reduction)))
}
ct_tensor ct_cross_entropy(ct_tensor logits, ct_tensor target, ct_tensor weight, int reduction, int64_t ignore_index,
                           double label_smoothing) {
  CT_TENSOR(at::cross_entropy_loss(unwrap(logits), unwrap(target), optional(weight), ctorch::reduction(reduction),
                                   ignore_index, label_smoothing))
}
ct_tensor ct_bce_with_logits(ct_tensor logits, ct_tensor target, ct_tensor weight, ct_tensor pos_weight,
                             int reduction) {
  CT_TENSOR(at::binary_cross_entropy_with_logits(unwrap(logits), unwrap(target), optional(weight),
                                                 optional(pos_weight), ctorch::reduction(reduction)))
}

}  // extern "C"
