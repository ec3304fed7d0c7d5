// See README.md.
#pragma once
#include "cublas_v2.h"

struct cublasLtContext;
typedef struct cublasLtContext *cublasLtHandle_t;
