// SPDX-License-Identifier: MIT
/* The compiled-in backends, in order of preference for "best available". */
#include <string.h>

#include "qa_internal.h"

extern const struct qa_backend qa_backend_ref;
#ifdef QA_BACKEND_HLS
extern const struct qa_backend qa_backend_hls;
#endif
#ifdef QA_BACKEND_SIM
extern const struct qa_backend qa_backend_sim;
#endif
#ifdef QA_BACKEND_XRT
extern const struct qa_backend qa_backend_xrt;
#endif
#ifdef QA_BACKEND_KDRV
extern const struct qa_backend qa_backend_kdrv;
#endif

static const struct qa_backend *const backends[] = {
	&qa_backend_ref,
#ifdef QA_BACKEND_HLS
	&qa_backend_hls,
#endif
#ifdef QA_BACKEND_SIM
	&qa_backend_sim,
#endif
#ifdef QA_BACKEND_XRT
	&qa_backend_xrt,
#endif
#ifdef QA_BACKEND_KDRV
	&qa_backend_kdrv,
#endif
};

#define N_BACKENDS ((int)(sizeof(backends) / sizeof(backends[0])))

const struct qa_backend *qa_backend_find(const char *name, size_t len)
{
	int i;

	for (i = 0; i < N_BACKENDS; i++)
		if (strlen(backends[i]->name) == len && !strncmp(backends[i]->name, name, len))
			return backends[i];
	return NULL;
}

QA_EXPORT int qaccel_backend_count(void)
{
	return N_BACKENDS;
}

QA_EXPORT const char *qaccel_backend_name(int index)
{
	return index >= 0 && index < N_BACKENDS ? backends[index]->name : NULL;
}
