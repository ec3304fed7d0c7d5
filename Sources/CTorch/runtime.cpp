// Errors, version, seeds, threads and CUDA discovery.
#include <dlfcn.h>
#include <libgen.h>

#include <ATen/Parallel.h>
#include <ATen/detail/CUDAHooksInterface.h>
#include <torch/headeronly/version.h>

#include <cstring>
#include <mutex>

#include "internal.hpp"

namespace {
thread_local std::string last_error;
// One entry per open error scope: the first error recorded in it (empty when none).
thread_local std::vector<std::string> error_scopes;
}  // namespace

ct_tensor_s::ct_tensor_s(at::Tensor t) : tensor(std::move(t)) { ctorch::live_handles()++; }
ct_tensor_s::~ct_tensor_s() { ctorch::live_handles()--; }

namespace ctorch {
void set_error(const char *message) { last_error = message ? message : "unknown error"; }
std::atomic<int64_t> &live_handles() {
  static std::atomic<int64_t> count{0};
  return count;
}
}  // namespace ctorch

extern "C" {

const char *ct_version(void) { return TORCH_VERSION; }
const char *ct_last_error(void) { return last_error.c_str(); }
void ct_clear_error(void) { last_error.clear(); }

int ct_error_scope_begin(void) { CT_STATUS(error_scopes.emplace_back()) }
int ct_error_scope_record(const char *message) {
  if (error_scopes.empty()) return 0;
  if (error_scopes.back().empty()) error_scopes.back() = message && *message ? message : "unknown libtorch error";
  return 1;
}
char *ct_error_scope_end(void) {
  if (error_scopes.empty()) return nullptr;
  std::string first = std::move(error_scopes.back());
  error_scopes.pop_back();
  return first.empty() ? nullptr : strdup(first.c_str());
}
int64_t ct_live_handles(void) { return ctorch::live_handles().load(); }

int ct_manual_seed(uint64_t seed) { CT_STATUS(at::manual_seed(seed)) }

int ct_get_num_threads(void) { CT_GUARD(-1, return at::get_num_threads();) }
int ct_set_num_threads(int n) { CT_STATUS(at::set_num_threads(n)) }

int ct_set_thread_intraop_threads(int n) {
  // omp_set_num_threads changes the calling thread's ICV only; looked up at run time so the shim needs no
  // OpenMP headers or link flags (libtorch_cpu brings libgomp).
  using SetThreads = void (*)(int);
  static SetThreads set_threads = reinterpret_cast<SetThreads>(dlsym(RTLD_DEFAULT, "omp_set_num_threads"));
  if (!set_threads || n < 1) return 0;
  set_threads(n);
  return 1;
}

int ct_cuda_load(void) {
  static std::once_flag once;
  static bool loaded = false;
  std::call_once(once, [] {
    Dl_info info;
    if (!dladdr(reinterpret_cast<void *>(&at::get_num_threads), &info) || !info.dli_fname) return;
    std::string path(info.dli_fname);
    std::string folder = path.substr(0, path.find_last_of('/'));
    // libtorch_cuda registers its kernels and the CUDA hooks from static initialisers when it loads.
    void *handle = dlopen((folder + "/libtorch_cuda.so").c_str(), RTLD_NOW | RTLD_GLOBAL);
    if (!handle) {
      const char *why = dlerror();
      ctorch::set_error(why ? why : "libtorch_cuda.so could not be loaded");
      return;
    }
    loaded = true;
  });
  if (!loaded) return 0;
  CT_GUARD(0, return at::detail::getCUDAHooks().hasCUDA() ? 1 : 0;)
}

int ct_cuda_device_count(void) {
  if (!ct_cuda_load()) return 0;
  CT_GUARD(0, return static_cast<int>(at::detail::getCUDAHooks().deviceCount());)
}

int ct_cuda_synchronize(int device) {
  if (!ct_cuda_load()) {
    if (last_error.empty()) ctorch::set_error("CUDA is not available (libtorch_cuda.so not loaded or no GPU)");
    return -1;
  }
  CT_STATUS(at::detail::getCUDAHooks().deviceSynchronize(static_cast<c10::DeviceIndex>(device)))
}

}  // extern "C"
