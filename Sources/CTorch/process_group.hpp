// The process group handle, shared by distributed.cpp (Gloo, collectives) and nccl.cpp (NCCL added later).
#pragma once
#include <torch/csrc/distributed/c10d/ProcessGroup.hpp>
#include <torch/csrc/distributed/c10d/Store.hpp>

#include "ctorch_distributed.h"

struct ct_process_group_s {
  // The rendezvous store under the group's prefix; backends added later (NCCL) keep their keys beneath it.
  c10::intrusive_ptr<c10d::Store> store;
  // Gloo for CPU tensors, NCCL for CUDA tensors when added: each collective picks by the tensors' device.
  c10::intrusive_ptr<c10d::ProcessGroup> group;
};
