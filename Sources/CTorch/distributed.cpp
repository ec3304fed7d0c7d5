// c10d process groups, collectives and the gradient Reducer (ctorch_distributed.h).
#include <torch/csrc/autograd/custom_function.h>
#include <torch/csrc/distributed/c10d/ProcessGroup.hpp>
#include <torch/csrc/distributed/c10d/PrefixStore.hpp>
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#include <torch/csrc/distributed/c10d/reducer.hpp>

#include <c10/util/Logging.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <string>
#include <vector>

#include "ctorch_distributed.h"
#include "internal.hpp"
#include "process_group.hpp"

struct ct_reducer_s {
  std::shared_ptr<c10d::Reducer> reducer;
};

namespace {

std::chrono::milliseconds milliseconds(int64_t value) { return std::chrono::milliseconds(value); }

// Runs a collective and waits for it; a timeout or a lost peer throws, which CT_GUARD turns into an error.
void wait(const c10::intrusive_ptr<c10d::Work> &work, int64_t timeout_ms) {
  if (!work->wait(milliseconds(timeout_ms))) throw std::runtime_error("collective did not complete in time");
}

// The backend for the tensors' device, as PyTorch's "cpu:gloo,cuda:nccl" groups pick it: Gloo for CPU tensors,
// NCCL for CUDA tensors once ct_process_group_nccl has added it.
c10::intrusive_ptr<c10d::Backend> backend_for(const ct_process_group_s &group, const std::vector<at::Tensor> &tensors) {
  auto type = tensors.empty() ? c10::DeviceType::CPU : tensors.front().device().type();
  for (const auto &tensor : tensors) {
    TORCH_CHECK(tensor.device().type() == type, "a collective's tensors must all be on one kind of device");
  }
  for (const auto &device : group.group->getDeviceTypes()) {
    if (device.type() == type) return group.group->getBackend(type);
  }
  TORCH_CHECK(false, "the process group has no backend for ", c10::DeviceTypeName(type, true),
              " tensors (CUDA tensors need NCCL: a group joined with a CUDA device)");
}

at::Tensor gather(const ct_process_group_s &group, const at::Tensor &input, int64_t timeout_ms) {
  auto contiguous = input.contiguous();
  std::vector<at::Tensor> inputs{contiguous};
  auto backend = backend_for(group, inputs);
  std::vector<at::Tensor> parts;
  for (int rank = 0; rank < backend->getSize(); ++rank) parts.push_back(at::empty_like(contiguous));
  std::vector<std::vector<at::Tensor>> outputs{parts};
  c10d::AllgatherOptions options;
  options.timeout = milliseconds(timeout_ms);
  wait(backend->allgather(outputs, inputs, options), timeout_ms);
  return at::cat(outputs[0], 0);
}

// all_gather whose backward sums the gradient over the ranks and keeps this rank's rows.
struct DifferentiableAllGather : public torch::autograd::Function<DifferentiableAllGather> {
  static at::Tensor forward(torch::autograd::AutogradContext *ctx, const at::Tensor &input,
                            const ct_process_group_s *group, int64_t timeout_ms) {
    ctx->saved_data["group"] = reinterpret_cast<int64_t>(group);
    ctx->saved_data["timeout"] = timeout_ms;
    ctx->saved_data["rows"] = input.size(0);
    return gather(*group, input, timeout_ms);
  }

  static torch::autograd::variable_list backward(torch::autograd::AutogradContext *ctx,
                                                 torch::autograd::variable_list gradients) {
    auto group = reinterpret_cast<const ct_process_group_s *>(ctx->saved_data["group"].toInt());
    auto timeout_ms = ctx->saved_data["timeout"].toInt();
    auto rows = ctx->saved_data["rows"].toInt();
    std::vector<at::Tensor> summed{gradients[0].contiguous().clone()};
    c10d::AllreduceOptions options;
    options.timeout = milliseconds(timeout_ms);
    wait(backend_for(*group, summed)->allreduce(summed, options), timeout_ms);
    auto mine = summed[0].narrow(0, group->group->getRank() * rows, rows);
    return {mine, at::Tensor(), at::Tensor()};
  }
};

c10d::ReduceOp reduce_op(int code) {
  switch (code) {
    case 1: return c10d::ReduceOp::MAX;
    case 2: return c10d::ReduceOp::MIN;
    case 3: return c10d::ReduceOp::PRODUCT;
    default: return c10d::ReduceOp::SUM;
  }
}

// c10d logs a failed rendezvous as an error line plus the whole C++ backtrace before it throws; the exception reaches
// the user anyway, worded by the Swift side. While the store connects, libtorch logs fatal messages only, unless the
// user chose its level with TORCH_CPP_LOG_LEVEL.
class QuietRendezvousLog {
 public:
  QuietRendezvousLog() : saved_(FLAGS_caffe2_log_level), active_(std::getenv("TORCH_CPP_LOG_LEVEL") == nullptr) {
    if (active_) FLAGS_caffe2_log_level = std::max(saved_, static_cast<int>(c10::GLOG_FATAL));
  }
  ~QuietRendezvousLog() {
    if (active_) FLAGS_caffe2_log_level = saved_;
  }
  QuietRendezvousLog(const QuietRendezvousLog &) = delete;
  QuietRendezvousLog &operator=(const QuietRendezvousLog &) = delete;

 private:
  int saved_;
  bool active_;
};

}  // namespace

