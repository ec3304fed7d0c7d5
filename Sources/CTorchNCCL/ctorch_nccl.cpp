// libctorch_nccl.so: c10d's ProcessGroupNCCL for the C shim. It is a library of its own so that libctorch never
// needs CUDA or NCCL to link or load: libctorch dlopens it after libtorch_cuda.so (RTLD_GLOBAL), which resolves
// the libtorch_cuda, c10_cuda and NCCL symbols left undefined here. Built by build.sh beside this file.
#include <torch/csrc/distributed/c10d/PrefixStore.hpp>
#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>

#include <c10/cuda/CUDAFunctions.h>

#include <chrono>
#include <cstdio>

#include "nccl_plugin.hpp"

extern "C" int ctorch_nccl_attach(c10d::ProcessGroup *group, c10d::Store *store, int device, int64_t timeout_ms,
                                  char *error, size_t error_size) {
  try {
    const at::Device cuda(at::kCUDA, static_cast<c10::DeviceIndex>(device));
    // As torch.cuda.set_device(local_rank): each rank's kernels and NCCL communicator stay on its own GPU.
    c10::cuda::set_device(cuda.index());
    auto options = c10d::ProcessGroupNCCL::Options::create();
    options->timeout = std::chrono::milliseconds(timeout_ms);
    // PyTorch keeps each backend's keys under "<device>/" of the group's store, so Gloo's and NCCL's never meet.
    auto prefixed = c10::make_intrusive<c10d::PrefixStore>(
        "cuda/", c10::intrusive_ptr<c10d::Store>::reclaim_copy(store));
    auto backend =
        c10::make_intrusive<c10d::ProcessGroupNCCL>(prefixed, group->getRank(), group->getSize(), options);
    // setBackend copies the group's bound device into the backend (init_process_group(device_id=…)).
    group->setBoundDeviceId(cuda);
    group->setBackend(c10::DeviceType::CUDA, c10d::ProcessGroup::BackendType::NCCL, backend);
    // Connects the communicator now, so a missing peer or a broken NCCL shows here rather than mid-step.
    backend->eagerConnectSingleDevice(cuda);
    return 0;
  } catch (const c10::Error &e) {
    std::snprintf(error, error_size, "%s", e.what_without_backtrace());
  } catch (const std::exception &e) {
    std::snprintf(error, error_size, "%s", e.what());
  } catch (...) {
    std::snprintf(error, error_size, "unknown C++ exception in ProcessGroupNCCL");
  }
  return -1;
}
