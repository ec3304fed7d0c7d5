// The few Gloo declarations that c10d's ProcessGroupGloo.hpp names. The libtorch wheel ships c10d's headers but
// not Gloo's; libtorch_cpu holds Gloo's code. Only pointers to these types cross our code, so declarations do.
#pragma once
#include "gloo/context.h"
