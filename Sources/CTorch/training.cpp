// Generator states and autocast (ctorch_training.h).
#include <ATen/autocast_mode.h>
#include <ATen/core/Generator.h>

#include <mutex>

#include "ctorch_training.h"
#include "internal.hpp"

namespace {
at::Generator default_generator(int device_type, int device_index) {
  if (device_type == 0) return at::globalContext().defaultGenerator(at::Device(at::kCPU));
  return at::globalContext().defaultGenerator(at::Device(at::kCUDA, static_cast<c10::DeviceIndex>(device_index)));
}
}  // namespace

ct_tensor ct_get_rng_state(int device_type, int device_index) {
  try {
    auto generator = default_generator(device_type, device_index);
    std::lock_guard<std::mutex> lock(generator.mutex());
    return ctorch::wrap(generator.get_state());
  } catch (const std::exception &e) {
    ctorch::set_error(e.what());
    return nullptr;
  }
}

int ct_set_rng_state(ct_tensor state, int device_type, int device_index) {
  try {
    auto generator = default_generator(device_type, device_index);
    std::lock_guard<std::mutex> lock(generator.mutex());
    generator.set_state(ctorch::unwrap(state));
    return 0;
  } catch (const std::exception &e) {
    ctorch::set_error(e.what());
    return -1;
  }
}

int ct_autocast_set_enabled(int device_type, bool enabled, int dtype) {
  try {
    auto type = static_cast<c10::DeviceType>(device_type);
    at::autocast::set_autocast_dtype(type, static_cast<at::ScalarType>(dtype));
    at::autocast::set_autocast_enabled(type, enabled);
    return 0;
  } catch (const std::exception &e) {
    ctorch::set_error(e.what());
    return -1;
  }
}

bool ct_autocast_is_enabled(int device_type) {
  return at::autocast::is_autocast_enabled(static_cast<c10::DeviceType>(device_type));
}

void ct_autocast_enter(void) { at::autocast::increment_nesting(); }

void ct_autocast_exit(void) {
  if (at::autocast::decrement_nesting() == 0) at::autocast::clear_cache();
}
