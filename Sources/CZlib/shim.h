#ifndef VPCKIT_CZLIB_SHIM_H
#define VPCKIT_CZLIB_SHIM_H
#include <zlib.h>
#endif
