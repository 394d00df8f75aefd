/* conform_int.h: helpers private to the conformance rule engine, shared by
 * conform_xs.c, conform_rules.c, conform_states.c, conform_leaks.c and
 * conform_output.c: growing an array, the parsers' error line, decimal parsing, xenbus state names, and adding a PASS/FAIL or SKIP
 * result. Not part of pvbench/conform.h. */
#ifndef PVBENCH_CONFORM_INT_H
#define PVBENCH_CONFORM_INT_H

#include "pvbench/conform.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

/* Room for one more element in array v of n used, *cap allocated elements of size
 * bytes, doubling from first: v itself when it has room, else v reallocated (*cap
 * updated), or NULL (v unchanged and still allocated) when memory ran out. */
static inline void *grow_one(void *v, size_t n, size_t *cap, size_t size, size_t first)
{
	size_t c = *cap ? 2 * *cap : first;

	if (n < *cap)
		return v;
	v = realloc(v, c * size);
	if (v)
		*cap = c;
	return v;
}

/* Replaces err's text (when err is not NULL) with the message, cut to 255 bytes, for
 * the parsers' "line N: ..." errors; always returns -EINVAL. */
static inline int set_err(struct sbuf *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static inline int set_err(struct sbuf *err, const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	if (err) {
		va_start(ap, fmt);
		vsnprintf(buf, sizeof(buf), fmt, ap);
		va_end(ap);
		sb_reset(err);
		sb_puts(err, buf);
	}
	return -EINVAL;
}

/* Decimal without sign or blanks, in [0, max]. */
static inline int parse_dec(const char *s, unsigned long long max, unsigned long long *out)
{
	unsigned long long v = 0;

	if (!s || !*s)
		return -EINVAL;
	for (; *s; s++) {
		if (!isdigit((unsigned char)*s))
			return -EINVAL;
		if (v > (max - (unsigned)(*s - '0')) / 10)
			return -EINVAL;
		v = v * 10 + (unsigned)(*s - '0');
	}
	*out = v;
	return 0;
}

/* A xenbus state's name (xenbus.h:19-50), "GONE" for XS_STATE_GONE, else "invalid". */
static inline const char *state_name(int s)
{
	static const char *const state_names[] = {"Unknown",	 "Initialising",  "InitWait",
						  "Initialised", "Connected",	  "Closing",
						  "Closed",	 "Reconfiguring", "Reconfigured"};

	return s >= 0 && s < (int)ARRAY_SIZE(state_names) ? state_names[s]
	       : s == XS_STATE_GONE			  ? "GONE"
							  : "invalid";
}

/* Adds a PASS (ok) or FAIL result, the detail formatted and cut to 255 bytes. */
static inline void res(struct conform_results *r, const char *name, const char *subject,
		       enum conform_level lv, bool ok, const char *src, const char *exp,
		       const char *act, const char *fmt, ...)
    __attribute__((format(printf, 9, 10)));
static inline void res(struct conform_results *r, const char *name, const char *subject,
		       enum conform_level lv, bool ok, const char *src, const char *exp,
		       const char *act, const char *fmt, ...)
{
	char detail[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	conform_add(r, name, subject, lv, ok ? CONF_PASS : CONF_FAIL, src, exp, act, "%s", detail);
}

/* Adds a SKIP result: "not applicable: <why>". */
static inline void skip(struct conform_results *r, const char *name, const char *subject,
			enum conform_level lv, const char *src, const char *why)
{
	conform_add(r, name, subject, lv, CONF_SKIP, src, NULL, NULL, "not applicable: %s", why);
}

#endif
