// The one entry point of libctorch_nccl.so (Sources/CTorchNCCL), which nccl.cpp looks up with dlsym. Both
// libraries are compiled against the same libtorch headers, so c10d types may cross the boundary.
#pragma once
#include <torch/csrc/distributed/c10d/ProcessGroup.hpp>
#include <torch/csrc/distributed/c10d/Store.hpp>

#include <cstddef>
#include <cstdint>

#define CTORCH_NCCL_ATTACH "ctorch_nccl_attach"

// Creates a ProcessGroupNCCL over `store` (its keys under "cuda/"), bound to cuda:`device`, connects it, and
// registers it in `group` for CUDA tensors. 0 on success; -1 with the reason written to `error`.
extern "C" typedef int (*ctorch_nccl_attach_fn)(c10d::ProcessGroup *group, c10d::Store *store, int device,
                                                int64_t timeout_ms, char *error, size_t error_size);