extern "C" {

ct_process_group ct_process_group_gloo(const char *master_addr, int master_port, int rank, int world_size,
                                       const char *interface_name, const char *hostname, int64_t timeout_ms) {
  CT_GUARD(nullptr, {
    c10d::TCPStoreOptions store_options;
    store_options.port = static_cast<uint16_t>(master_port);
    store_options.isServer = rank == 0;
    store_options.numWorkers = world_size;
    store_options.waitWorkers = true;
    store_options.timeout = milliseconds(timeout_ms);
    c10::intrusive_ptr<c10d::TCPStore> store;
    {
      QuietRendezvousLog quiet;
      store = c10::make_intrusive<c10d::TCPStore>(std::string(master_addr), store_options);
    }

    auto options = c10d::ProcessGroupGloo::Options::create(milliseconds(timeout_ms));
    if (interface_name && *interface_name) {
      options->devices.push_back(c10d::ProcessGroupGloo::createDeviceForInterface(interface_name));
    } else if (hostname && *hostname) {
      options->devices.push_back(c10d::ProcessGroupGloo::createDeviceForHostname(hostname));
    } else {
      options->devices.push_back(c10d::ProcessGroupGloo::createDefaultDevice());
    }
    auto prefixed = c10::make_intrusive<c10d::PrefixStore>("default_pg", store);
    auto backend = c10::make_intrusive<c10d::ProcessGroupGloo>(prefixed, rank, world_size, options);
    auto group = c10::make_intrusive<c10d::ProcessGroup>(prefixed, rank, world_size);
    group->setDefaultBackend(c10d::ProcessGroup::BackendType::GLOO);
    group->setBackend(c10::DeviceType::CPU, c10d::ProcessGroup::BackendType::GLOO, backend);
    return new ct_process_group_s{prefixed, group};
  })
}

void ct_process_group_free(ct_process_group group) {
  // As destroy_process_group: NCCL's normal exit (its watchdog stops, its communicators go), which its destructor
  // would otherwise do after a warning. Gloo has nothing to shut down.
  for (const auto &device : group->group->getDeviceTypes()) {
    if (device.type() != c10::DeviceType::CUDA) continue;
    try {
      group->group->getBackend(c10::DeviceType::CUDA)->shutdown();
    } catch (...) {
      // Exiting anyway: a failed shutdown leaves nothing to release.
    }
  }
  delete group;
}

int ct_all_reduce(ct_process_group group, const ct_tensor *tensors, int64_t count, int op, int64_t timeout_ms) {
  CT_STATUS({
    auto list = ctorch::tensors(tensors, count);
    c10d::AllreduceOptions options;
    options.reduceOp = reduce_op(op);
    options.timeout = milliseconds(timeout_ms);
    wait(backend_for(*group, list)->allreduce(list, options), timeout_ms);
  })
}

int ct_broadcast(ct_process_group group, const ct_tensor *tensors, int64_t count, int root, int64_t timeout_ms) {
  CT_STATUS({
    auto list = ctorch::tensors(tensors, count);
    c10d::BroadcastOptions options;
    options.rootRank = root;
    options.timeout = milliseconds(timeout_ms);
    // Gloo broadcasts one tensor per call; each goes to its own device's backend, so a module's state may mix
    // CPU and CUDA tensors.
    for (auto &tensor : list) {
      std::vector<at::Tensor> one{tensor};
      wait(backend_for(*group, one)->broadcast(one, options), timeout_ms);
    }
  })
}

ct_tensor ct_all_gather(ct_process_group group, ct_tensor input, bool differentiable, int64_t timeout_ms) {
  CT_TENSOR(differentiable ? DifferentiableAllGather::apply(ctorch::unwrap(input), group, timeout_ms)
                           : gather(*group, ctorch::unwrap(input), timeout_ms))
}

int ct_barrier(ct_process_group group, int64_t timeout_ms) {
  CT_STATUS({
    c10d::BarrierOptions options;
    options.timeout = milliseconds(timeout_ms);
    // On Gloo (CPU) whatever else the group holds: NCCL's barrier would have to guess a GPU.
    wait(group->group->getBackend(c10::DeviceType::CPU)->barrier(options), timeout_ms);
  })
}

ct_reducer ct_reducer_create(ct_process_group group, const ct_tensor *parameters, int64_t count,
                             int64_t bucket_cap_mb, bool find_unused_parameters) {
  CT_GUARD(nullptr, {
    auto params = ctorch::tensors(parameters, count);
    const int64_t cap = bucket_cap_mb * 1024 * 1024;
    const int64_t first_cap = 1024 * 1024;
    // DDP assigns buckets in reverse parameter order: gradients become ready roughly from the last layer back.
    std::vector<int64_t> order;
    for (int64_t i = count - 1; i >= 0; --i) order.push_back(i);
    std::vector<size_t> caps{static_cast<size_t>(first_cap), static_cast<size_t>(cap)};
    auto [buckets, limits] =
        c10d::compute_bucket_assignment_by_size(params, caps, std::vector<bool>(params.size(), false), order);
    std::unordered_map<size_t, std::string> names;
    auto reducer = std::make_shared<c10d::Reducer>(
        params, buckets, group->group, std::vector<bool>(params.size(), false), cap, find_unused_parameters,
        /*gradient_as_bucket_view=*/false, names, first_cap, /*skip_all_reduce_unused_params=*/false,
        /*use_python_reducer=*/false, std::vector<int64_t>(limits.begin(), limits.end()));
    return new ct_reducer_s{reducer};
  })
}

int ct_reducer_prepare(ct_reducer reducer, const ct_tensor *outputs, int64_t count) {
  CT_STATUS({
    reducer->reducer->prepare_for_forward();
    reducer->reducer->prepare_for_backward(ctorch::tensors(outputs, count));
  })
}

void ct_reducer_free(ct_reducer reducer) { delete reducer; }

}  // extern "C"
