// NCCL for CUDA tensors (ctorch_distributed.h): ProcessGroupNCCL lives in libctorch_nccl.so (Sources/CTorchNCCL),
// loaded here at run time after libtorch_cuda.so, so that this shim never needs CUDA libraries to link or load.
#include <dlfcn.h>

#include <ATen/Parallel.h>

#include <cstdlib>
#include <mutex>
#include <string>
#include <vector>

#include "internal.hpp"
#include "nccl_plugin.hpp"
#include "process_group.hpp"

namespace {

constexpr const char *kPluginName = "libctorch_nccl.so";
constexpr const char *kUnavailable = "NCCL needs a CUDA build of libtorch and a GPU: ";

std::string folder_of(const void *address) {
  Dl_info info;
  if (!dladdr(address, &info) || !info.dli_fname) return "";
  std::string path(info.dli_fname);
  auto slash = path.find_last_of('/');
  return slash == std::string::npos ? "." : path.substr(0, slash);
}

// Why ct_cuda_load failed, found again: it reports its reason only once, and callers may have cleared it since.
std::string cuda_missing_reason() {
  // RTLD_NOLOAD only looks: the library is in the process when ct_cuda_load got as far as asking for a GPU.
  if (dlopen("libtorch_cuda.so", RTLD_NOW | RTLD_NOLOAD)) return "libtorch_cuda.so is loaded but sees no GPU";
  std::string path = folder_of(reinterpret_cast<void *>(&at::get_num_threads)) + "/libtorch_cuda.so";
  if (dlopen(path.c_str(), RTLD_NOW | RTLD_GLOBAL)) return path + " loaded only on a second try";
  const char *why = dlerror();
  return std::string(why ? why : path + " could not be loaded") +
         " (a CPU-only libtorch? point ECG_LIBTORCH at a CUDA build of PyTorch 2.11)";
}

// ECG_NCCL_PLUGIN, else beside this shim (the bundle's lib/), else in libtorch's folder (where make setup puts it).
std::vector<std::string> plugin_paths() {
  std::vector<std::string> paths;
  if (const char *path = std::getenv("ECG_NCCL_PLUGIN"); path && *path) paths.emplace_back(path);
  paths.push_back(folder_of(reinterpret_cast<void *>(&ct_process_group_nccl)) + "/" + kPluginName);
  paths.push_back(folder_of(reinterpret_cast<void *>(&at::get_num_threads)) + "/" + kPluginName);
  return paths;
}

std::mutex plugin_mutex;
ctorch_nccl_attach_fn plugin_attach = nullptr;

ctorch_nccl_attach_fn load_plugin(std::string &error) {
  std::lock_guard<std::mutex> lock(plugin_mutex);
  if (plugin_attach) return plugin_attach;
  std::string tried;
  for (const auto &path : plugin_paths()) {
    void *handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
      const char *why = dlerror();
      tried += "\n  " + (why ? std::string(why) : path);
      continue;
    }
    plugin_attach = reinterpret_cast<ctorch_nccl_attach_fn>(dlsym(handle, CTORCH_NCCL_ATTACH));
    if (plugin_attach) return plugin_attach;
    tried += "\n  " + path + " has no " + CTORCH_NCCL_ATTACH;
  }
  error = std::string("the NCCL plugin ") + kPluginName + " could not be loaded; build it with scripts/setup-nccl.sh "
          "(part of make setup) or point ECG_NCCL_PLUGIN at it. Tried:" + tried;
  return nullptr;
}

}  // namespace

extern "C" {

int ct_nccl_load(void) {
  if (ct_cuda_load() != 1) {
    ctorch::set_error((kUnavailable + cuda_missing_reason()).c_str());
    return 0;
  }
  std::string error;
  if (!load_plugin(error)) {
    ctorch::set_error((kUnavailable + error).c_str());
    return 0;
  }
  return 1;
}

int ct_process_group_nccl(ct_process_group group, int device, int64_t timeout_ms) {
  if (ct_nccl_load() != 1) return -1;
  char error[4096] = {0};
  if (plugin_attach(group->group.get(), group->store.get(), device, timeout_ms, error, sizeof error) != 0) {
    ctorch::set_error(("NCCL on cuda:" + std::to_string(device) + ": " + error).c_str());
    return -1;
  }
  return 0;
}

}  // extern "C"
