// See ../algorithm.h: devices and unbound buffers are only held through smart pointers by c10d.
#pragma once
namespace gloo {
namespace transport {
class Device;
class UnboundBuffer;
}  // namespace transport
}  // namespace gloo
