/* conform_leaks.c: the leak checks of `pvbench conform` (see pvbench/conform.h):
 * counting a domain's active grants and bound event channels in `xl debug-keys g` /
 * `e` dumps, comparing them before and after a device's detach, and dom0's backend
 * threads in `ps ax`. */
#define _GNU_SOURCE /* memmem, strchrnul */
#include "conform_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* The text of an xl dmesg line after "(XEN) " and "[   45.226308] ", if present. */
static const char *xen_body(const char *line, const char *eol)
{
	const char *q;

	if ((size_t)(eol - line) >= 6 && !strncmp(line, "(XEN) ", 6))
		line += 6;
	if (line < eol && *line == '[') {
		for (q = line + 1;
		     q < eol && (*q == ' ' || *q == '.' || isdigit((unsigned char)*q)); q++)
			;
		if (q < eol && *q == ']' && q > line + 1 && isdigit((unsigned char)q[-1])) {
			line = q + 1;
			if (line < eol && *line == ' ')
				line++;
		}
	}
	return line;
}

static bool body_is(const char *body, const char *eol, const char *what)
{
	size_t n = strlen(what);

	return (size_t)(eol - body) >= n && !strncmp(body, what, n);
}

/* Start of the line after the last one whose body starts with marker, or NULL. */
static const char *last_marker(const char *text, const char *marker)
{
	const char *found = NULL;

	for (const char *p = text; *p;) {
		const char *eol = strchrnul(p, '\n');

		if (body_is(xen_body(p, eol), eol, marker))
			found = *eol ? eol + 1 : eol;
		p = *eol ? eol + 1 : eol;
	}
	return found;
}

int xen_gnttab_dump_count(const char *xl_dmesg, int granting_dom, long *active)
{
	const char *p = last_marker(xl_dmesg, "gnttab_usage_print_all [");
	long count = 0, cur = -1;
	bool found = false;

	if (!p)
		return -ENODATA;
	while (*p) {
		const char *eol = strchrnul(p, '\n'), *b = xen_body(p, eol);

		if (body_is(b, eol, "gnttab_usage_print_all ] done")) {
			if (!found)
				return -ENOENT;
			*active = count;
			return 0;
		}
		if (body_is(b, eol, "grant-table for remote d")) {
			cur = strtol(b + strlen("grant-table for remote d"), NULL, 10);
			found |= cur == granting_dom;
		} else if (cur == granting_dom && body_is(b, eol, "[0x")) {
			count++;
		}
		p = *eol ? eol + 1 : eol;
	}
	return -ENODATA; /* the last block has no end: cut or still being printed */
}

/* "  13 [0/0/  -   ]: s=3 n=1 x=0 d=0 p=26" -> 3; -1 when not a port line. */
static int port_state(const char *b, const char *eol)
{
	const char *s;

	while (b < eol && *b == ' ')
		b++;
	if (b == eol || !isdigit((unsigned char)*b))
		return -1;
	while (b < eol && isdigit((unsigned char)*b))
		b++;
	if (b + 1 >= eol || b[0] != ' ' || b[1] != '[')
		return -1;
	s = memmem(b, eol - b, "]: s=", 5);
	return s && s + 5 < eol && isdigit((unsigned char)s[5]) ? atoi(s + 5) : -1;
}

int xen_evtchn_dump_count(const char *xl_dmesg, int dom, long *bound)
{
	static const char hdr[] = "Event channel information for domain ";
	const char *p = last_marker(xl_dmesg, "'e' pressed -> dumping event-channel info");
	long count = 0, cur = -1;
	bool found = false;

	if (!p)
		return -ENODATA;
	for (; *p; p = *p ? p + 1 : p) {
		const char *eol = strchrnul(p, '\n'), *b = xen_body(p, eol);
		int s;

		if (body_is(p, eol, "(d") && p + 2 < eol && isdigit((unsigned char)p[2])) {
			p = eol; /* a guest's console line in between */
			continue;
		}
		if (body_is(b, eol, hdr)) {
			cur = strtol(b + strlen(hdr), NULL, 10);
			found |= cur == dom;
		} else if ((s = port_state(b, eol)) >= 0) {
			count += cur == dom && s != 0;
		} else if (!body_is(b, eol, "Polling vCPUs") &&
			   !body_is(b + strspn(b, " "), eol, "port [p/m/s]")) {
			break; /* the dump is over */
		}
		p = eol;
	}
	if (!found)
		return -ENOENT;
	*bound = count;
	return 0;
}

