#ifndef CGEOS_SHIM_H
#define CGEOS_SHIM_H
/* Only the reentrant (_r) GEOS API is visible to Swift: a call to a global-context
   function is a compile error. */
#define GEOS_USE_ONLY_R_API
#include <geos_c.h>
#endif
