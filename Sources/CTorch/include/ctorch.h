#ifndef CTORCH_H
#define CTORCH_H
/// Plain C API over libtorch 2.11. No C++ types cross this header.
#ifdef __cplusplus
extern "C" {
#endif

/// libtorch's version string, e.g. "2.11.0".
const char *ctorch_version(void);

#ifdef __cplusplus
}
#endif
#endif