void conform_check_leaks(const struct conform_leak_sample *before,
			 const struct conform_leak_sample *after, const char *dev,
			 struct conform_results *r)
{
	const long b[2] = {before->grant_entries, before->event_channels};
	const long a[2] = {after->grant_entries, after->event_channels};
	static const char *const what[2] = {"grant_entries", "event_channels"};
	static const char *const src[2] = {"xl debug-keys g", "xl debug-keys e"};
	char type[16], name[96], exp[64], act[64];

	snprintf(type, sizeof(type), "%.*s", (int)strcspn(dev, "/"), dev);
	for (int i = 0; i < 2; i++) {
		snprintf(name, sizeof(name), "leak.%s.%s", type, what[i]);
		if (b[i] < 0 || a[i] < 0) {
			skip(r, name, dev, CONF_MUST, src[i], "not measured before and after");
			continue;
		}
		snprintf(exp, sizeof(exp), "at most %ld (as before attach)", b[i]);
		snprintf(act, sizeof(act), "%ld after detach", a[i]);
		res(r, name, dev, CONF_MUST, a[i] <= b[i], src[i], exp, act,
		    a[i] > b[i]	  ? "%ld more held by the domU"
		    : a[i] < b[i] ? "%ld fewer (released by other devices meanwhile; not a leak)"
				  : "%ld",
		    a[i] > b[i] ? a[i] - b[i] : b[i] - a[i]);
	}
}

int conform_backend_thread_prefix(const char *type, int domid, const char *name, char *buf,
				  size_t len)
{
	int n;

	if (!name || !*name || domid < 0)
		return -EINVAL;
	if (!strcmp(type, "vbd")) {
		const char *dev = strstr(name, "/dev/");

		n = snprintf(buf, len, "blkback.%d.%s", domid, dev ? dev + 5 : name);
	} else if (!strcmp(type, "vif")) {
		n = snprintf(buf, len, "vif%d.%s-q", domid, name);
	} else {
		return -EINVAL;
	}
	return n < 0 || (size_t)n >= len ? -ENOSPC : 0;
}

#define TASK_COMM_CHARS 15 /* Linux TASK_COMM_LEN - 1 */

static bool thread_word(const char *w, size_t n, const char *prefix)
{
	size_t pl = strlen(prefix);

	if (n >= 2 && w[0] == '[' && w[n - 1] == ']')
		w++, n -= 2;
	if (n == TASK_COMM_CHARS && pl > n && !strncmp(w, prefix, n))
		return true; /* the name cut by the kernel */
	if (n < pl || strncmp(w, prefix, pl))
		return false;
	if (n == pl)
		return true;
	if (pl && prefix[pl - 1] == 'q')
		return isdigit((unsigned char)w[pl]);
	return w[pl] == '-';
}

long conform_backend_thread_count(const char *ps_text, const char *prefix)
{
	long count = 0;

	for (const char *p = ps_text; *p;) {
		const char *eol = strchrnul(p, '\n');
		bool hit = false;

		for (const char *w = p; w < eol && !hit;) {
			size_t n;

			while (w < eol && isspace((unsigned char)*w))
				w++;
			for (n = 0; w + n < eol && !isspace((unsigned char)w[n]); n++)
				;
			hit = n && thread_word(w, n, prefix);
			w += n;
		}
		count += hit;
		p = *eol ? eol + 1 : eol;
	}
	return count;
}

void conform_check_backend_threads(const char *ps_after, const char *prefix, const char *dev,
				   struct conform_results *r)
{
	char type[16], name[96], act[64];
	long n = conform_backend_thread_count(ps_after, prefix);

	snprintf(type, sizeof(type), "%.*s", (int)strcspn(dev, "/"), dev);
	snprintf(name, sizeof(name), "leak.%s.backend_threads", type);
	snprintf(act, sizeof(act), "%ld thread(s)", n);
	res(r, name, dev, CONF_MUST, n == 0,
	    !strcmp(type, "vbd") ? "linux:xen-blkback/xenbus.c" : "linux:xen-netback/interface.c",
	    "no thread named like it in dom0", act, "prefix '%s'", prefix);
}
