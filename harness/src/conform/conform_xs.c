/* conform_xs.c: the parser of `xenstore-ls -f` dumps for `pvbench conform` (see
 * pvbench/conform.h): one device directory as key/value pairs, with xenstore-ls's
 * escapes undone, and lookups in it. */
#define _GNU_SOURCE /* memmem */
#include "conform_int.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

static void entries_free(struct xs_dir *d, size_t from)
{
	for (size_t i = from; i < d->n; i++) {
		free(d->e[i].key);
		free(d->e[i].value);
	}
	d->n = from;
}

void xs_dir_free(struct xs_dir *d)
{
	entries_free(d, 0);
	free(d->e);
	memset(d, 0, sizeof(*d));
}

const char *xs_get(const struct xs_dir *d, const char *key)
{
	for (size_t i = 0; i < d->n; i++)
		if (!strcmp(d->e[i].key, key))
			return d->e[i].value;
	return NULL;
}

int xs_get_u64(const struct xs_dir *d, const char *key, unsigned long long max,
	       unsigned long long *out)
{
	const char *v = xs_get(d, key);

	return v ? parse_dec(v, max, out) : -ENOENT;
}

static int hexval(int c)
{
	return isdigit(c) ? c - '0' : isxdigit(c) ? (tolower(c) - 'a' + 10) : -1;
}

/* Unescapes s[0..n) into a new string; *bad is the offending escape on -EINVAL. */
static int unescape(const char *s, size_t n, char **out, char *bad)
{
	static const char simple[] = "\"\"\\\\n\nt\tr\ra\ab\bf\fv\v";
	char *v = malloc(n + 1), *o = v;
	const char *end = s + n;

	if (!v)
		return -ENOMEM;
	while (s < end) {
		unsigned c = (unsigned char)*s++;
		const char *m;

		if (c == '\\') {
			if (s == end)
				goto bad;
			*bad = *s;
			c = (unsigned char)*s++;
			if (c == 'x') {
				int d, k = 0;

				for (c = 0;
				     k < 2 && s < end && (d = hexval((unsigned char)*s)) >= 0;
				     k++, s++)
					c = c * 16 + (unsigned)d;
				if (!k)
					goto bad;
			} else if (c >= '0' && c <= '7') {
				c -= '0';
				for (int k = 1; k < 3 && s < end && *s >= '0' && *s <= '7'; k++)
					c = c * 8 + (unsigned)(*s++ - '0');
			} else if (c && (m = strchr(simple, (int)c)) && (m - simple) % 2 == 0) {
				c = (unsigned char)m[1];
			} else {
				goto bad;
			}
			if (!c || c > 0xff) {
				*bad = '0';
				goto bad;
			}
		}
		*o++ = (char)c;
	}
	*o = 0;
	*out = v;
	return 0;
bad:
	free(v);
	return -EINVAL;
}

static int xs_add(struct xs_dir *d, const char *key, size_t klen, char *value)
{
	struct xs_entry *e = grow_one(d->e, d->n, &d->cap, sizeof(*e), 32);

	if (!e)
		return -ENOMEM;
	d->e = e;
	d->e[d->n].key = strndup(key, klen);
	if (!d->e[d->n].key)
		return -ENOMEM;
	d->e[d->n++].value = value;
	return 0;
}

static int xs_line(const char *p, const char *eol, const char *prefix, size_t plen, int line,
		   struct xs_dir *out, struct sbuf *err)
{
	const char *sep, *val, *key;
	char *value, bad = '?', keybuf[256];
	size_t klen;
	int rc;

	while (eol > p && isspace((unsigned char)eol[-1]))
		eol--;
	if (eol == p)
		return 0;
	sep = memmem(p, eol - p, " = \"", 4);
	if (*p != '/' || !sep || memchr(p, ' ', sep - p))
		return set_err(err, "line %d: expected '/path = \"value\"'", line);
	val = sep + 4;
	if (eol == val || eol[-1] != '"')
		return set_err(err, "line %d: unterminated value (truncated output?)", line);
	if ((size_t)(sep - p) <= plen || strncmp(p, prefix, plen) || p[plen] != '/')
		return 0; /* the prefix node itself, or outside it */
	key = p + plen + 1;
	klen = sep - key;
	if (!klen || klen >= sizeof(keybuf))
		return set_err(err, "line %d: bad key", line);
	memcpy(keybuf, key, klen);
	keybuf[klen] = 0;
	if (xs_get(out, keybuf))
		return set_err(err, "line %d: duplicate key '%s'", line, keybuf);
	rc = unescape(val, eol - 1 - val, &value, &bad);
	if (rc == -EINVAL) {
		if (eol - 1 > val && eol[-2] == '\\' && bad == '?')
			return set_err(err, "line %d: unterminated value (truncated output?)",
				       line);
		return set_err(err, "line %d: bad escape '\\%c'", line, bad);
	}
	if (rc)
		return rc;
	rc = xs_add(out, keybuf, klen, value);
	if (rc)
		free(value);
	return rc;
}

int xs_dump_parse(const char *text, size_t len, const char *prefix, struct xs_dir *out,
		  struct sbuf *err)
{
	const char *p = text, *end = text + len;
	size_t plen = strlen(prefix), n0 = out->n;
	int line = 0, rc = 0;

	while (plen && prefix[plen - 1] == '/')
		plen--;
	while (p < end && !rc) {
		const char *eol = memchr(p, '\n', end - p);

		if (!eol)
			eol = end;
		rc = xs_line(p, eol, prefix, plen, ++line, out, err);
		p = eol + 1;
	}
	if (rc)
		entries_free(out, n0);
	return rc;
}
