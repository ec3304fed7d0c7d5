// See README.md.
#pragma once
#include "cusolver_common.h"

struct cusolverDnContext;
typedef struct cusolverDnContext *cusolverDnHandle_t;
