// See algorithm.h: c10d holds Gloo's context through shared_ptr and calls only setTimeout inline.
#pragma once
#include <chrono>

namespace gloo {
class Context {
 public:
  void setTimeout(std::chrono::milliseconds timeout);
};
}  // namespace gloo
