/* toolout.c: the JSON document in a tool's output, and clean excerpts (toolout.h). */
#include "pvbench/toolout.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

void tool_text_clean(char *dst, size_t len, const char *src, size_t n, size_t max)
{
	size_t j = 0, i = 0;

	while (src && i < n && (src[i] == ' ' || src[i] == '\t'))
		i++;
	for (; src && i < n && src[i] != '\n' && j + 1 < len && j < max; i++)
		dst[j++] = (src[i] >= 0x20 && src[i] < 0x7f) ? src[i] : '?';
	while (j && dst[j - 1] == ' ')
		j--;
	dst[j] = '\0';
}

/* The first line that starts with '{', or end. */
static const char *json_start(const char *p, const char *end)
{
	while (p < end && *p != '{') {
		const char *nl = memchr(p, '\n', end - p);

		p = nl ? nl + 1 : end;
	}
	return p;
}

int tool_json_load(const char *tool, const char *out, size_t len, size_t max_len, int flags,
		   json_t **root, struct sbuf *err)
{
	const char *end, *p;
	char first[96];
	json_error_t jerr;

	*root = NULL;
	if (!out)
		return sb_fail(err, -EINVAL, "no %s output", tool);
	if (len > max_len)
		return sb_fail(err, -EINVAL, "%s output too large (%zu bytes)", tool, len);
	end = out + len;
	p = json_start(out, end);
	if (p == end) {
		tool_text_clean(first, sizeof(first), out, len, 80);
		return sb_fail(err, -EINVAL, "no JSON in %s output%s%s%s", tool,
			       *first ? " (starts '" : "", first, *first ? "')" : "");
	}
	*root = json_loadb(p, end - p,
			   JSON_DISABLE_EOF_CHECK |
				   (flags & TOOL_JSON_DUPLICATES ? 0 : JSON_REJECT_DUPLICATES),
			   &jerr);
	if (!*root) {
		int line = jerr.line;

		for (const char *q = out; q < p; q++)
			line += *q == '\n';
		tool_text_clean(first, sizeof(first), jerr.text, strlen(jerr.text), 80);
		return sb_fail(err, -EINVAL, "cannot parse %s JSON: %s at line %d", tool, first,
			       line);
	}
	if (!json_is_object(*root)) {
		json_decref(*root);
		*root = NULL;
		return sb_fail(err, -EINVAL, "%s JSON is not an object", tool);
	}
	return 0;
}

int tool_metric_add(struct metric_set *ms, const char *name, double v, struct sbuf *err)
{
	int rc = metric_set_add(ms, name, v);

	return rc ? sb_fail(err, rc, "cannot add metric '%s': %s", name, strerror(-rc)) : 0;
}
