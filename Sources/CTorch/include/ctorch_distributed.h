#ifndef CTORCH_DISTRIBUTED_H
#define CTORCH_DISTRIBUTED_H
/*
 * Collectives over libtorch 2.11's c10d: TCPStore rendezvous, the Gloo process group (CPU tensors), NCCL for CUDA
 * tensors (loaded at run time) and the Reducer that averages gradients in buckets while backward runs (what
 * DistributedDataParallel uses). Each collective runs on the backend for its tensors' device.
 * Same conventions as ctorch.h: exceptions are caught, failures return NULL or a negative value and leave
 * c10d's message (a timeout, a peer that closed its connection) in ct_last_error().
 */
#include <stdbool.h>
#include <stdint.h>

#include "ctorch.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ct_process_group_s *ct_process_group;
typedef struct ct_reducer_s *ct_reducer;

/* Joins the group: rank 0 serves a TCPStore on master_addr:master_port, every rank connects to it, then the
 * Gloo backend connects all pairs. Gloo binds to `interface_name` when given (GLOO_SOCKET_IFNAME), else to
 * `hostname` when given, else to the address this machine's hostname resolves to (loopback as a fallback).
 * timeout_ms bounds the rendezvous and every later collective. */
ct_process_group ct_process_group_gloo(const char *master_addr, int master_port, int rank, int world_size,
                                       const char *interface_name, const char *hostname, int64_t timeout_ms);
void ct_process_group_free(ct_process_group group);

/* Whether NCCL can be used: loads libtorch_cuda.so (ct_cuda_load), then the plugin libctorch_nccl.so from
 * $ECG_NCCL_PLUGIN, beside this shim, or libtorch's lib folder. 1 when ready; 0 with the reason in ct_last_error()
 * ("NCCL needs a CUDA build of libtorch and a GPU: …"). */
int ct_nccl_load(void);
/* Adds a ProcessGroupNCCL for CUDA tensors to a joined group (collective: every rank calls it), bound to
 * cuda:`device` (made the current device, as torch.cuda.set_device) and connected at once. CPU tensors stay on
 * Gloo. */
int ct_process_group_nccl(ct_process_group group, int device, int64_t timeout_ms);

/* In-place all-reduce of every tensor (op: 0 sum, 1 max, 2 min, 3 product); waits at most timeout_ms. */
int ct_all_reduce(ct_process_group group, const ct_tensor *tensors, int64_t count, int op, int64_t timeout_ms);
/* In-place broadcast of every tensor from `root` (each on its own device's backend). */
int ct_broadcast(ct_process_group group, const ct_tensor *tensors, int64_t count, int root, int64_t timeout_ms);
/* The ranks' tensors (equal shapes) concatenated along dim 0 in rank order. When `differentiable`, gradients
 * flow back: the backward all-reduces (sums) the incoming gradient and keeps this rank's slice, as
 * torch.distributed.nn.all_gather does. */
ct_tensor ct_all_gather(ct_process_group group, ct_tensor input, bool differentiable, int64_t timeout_ms);
/* Always on Gloo. */
int ct_barrier(ct_process_group group, int64_t timeout_ms);

/* c10d::Reducer over `parameters` (leaf tensors requiring grad) with buckets of at most bucket_cap_mb
 * (the first one 1 MB, as DDP). After ct_reducer_prepare(loss), the next backward averages every gradient over
 * the group while it runs. find_unused_parameters: walk the graph and mark parameters it does not reach. */
ct_reducer ct_reducer_create(ct_process_group group, const ct_tensor *parameters, int64_t count,
                             int64_t bucket_cap_mb, bool find_unused_parameters);
int ct_reducer_prepare(ct_reducer reducer, const ct_tensor *outputs, int64_t count);
void ct_reducer_free(ct_reducer reducer);

#ifdef __cplusplus
}
#endif

#endif
