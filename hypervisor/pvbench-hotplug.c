/* pvbench-hotplug: pvbench's dom0 hotplug "script" for phy vbds and bridged vifs, one
 * C program instead of two shell scripts (hypervisor/hotplug-vbd, hotplug-vif did
 * the same with 3 and 4 processes: 0.30 and 0.35 s per device under TCG, on the
 * path between `xl create` and the domU's first instruction, since libxl unpauses a
 * PV domain only once every device's hotplug is done).
 *
 * Installed in dom0 as /etc/xen/scripts/pvbench-vbd and pvbench-vif (symlinks to
 * /usr/lib/pvbench/bin/pvbench-hotplug; the name says which device), and named by
 * guest.c's xl config (script=pvbench-vbd, script=pvbench-vif). libxl runs it as
 * "<script> add|remove" (vbd) or "<script> online|offline type_if=vif" (vif) with
 * XENBUS_PATH=backend/<vbd|vif>/<domid>/<devid> and, for a vif, vif=vif<domid>.<devid>
 * (tools/libs/light/libxl_linux.c: get_hotplug_env, libxl__hotplug_nic).
 *
 * vbd add: what Xen's "block" script does for a block device (block-common.sh
 * write_dev, xen-hotplug-common.sh success): physical-device (major:minor in hex),
 * physical-device-path and hotplug-status=connected under the backend, which lets
 * blkback connect (xen-blkback/xenbus.c backend_changed watches physical-device).
 * Skipped: block's lock and its sharing checks (pvbench gives each domU its own RAM
 * disk). vbd remove: nothing (block: "phy) exit 0").
 *
 * vif online: what Xen's "vif-bridge" does (xen-network-common.sh
 * setup_virtual_bridge_port, set_mtu, add_to_bridge): dummy MAC fe:ff:ff:ff:ff:ff,
 * the MTU from the backend's "mtu" key or else the bridge's (also written to the
 * frontend's "mtu", as set_mtu does), enslaved to the backend's "bridge" (default
 * xenbr0), up; then hotplug-status=connected, without which netback never reaches
 * Connected (xen-netback/xenbus.c hotplug_status_changed). vif offline: down and out
 * of the bridge, errors ignored (the vif may be gone already).
 *
 * Errors: one line "pvbench-<vbd|vif> <XENBUS_PATH>: <what>" appended to
 * /var/log/xen/xen-hotplug.log, hotplug-error=<what> and hotplug-status=error under
 * the backend (libxl reports both), exit 1; as Xen's scripts do. */
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_arp.h>
#include <linux/sockios.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <xenstore.h>

#include "pvbench/hotplug.h"

#define HOTPLUG_LOG "/var/log/xen/xen-hotplug.log"
#define DEFAULT_BRIDGE "xenbr0"

static struct xs_handle *xs;
static const char *who = "pvbench-hotplug", *xenbus_path = "?";

static char *xs_get(const char *key)
{
	char path[256];
	unsigned len;

	snprintf(path, sizeof(path), "%s/%s", xenbus_path, key);
	return xs_read(xs, XBT_NULL, path, &len);
}

/* Writes NULL-terminated key/value pairs in one transaction (keys relative to the
 * backend unless absolute), retried while xenstored answers EAGAIN. */
static int xs_put(const char *k, ...)
{
	for (int tries = 0; tries < 10; tries++) {
		xs_transaction_t t = xs_transaction_start(xs);
		bool ok = t != XBT_NULL;
		va_list ap;

		va_start(ap, k);
		for (const char *key = k; ok && key; key = va_arg(ap, const char *)) {
			const char *val = va_arg(ap, const char *);
			char path[256];

			snprintf(path, sizeof(path), "%s%s%s", key[0] == '/' ? "" : xenbus_path,
				 key[0] == '/' ? "" : "/", key);
			ok = xs_write(xs, t, path, val, strlen(val));
		}
		va_end(ap);
		if (t == XBT_NULL)
			return -1;
		if (!ok) {
			xs_transaction_end(xs, t, true);
			return -1;
		}
		if (xs_transaction_end(xs, t, false))
			return 0;
		if (errno != EAGAIN)
			return -1;
	}
	return -1;
}

static void fail(const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	FILE *f;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	f = fopen(HOTPLUG_LOG, "a");
	fprintf(f ? f : stderr, "%s %s: %s\n", who, xenbus_path, msg);
	if (f)
		fclose(f);
	if (xs)
		xs_put("hotplug-error", msg, "hotplug-status", "error", NULL);
	exit(1);
}

static int vbd(const char *action)
{
	char dev[256], mm[32];
	struct stat st;
	char *params;

	if (!strcmp(action, "remove"))
		return 0;
	if (strcmp(action, "add"))
		fail("unknown action '%s'", action);
	params = xs_get("params");
	if (!params)
		fail("cannot read %s/params: %s", xenbus_path, strerror(errno));
	hotplug_dev_path(params, dev, sizeof(dev));
	free(params);
	if (stat(dev, &st) || !S_ISBLK(st.st_mode))
		fail("%s is not a block device", dev);
	snprintf(mm, sizeof(mm), "%x:%x", major(st.st_rdev), minor(st.st_rdev));
	if (xs_put("physical-device", mm, "physical-device-path", dev, "hotplug-status",
		   "connected", NULL))
		fail("cannot write physical-device: %s", strerror(errno));
	return 0;
}

