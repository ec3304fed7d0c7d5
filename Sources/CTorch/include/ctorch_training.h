#ifndef CTORCH_TRAINING_H
#define CTORCH_TRAINING_H
/*
 * Training support over libtorch 2.11: the default generators' states (for exact resume) and autocast
 * (mixed precision). Same conventions as ctorch.h: exceptions are caught, failures return NULL or a
 * negative value and leave libtorch's message in ct_last_error().
 */
#include <stdbool.h>
#include <stdint.h>

#include "ctorch.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The default generator's state of a device as a uint8 tensor on the CPU (torch.get_rng_state,
 * torch.cuda.get_rng_state). device_type 0 = CPU, 1 = CUDA (device_index selects the GPU). */
ct_tensor ct_get_rng_state(int device_type, int device_index);
/* Restores a state returned by ct_get_rng_state; returns 0, or -1 when it does not fit the generator. */
int ct_set_rng_state(ct_tensor state, int device_type, int device_index);

/* Autocast on the calling thread (torch.autocast): while enabled for a device type, eligible operations on
 * that device run in `dtype` (e.g. bfloat16 matmuls, float32 reductions) while the inputs keep theirs. */
int ct_autocast_set_enabled(int device_type, bool enabled, int dtype);
bool ct_autocast_is_enabled(int device_type);
/* Leaving the outermost autocast region clears libtorch's cache of casted weights, as torch.autocast does. */
void ct_autocast_enter(void);
void ct_autocast_exit(void);

#ifdef __cplusplus
}
#endif
#endif
