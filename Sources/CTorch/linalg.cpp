// Linear-algebra decompositions (LAPACK inside libtorch).
#include "internal.hpp"

int ct_linalg_eigh(ct_tensor a, ct_tensor *values, ct_tensor *vectors) {
  CT_STATUS(auto decomposition = at::linalg_eigh(ctorch::unwrap(a));
            *values = ctorch::wrap(std::get<0>(decomposition)); *vectors = ctorch::wrap(std::get<1>(decomposition)))
}
