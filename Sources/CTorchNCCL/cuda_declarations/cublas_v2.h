// See README.md: the names ATen's CUDA headers mention, nothing that could be called.
#pragma once
#include <cuda_runtime_api.h>

struct cublasContext;
typedef struct cublasContext *cublasHandle_t;
typedef enum { CUBLAS_STATUS_SUCCESS = 0 } cublasStatus_t;
