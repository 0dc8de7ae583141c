#include <oneapi/dnnl/dnnl.h>

// Cast macros Swift cannot import.
static inline void *shim_dnnl_memory_allocate(void) { return DNNL_MEMORY_ALLOCATE; }
static inline void *shim_dnnl_memory_none(void) { return DNNL_MEMORY_NONE; }

// Debian's oneDNN runs on OpenMP (DNNL_CPU_RUNTIME == OMP); its thread count is OpenMP's.
// Declared here rather than via <omp.h>, which lives in GCC's private include directory.
void omp_set_num_threads(int num_threads);
int omp_get_max_threads(void);