static int read_sysfs(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

static int ifreq_ioctl(int s, unsigned long req, const char *ifname, struct ifreq *ifr)
{
	snprintf(ifr->ifr_name, sizeof(ifr->ifr_name), "%s", ifname);
	return ioctl(s, req, ifr);
}

static int vif(const char *action)
{
	const char *name = getenv("vif");
	char path[128], mtu[16], *bridge, *v;
	unsigned domid, devid;
	struct ifreq ifr;
	int s;

	if (!name || !*name)
		fail("no vif in the environment");
	if (hotplug_vif_ids(name, &domid, &devid))
		fail("vif '%s' is not vif<domid>.<devid>", name);
	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		fail("socket: %s", strerror(errno));
	if (!strcmp(action, "offline") || !strcmp(action, "remove")) {
		char master[128];
		ssize_t n;

		memset(&ifr, 0, sizeof(ifr));
		if (!ifreq_ioctl(s, SIOCGIFFLAGS, name, &ifr)) {
			ifr.ifr_flags &= ~IFF_UP;
			ifreq_ioctl(s, SIOCSIFFLAGS, name, &ifr);
		}
		/* the bridge it is in: /sys/class/net/<vif>/master -> ../<bridge> */
		snprintf(path, sizeof(path), "/sys/class/net/%s/master", name);
		n = readlink(path, master, sizeof(master) - 1);
		memset(&ifr, 0, sizeof(ifr));
		if (n > 0 && !ifreq_ioctl(s, SIOCGIFINDEX, name, &ifr)) {
			master[n] = '\0';
			ifreq_ioctl(s, SIOCBRDELIF,
				    strrchr(master, '/') ? strrchr(master, '/') + 1 : master, &ifr);
		}
		return 0;
	}
	if (strcmp(action, "online") && strcmp(action, "add"))
		fail("unknown action '%s'", action);
	bridge = xs_get("bridge");
	if (!bridge && !(bridge = strdup(DEFAULT_BRIDGE)))
		fail("out of memory");
	snprintf(path, sizeof(path), "/sys/class/net/%s/bridge", bridge);
	if (access(path, F_OK))
		fail("no bridge %s", bridge);
	v = xs_get("mtu");
	if (v)
		snprintf(mtu, sizeof(mtu), "%s", v);
	free(v);
	snprintf(path, sizeof(path), "/sys/class/net/%s/mtu", bridge);
	if (!v && read_sysfs(path, mtu, sizeof(mtu)))
		fail("cannot read %s", path);
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_hwaddr.sa_family = ARPHRD_ETHER;
	memset(ifr.ifr_hwaddr.sa_data, 0xff, 6);
	ifr.ifr_hwaddr.sa_data[0] = (char)0xfe;
	if (ifreq_ioctl(s, SIOCSIFHWADDR, name, &ifr))
		fail("cannot set the MAC of %s: %s", name, strerror(errno));
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_mtu = atoi(mtu);
	if (ifr.ifr_mtu <= 0 || ifreq_ioctl(s, SIOCSIFMTU, name, &ifr))
		fail("cannot set the MTU of %s to '%s': %s", name, mtu, strerror(errno));
	memset(&ifr, 0, sizeof(ifr));
	if (ifreq_ioctl(s, SIOCGIFINDEX, name, &ifr) || ifreq_ioctl(s, SIOCBRADDIF, bridge, &ifr))
		fail("cannot add %s to %s: %s", name, bridge, strerror(errno));
	memset(&ifr, 0, sizeof(ifr));
	if (ifreq_ioctl(s, SIOCGIFFLAGS, name, &ifr))
		fail("cannot read the flags of %s: %s", name, strerror(errno));
	ifr.ifr_flags |= IFF_UP;
	if (ifreq_ioctl(s, SIOCSIFFLAGS, name, &ifr))
		fail("cannot bring %s up: %s", name, strerror(errno));
	close(s);
	free(bridge);
	snprintf(path, sizeof(path), "/local/domain/%u/device/vif/%u/mtu", domid, devid);
	if (xs_put(path, mtu, "hotplug-status", "connected", NULL))
		fail("cannot write hotplug-status: %s", strerror(errno));
	return 0;
}

int main(int argc, char **argv)
{
	const char *base = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
	bool is_vbd = !strcmp(base, "pvbench-vbd"), is_vif = !strcmp(base, "pvbench-vif");

	if (is_vbd || is_vif)
		who = base;
	xenbus_path = getenv("XENBUS_PATH") ?: "?";
	if (!is_vbd && !is_vif)
		fail("run as pvbench-vbd or pvbench-vif (a symlink), not %s", base);
	if (argc < 2)
		fail("no action given");
	if (!getenv("XENBUS_PATH"))
		fail("no XENBUS_PATH in the environment");
	xs = xs_open(0);
	if (!xs)
		fail("cannot open xenstore: %s", strerror(errno));
	return is_vbd ? vbd(argv[1]) : vif(argv[1]);
}
