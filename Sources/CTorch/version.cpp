#ifdef ECG_LIBTORCH_MISSING
#error "libtorch 2.11 was not found in " ECG_LIBTORCH_PATH ": run `make setup` (or set ECG_LIBTORCH to a PyTorch 2.11 install's torch folder)"
#else
#include <torch/headeronly/version.h>
#include "ctorch.h"

extern "C" const char *ctorch_version(void) { return TORCH_VERSION; }
#endif
