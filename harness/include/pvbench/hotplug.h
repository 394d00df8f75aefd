/* hotplug.h: the pure parts of pvbench-hotplug (hypervisor/pvbench-hotplug.c), dom0's
 * hotplug program for pvbench's vbds and vifs; here so that unit tests reach them. */
#ifndef PVBENCH_HOTPLUG_H
#define PVBENCH_HOTPLUG_H

#include <stdio.h>
#include <string.h>

/* libxl's vif device name "vif<domid>.<devid>" (libxl_linux.c libxl__hotplug_nic:
 * "vif%u.%d") -> its ids. 0, or -1 when name is not of that shape. */
static inline int hotplug_vif_ids(const char *name, unsigned *domid, unsigned *devid)
{
	char tail;

	if (!name || strncmp(name, "vif", 3) || name[3] < '0' || name[3] > '9')
		return -1;
	return sscanf(name + 3, "%u.%u%c", domid, devid, &tail) == 2 ? 0 : -1;
}

/* The backend's "params" as libxl writes it for a phy disk ("/dev/ram0", or "ram0"
 * for a name under /dev, as block-common.sh takes it) -> the device path in out. */
static inline void hotplug_dev_path(const char *params, char *out, size_t len)
{
	snprintf(out, len, "%s%s", params[0] == '/' ? "" : "/dev/", params);
}

#endif
