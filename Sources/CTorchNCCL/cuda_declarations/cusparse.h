// See README.md.
#pragma once
#include <cuda_runtime_api.h>

struct cusparseContext;
typedef struct cusparseContext *cusparseHandle_t;
typedef enum { CUSPARSE_STATUS_SUCCESS = 0 } cusparseStatus_t;
