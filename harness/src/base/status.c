/* status.c: the ordered status of runs, boots and conformance (status.h). */
#include "pvbench/status.h"

#include <errno.h>
#include <string.h>

const char *const pvb_status_names[PVB_NSTATUS] = {
	[PVB_OK] = "OK",	   [PVB_SKIP] = "SKIP",	      [PVB_INVALID] = "INVALID",
	[PVB_FAIL] = "FAIL",	   [PVB_TIMEOUT] = "TIMEOUT", [PVB_CRASH] = "CRASH",
	[PVB_INTERRUPTED] = "INTERRUPTED", [PVB_OTHER] = "other",
};

enum pvb_status pvb_status_parse(const char *s)
{
	for (int i = 0; s && i < PVB_OTHER; i++)
		if (!strcmp(s, pvb_status_names[i]))
			return i;
	return PVB_OTHER;
}

const char *pvb_status_name(enum pvb_status s)
{
	return (unsigned)s < PVB_NSTATUS ? pvb_status_names[s] : "other";
}

enum pvb_status pvb_status_worst(enum pvb_status a, enum pvb_status b)
{
	return a > b ? a : b;
}

enum pvb_status pvb_status_from_errno(int rc)
{
	return rc == 0		  ? PVB_OK
	       : rc == -ETIMEDOUT ? PVB_TIMEOUT
	       : rc == -EPIPE	  ? PVB_CRASH
	       : rc == -EINTR	  ? PVB_INTERRUPTED
				  : PVB_FAIL;
}
