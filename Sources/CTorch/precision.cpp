// Float32 matmul precision (ctorch_precision.h).
#include <ATen/Context.h>

#include <string>

#include "ctorch_precision.h"
#include "internal.hpp"

extern "C" {

int ct_set_float32_matmul_precision(const char *precision) {
  CT_STATUS(at::globalContext().setFloat32MatmulPrecision(std::string(precision)))
}

int ct_float32_matmul_precision(void) {
  switch (at::globalContext().float32MatmulPrecision()) {
    case at::Float32MatmulPrecision::HIGHEST: return 0;
    case at::Float32MatmulPrecision::HIGH: return 1;
    default: return 2;
  }
}

}  // extern "C"
