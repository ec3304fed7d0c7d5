// See ../algorithm.h: c10d's header includes this; nothing in it is used by the shim.
#pragma once
