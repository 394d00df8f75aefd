/* scenario.c: scenario files: the key tables, the INI reader on top of libinih,
 * validation of every section, key and value with file:line errors, and the
 * resolved values a runner applies for each variant. */
#include "pvbench/scenario.h"

#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <jansson.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_ENTRIES 2048 /* key = value lines per file */
#define NAME_LEN_MAX 32

/* The fixed-section keys. One row drives parsing, validation, `list --keys` and the
 * README. Columns: section, key, type, default, unit, allowed, min, max, flags,
 * workload, doc, example. */
static const struct scenario_key keys[] = {
	{ "scenario", "name", ST_STRING, NULL, "", NULL, 0, 0, SK_REQUIRED | SK_NAME, NULL,
	  "Short name, used in results and file names.", "blk-mq" },
	{ "scenario", "description", ST_STRING, "", "", NULL, 0, 0, 0, NULL,
	  "One sentence: what is compared and why.", "blkfront with 1 ring vs 2 rings" },
	{ "scenario", "workload", ST_ENUM, "fio", "", "fio", 0, 0, 0, NULL,
	  "Workload run in the domU; its keys go in [workload].", "fio" },
	{ "scenario", "repetitions", ST_INT, "3", "", NULL, 1, 1000, 0, NULL,
	  "Measured repetitions of each variant.", "5" },
	{ "scenario", "order", ST_ENUM, "interleaved", "", "interleaved|random|blocked", 0, 0, 0,
	  NULL,
	  "Step order: interleaved runs A B A B ..., random shuffles the variants within "
	  "each round (seeded), blocked runs A A A B B B. Interleaving cancels drift.",
	  "random" },
	{ "scenario", "seed", ST_INT, NULL, "", NULL, 0, 4294967295L, 0, NULL,
	  "Seed of order = random; unset: chosen at run time and recorded in results.json.",
	  "12345" },
	{ "scenario", "reps_per_boot", ST_INT, "1", "", NULL, 0, 1000, 0, NULL,
	  "When variants need different boots (they set machine.*, xen.cmdline or dom0.*): "
	  "repetitions of each variant per boot. 0: all in one boot per configuration "
	  "(fewest boots, but boot-to-boot noise then follows the variant).",
	  "2" },
	{ "scenario", "timeout", ST_DURATION, "5m", "s", NULL, 1000, 86400000, 0, NULL,
	  "Limit for one repetition; past it the run is TIMEOUT.", "120s" },
	{ "scenario", "quick_runtime", ST_DURATION, "3s", "s", NULL, 1000, 3600000, 0, NULL,
	  "Workload runtime under --quick (which also drops ramp_time).", "2s" },
	{ "scenario", "tags", ST_LIST, "", "", NULL, 0, 0, 0, NULL,
	  "Labels to select scenarios by (e.g. in CI).", "blk, nightly" },

	{ "machine", "vcpus", ST_INT, "2", "", NULL, 1, 64, 0, NULL,
	  "CPUs of the emulated machine (QEMU -smp).", "4" },
	{ "machine", "memory", ST_INT, "6144", "MiB", NULL, 1024, 1048576, 0, NULL,
	  "RAM of the emulated machine (QEMU -m).", "8192" },
	{ "machine", "dom0_mem", ST_INT, "2048", "MiB", NULL, 256, 1048576, 0, NULL,
	  "dom0 memory (Xen dom0_mem=<N>M,max:<N>M).", "3072" },
	{ "machine", "dom0_vcpus", ST_INT, NULL, "", NULL, 1, 64, 0, NULL,
	  "dom0 vCPUs (Xen dom0_max_vcpus=); unset: Xen's default, one per CPU.", "1" },
	{ "machine", "xen_cmdline_extra", ST_STRING, "", "", NULL, 0, 0, 0, NULL,
	  "Words added to Xen's command line.", "sched=credit2" },
	{ "machine", "dom0_cmdline_extra", ST_STRING, "", "", NULL, 0, 0, 0, NULL,
	  "Words added to dom0 Linux's command line.", "loglevel=7" },

	{ "guest", "type", ST_ENUM, "pv", "", "pv|pvh", 0, 0, 0, NULL,
	  "domU type (xl type=); pvh needs hardware-assisted paging (QEMU -cpu ...,+npt).",
	  "pvh" },
	{ "guest", "vcpus", ST_INT, "2", "", NULL, 1, 64, 0, NULL, "domU vCPUs (xl vcpus=).",
	  "4" },
	{ "guest", "memory", ST_INT, "1024", "MiB", NULL, 64, 1048576, 0, NULL,
	  "domU memory (xl memory=).", "512" },
	{ "guest", "cmdline_extra", ST_STRING, "", "", NULL, 0, 0, 0, NULL,
	  "Words added to the domU kernel command line (xl extra=).", "loglevel=7" },
	{ "guest", "disk", ST_ENUM, "brd", "", "brd|null_blk|file", 0, 0, 0, NULL,
	  "What backs the domU's xvda in dom0 (all in dom0 RAM): a brd ram disk, null_blk "
	  "(memory_backed=1) or a file (loop device).",
	  "null_blk" },
	{ "guest", "disk_size", ST_INT, "256", "MiB", NULL, 1, 65536, 0, NULL, "Size of xvda.",
	  "512" },
};

static const char *const fixed_sections[] = { "scenario", "machine", "guest", "workload" };

/* Workloads and their [workload] key tables (workloads/<name>/). */
static const struct {
	const char *name;
	const struct scenario_key *keys;
	const size_t *n;
} workloads[] = {
	{ "fio", fio_keys, &fio_n_keys },
};

/* Module parameters a variant may set. Sources: Linux 6.1 drivers (xen-facts B). */
static const struct module_param params[] = {
	{ "xen_blkfront", "max_queues", DOM_DOMU, ST_INT, 1, 64, "4",
	  "blkfront rings wanted; min(this, vCPUs, backend max) [xen-blkfront.c:143, 1903]" },
	{ "xen_blkfront", "max_indirect_segments", DOM_DOMU, ST_INT, 0, 1024, "32",
	  "segments per indirect request, min(this, backend's) [xen-blkfront.c:138]" },
	{ "xen_blkfront", "max_ring_page_order", DOM_DOMU, ST_INT, 0, 4, "0",
	  "ring size 2^order pages, min(this, backend's) [xen-blkfront.c:151, 1786]" },
	{ "xen_blkfront", "feature_persistent", DOM_DOMU, ST_BOOL, 0, 1, "Y",
	  "offer persistent grants [xen-blkfront.c:1763]" },
	{ "xen_blkfront", "trusted", DOM_DOMU, ST_BOOL, 0, 1, "Y",
	  "N: bounce buffers, backend treated as untrusted [xen-blkfront.c:155]" },
	{ "xen_blkback", "max_queues", DOM_DOM0, ST_INT, 0, 64, "0",
	  "multi-queue-max-queues advertised; 0: dom0's online CPUs [blkback.c:102]" },
	{ "xen_blkback", "max_ring_page_order", DOM_DOM0, ST_INT, 0, 4, "4",
	  "max-ring-page-order advertised [blkback.c:112]" },
	{ "xen_blkback", "max_buffer_pages", DOM_DOM0, ST_INT, 0, 1048576, "1024",
	  "pages kept in blkback's pool [blkback.c:65]" },
	{ "xen_blkback", "max_persistent_grants", DOM_DOM0, ST_INT, 0, 1048576, "1056",
	  "persistent grants kept per ring [blkback.c:78]" },
	{ "xen_blkback", "persistent_grant_unused_seconds", DOM_DOM0, ST_INT, 0, 86400, "60",
	  "unused persistent grants are dropped after this [blkback.c:88]" },
	{ "xen_blkback", "log_stats", DOM_DOM0, ST_BOOL, 0, 1, "N",
	  "log per-ring request counters [blkback.c:131]" },
	{ "xen_blkback", "feature_persistent", DOM_DOM0, ST_BOOL, 0, 1, "Y",
	  "offer persistent grants [xen-blkback/xenbus.c:161]" },
	{ "xen_netfront", "max_queues", DOM_DOMU, ST_INT, 0, 64, "0",
	  "netfront queues; 0: min(8, CPUs) [xen-netfront.c:63]" },
	{ "xen_netback", "max_queues", DOM_DOM0, ST_INT, 0, 64, "0",
	  "multi-queue-max-queues advertised; default min(8, CPUs) [netback.c:70]" },
	{ "xen_netback", "separate_tx_rx_irq", DOM_DOM0, ST_BOOL, 0, 1, "Y",
	  "offer split event channels [netback.c:55]" },
	{ "xen", "fifo_events", DOM_DOM0, ST_BOOL, 0, 1, "Y",
	  "N: 2-level event channel ABI [events_base.c:72]" },
	{ "xen", "fifo_events", DOM_DOMU, ST_BOOL, 0, 1, "Y",
	  "N: 2-level event channel ABI [events_base.c:72]" },
};

/* Evidence names for expect.<name>: what a runner reads to prove a variant took
 * effect. 51712 = xvda (202 << 8) [xen-vbd-interface.7]. */
static const struct evidence_name evidence[] = {
	{ "mq_queues", DOM_DOMU, EV_COUNT, "/sys/block/xvda/mq/*", true,
	  "blk-mq hardware queues of xvda in the domU, one per blkfront ring "
	  "[block/blk-mq-sysfs.c:193]" },
	{ "blkback_queues", DOM_DOM0, EV_DMESG,
	  "xen-blkback: backend/vbd/{domid}/51712: using ([0-9]+) queues", true,
	  "rings blkback connected, from dom0's kernel log [xen-blkback/xenbus.c:1113]" },
	{ "frontend.<key>", DOM_DOM0, EV_XENSTORE, "/local/domain/{domid}/device/vbd/51712/{key}",
	  false,
	  "blkfront's xenstore key, e.g. multi-queue-num-queues, ring-page-order, "
	  "feature-persistent, queue-0/ring-ref [blkif.h]" },
	{ "backend.<key>", DOM_DOM0, EV_XENSTORE,
	  "/local/domain/0/backend/vbd/{domid}/51712/{key}", false,
	  "blkback's xenstore key, e.g. multi-queue-max-queues, max-ring-page-order, "
	  "feature-max-indirect-segments, feature-persistent [blkif.h]" },
	{ "domU_param.<module>.<param>", DOM_DOMU, EV_FILE, "/sys/module/{module}/parameters/{param}",
	  false, "a module parameter as the domU kernel holds it (bools read Y or N)" },
	{ "dom0_param.<module>.<param>", DOM_DOM0, EV_FILE, "/sys/module/{module}/parameters/{param}",
	  false, "a module parameter as the dom0 kernel holds it (bools read Y or N)" },
	{ "queue.<attr>", DOM_DOMU, EV_FILE, "/sys/block/xvda/queue/{key}", false,
	  "a block queue attribute of xvda in the domU, e.g. max_segments, max_hw_sectors_kb" },
};

/* ---- value syntax ---- */

struct unit_suffix {
	const char *suffix;
	long mult;
};
static const struct unit_suffix size_units[] = {
	{ "", 1 }, { "k", 1L << 10 }, { "M", 1L << 20 }, { "G", 1L << 30 }, { "T", 1L << 40 },
};
static const struct unit_suffix time_units[] = {
	{ "", 1000 }, { "ms", 1 }, { "s", 1000 }, { "m", 60000 }, { "h", 3600000 },
};
static const struct {
	const char *word;
	bool value;
} bool_words[] = {
	{ "true", true }, { "yes", true }, { "on", true }, { "1", true },
	{ "false", false }, { "no", false }, { "off", false }, { "0", false },
};

static int parse_units(const char *s, const struct unit_suffix *u, size_t n, long *out)
{
	long v = 0;

	if (!isdigit((unsigned char)*s))
		return -EINVAL;
	for (; isdigit((unsigned char)*s); s++) {
		if (v > (LONG_MAX - 9) / 10)
			return -EINVAL;
		v = v * 10 + (*s - '0');
	}
	for (size_t i = 0; i < n; i++) {
		if (strcasecmp(s, u[i].suffix))
			continue;
		if (v > LONG_MAX / u[i].mult)
			return -EINVAL;
		*out = v * u[i].mult;
		return 0;
	}
	return -EINVAL;
}

static int parse_bool(const char *s, bool *out)
{
	for (size_t i = 0; i < ARRAY_SIZE(bool_words); i++)
		if (!strcasecmp(s, bool_words[i].word)) {
			*out = bool_words[i].value;
			return 0;
		}
	return -EINVAL;
}

int scenario_parse_long(enum scenario_type type, const char *s, long *out)
{
	bool b;

	if (type == ST_INT)
		return parse_long(s, 0, LONG_MAX, out);
	if (type == ST_SIZE)
		return parse_units(s, size_units, ARRAY_SIZE(size_units), out);
	if (type == ST_DURATION)
		return parse_units(s, time_units, ARRAY_SIZE(time_units), out);
	if (type == ST_BOOL && !parse_bool(s, &b)) {
		*out = b;
		return 0;
	}
	return -EINVAL;
}

static bool is_name_char(char c)
{
	return isalnum((unsigned char)c) || c == '.' || c == '_' || c == '-';
}

static bool is_name(const char *s, size_t max)
{
	size_t n = strlen(s);

	if (!n || n > max)
		return false;
	for (; *s; s++)
		if (!is_name_char(*s))
			return false;
	return true;
}

static bool has_ctrl(const char *s)
{
	for (; *s; s++)
		if (iscntrl((unsigned char)*s))
			return true;
	return false;
}

/* Is `word` one of the '|'-separated words of `list`? */
static bool word_in(const char *list, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = list; p; p = strchr(p, '|'), p = p ? p + 1 : NULL)
		if (!strncmp(p, word, n) && (p[n] == '|' || !p[n]) && n)
			return true;
	return false;
}

static bool list_ok(const char *s)
{
	char item[NAME_LEN_MAX + 1];

	while (*s) {
		size_t n;

		s += strspn(s, " \t");
		n = strcspn(s, ",");
		while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
			n--;
		if (!n || n > NAME_LEN_MAX)
			return false;
		memcpy(item, s, n);
		item[n] = '\0';
		if (!is_name(item, NAME_LEN_MAX))
			return false;
		s += strcspn(s, ",");
		if (*s == ',' && !*++s)
			return false;
	}
	return true;
}

static bool string_ok(const struct scenario_key *k, const char *v)
{
	return !(k->flags & SK_NAME) || is_name(v, NAME_LEN_MAX);
}

static bool enum_ok(const struct scenario_key *k, const char *v)
{
	return word_in(k->allowed, v);
}

static bool list_key_ok(const struct scenario_key *k, const char *v)
{
	(void)k;
	return list_ok(v);
}

static bool bool_ok(const struct scenario_key *k, const char *v)
{
	bool b;

	(void)k;
	return !parse_bool(v, &b);
}

static bool number_ok(const struct scenario_key *k, const char *v)
{
	long n;

	if (scenario_parse_long(k->type, v, &n) || n < k->min || n > k->max)
		return false;
	return !(k->flags & SK_SECTORS) || n % 512 == 0;
}

static const struct {
	const char *name;
	bool (*ok)(const struct scenario_key *k, const char *v);
} types[] = {
	[ST_STRING] = { "string", string_ok },	  [ST_INT] = { "int", number_ok },
	[ST_SIZE] = { "size", number_ok },	  [ST_BOOL] = { "bool", bool_ok },
	[ST_ENUM] = { "enum", enum_ok },	  [ST_LIST] = { "list", list_key_ok },
	[ST_DURATION] = { "duration", number_ok },
};

const char *scenario_type_name(enum scenario_type t)
{
	return (size_t)t < ARRAY_SIZE(types) ? types[t].name : "?";
}

static bool key_value_ok(const struct scenario_key *k, const char *v)
{
	return !has_ctrl(v) && types[k->type].ok(k, v);
}

/* Shortest exact form: 65536 -> "64k", 600000 ms -> "10m". */
static void fmt_units(struct sbuf *out, long v, const struct unit_suffix *u, size_t n, bool ms)
{
	size_t best = ms ? 1 : 0;

	for (size_t i = 1; i < n; i++)
		if (v && v % u[i].mult == 0 && u[i].mult >= u[best].mult)
			best = i;
	if (!ms && best == 0)
		sb_printf(out, "%ld", v);
	else
		sb_printf(out, "%ld%s", v / u[best].mult, u[best].suffix);
}

static void fmt_range(struct sbuf *out, const struct scenario_key *k, const struct unit_suffix *u,
		      size_t n)
{
	bool ms = u == time_units;

	fmt_units(out, k->min, u, n, ms);
	sb_puts(out, " to ");
	fmt_units(out, k->max, u, n, ms);
}

int scenario_key_expected(const struct scenario_key *k, struct sbuf *out)
{
	size_t start = out->len;

	if (k->type == ST_STRING && (k->flags & SK_NAME))
		sb_puts(out, "a name of 1-32 characters from A-Z a-z 0-9 . _ -");
	else if (k->type == ST_STRING)
		sb_puts(out, "text without control characters");
	else if (k->type == ST_ENUM) {
		sb_puts(out, "one of ");
		for (const char *p = k->allowed; *p; p++)
			sb_append(out, *p == '|' ? ", " : p, *p == '|' ? 2 : 1);
	}
	else if (k->type == ST_LIST)
		sb_puts(out, "comma-separated names");
	else if (k->type == ST_BOOL)
		sb_puts(out, "true or false");
	else if (k->type == ST_INT)
		sb_printf(out, "an integer from %ld to %ld", k->min, k->max);
	if (k->type == ST_SIZE) {
		sb_puts(out, "a size from ");
		fmt_range(out, k, size_units, ARRAY_SIZE(size_units));
		if (k->flags & SK_SECTORS)
			sb_puts(out, ", a multiple of 512");
	} else if (k->type == ST_DURATION) {
		sb_puts(out, "a duration from ");
		fmt_range(out, k, time_units, ARRAY_SIZE(time_units));
	}
	return out->len > start || !out->buf ? 0 : -ENOMEM;
}

/* ---- did you mean ---- */

static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), prev[65], cur[65];

	if (la > 64 || lb > 64)
		return SIZE_MAX;
	for (size_t j = 0; j <= lb; j++)
		prev[j] = j;
	for (size_t i = 1; i <= la; i++) {
		cur[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
			size_t del = prev[j] + 1, ins = cur[j - 1] + 1;

			cur[j] = sub < del ? sub : del;
			cur[j] = cur[j] < ins ? cur[j] : ins;
		}
		memcpy(prev, cur, (lb + 1) * sizeof(*prev));
	}
	return prev[lb];
}

struct suggest {
	const char *word, *best;
	size_t dist;
	const char *prefix; /* printed around the candidate: "machine." + best + suffix */
	int prefix_len;
	const char *suffix;
	char hint[160];
};

/* Distances are doubled so that a difference only in case counts 1, less than any
 * edit: "domu" is closer to "domU" than to "dom0". */
static void suggest_try(struct suggest *s, const char *cand)
{
	size_t d = strcasecmp(s->word, cand) ? 2 * edit_distance(s->word, cand) : 1;

	if (d < s->dist) {
		s->dist = d;
		s->best = cand;
	}
}

/* " (did you mean 'x'?)" when a candidate is close, else "". */
static const char *suggest_hint(struct suggest *s)
{
	s->hint[0] = '\0';
	if (s->best && s->dist && s->dist <= 4 && s->dist * 3 <= 2 * strlen(s->word))
		snprintf(s->hint, sizeof(s->hint), " (did you mean '%.*s%s%s'?)", s->prefix_len,
			 s->prefix ? s->prefix : "", s->best, s->suffix ? s->suffix : "");
	return s->hint;
}

/* ---- lookups ---- */

size_t scenario_n_keys(void)
{
	size_t n = ARRAY_SIZE(keys);

	for (size_t i = 0; i < ARRAY_SIZE(workloads); i++)
		n += *workloads[i].n;
	return n;
}

const struct scenario_key *scenario_key_at(size_t i)
{
	if (i < ARRAY_SIZE(keys))
		return &keys[i];
	i -= ARRAY_SIZE(keys);
	for (size_t w = 0; w < ARRAY_SIZE(workloads); w++) {
		if (i < *workloads[w].n)
			return &workloads[w].keys[i];
		i -= *workloads[w].n;
	}
	return NULL;
}

/* Index of a fixed key (for scenario.value/line), -1 if unknown. */
static long key_index(const char *section, const char *name)
{
	const struct scenario_key *k;

	for (size_t i = 0; (k = scenario_key_at(i)); i++)
		if (!strcmp(k->section, section) && !strcmp(k->name, name))
			return i;
	return -1;
}

const struct scenario_key *scenario_key_find(const char *section, const char *name)
{
	long i = key_index(section, name);

	return i < 0 ? NULL : scenario_key_at(i);
}

const char *scenario_workload_at(size_t i)
{
	return i < ARRAY_SIZE(workloads) ? workloads[i].name : NULL;
}

static const struct module_param *param_find(const char *module, const char *param,
					      enum scenario_domain where)
{
	for (size_t i = 0; i < ARRAY_SIZE(params); i++)
		if (!strcmp(params[i].module, module) && !strcmp(params[i].param, param) &&
		    params[i].where == where)
			return &params[i];
	return NULL;
}

/* Length of a pattern's fixed part: "frontend.<key>" -> 9; exact patterns: strlen. */
static size_t pattern_prefix(const char *pattern)
{
	const char *lt = strchr(pattern, '<');

	return lt ? (size_t)(lt - pattern) : strlen(pattern);
}

/* Does name match pattern? *rest gets the part after the fixed prefix. */
static bool pattern_match(const char *pattern, const char *name, const char **rest)
{
	size_t n = pattern_prefix(pattern);

	if (!pattern[n])
		return !strcmp(pattern, name) && (*rest = name + n);
	return !strncmp(pattern, name, n) && name[n] && (*rest = name + n);
}

/* "<module>.<param>" with lower-case identifiers: splits into module/param. */
static bool split_param(const char *s, char *module, char *param, size_t len)
{
	const char *dot = strchr(s, '.');

	if (!dot || dot == s || !dot[1] || strchr(dot + 1, '.') || (size_t)(dot - s) >= len ||
	    strlen(dot + 1) >= len)
		return false;
	memcpy(module, s, dot - s);
	module[dot - s] = '\0';
	strcpy(param, dot + 1);
	for (const char *p = s; *p; p++)
		if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p) && *p != '_' &&
		    *p != '.')
			return false;
	return true;
}

/* A xenstore path below the device: segments of [A-Za-z0-9_-] separated by '/'. */
static bool xs_key_ok(const char *s)
{
	size_t seg = 0, n = 0;

	for (; *s; s++, n++) {
		if (*s == '/' && !seg)
			return false;
		if (*s != '/' && !isalnum((unsigned char)*s) && *s != '_' && *s != '-')
			return false;
		seg = *s == '/' ? 0 : seg + 1;
	}
	return seg && n <= 64;
}

static bool attr_ok(const char *s)
{
	size_t n = strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_");

	return n && !s[n] && n <= 64;
}

/* Finds the evidence row for name and checks its variable part. */
const struct evidence_name *scenario_evidence_find(const char *name, const char **rest)
{
	char m[64], p[64];

	for (size_t i = 0; i < ARRAY_SIZE(evidence); i++) {
		const char *pat = evidence[i].pattern;

		if (!pattern_match(pat, name, rest))
			continue;
		if (strstr(pat, "<module>"))
			return split_param(*rest, m, p, sizeof(m)) &&
					       param_find(m, p, evidence[i].where)
				       ? &evidence[i]
				       : NULL;
		if (strstr(pat, "<key>"))
			return xs_key_ok(*rest) ? &evidence[i] : NULL;
		if (strstr(pat, "<attr>"))
			return attr_ok(*rest) ? &evidence[i] : NULL;
		return &evidence[i];
	}
	return NULL;
}

/* ---- the [variant NAME] keys ---- */

static const struct variant_key vkeys[] = {
	{ "baseline", SCOPE_RUN,
	  "true: the variant the others are compared with. Exactly one; default: the first.",
	  "baseline = true" },
	{ "expect.<name>", SCOPE_RUN,
	  "Evidence that must hold or the run is INVALID: an exact value (integers compare "
	  "numerically) or absent. Names: see Evidence.",
	  "expect.mq_queues = 2" },
	{ "xen.cmdline", SCOPE_BOOT, "Words added to Xen's command line.",
	  "xen.cmdline = sched=credit2" },
	{ "dom0.cmdline", SCOPE_BOOT, "Words added to dom0's kernel command line.",
	  "dom0.cmdline = xen.fifo_events=0" },
	{ "domU.cmdline", SCOPE_GUEST, "Words added to the domU kernel command line.",
	  "domU.cmdline = loglevel=7" },
	{ "dom0.<module>.<param>", SCOPE_BOOT,
	  "dom0 module parameter, as <module>.<param>=<value> on dom0's command line; see "
	  "Module parameters.",
	  "dom0.xen_blkback.max_queues = 1" },
	{ "domU.<module>.<param>", SCOPE_GUEST,
	  "domU module parameter, as <module>.<param>=<value> on the domU command line; see "
	  "Module parameters.",
	  "domU.xen_blkfront.max_queues = 2" },
	{ "xl.<key>", SCOPE_GUEST,
	  "Line '<key> = <value>' added to the domU's xl config; the value is xl syntax (quote "
	  "strings). Keys pvbench sets itself (name, kernel, ramdisk, extra, memory, vcpus, "
	  "type, disk, ...) are refused: use guest.* or domU.cmdline.",
	  "xl.max_grant_frames = 64" },
	{ "machine.<key>", SCOPE_BOOT, "Overrides a [machine] key for this variant.",
	  "machine.dom0_vcpus = 1" },
	{ "guest.<key>", SCOPE_GUEST, "Overrides a [guest] key for this variant.",
	  "guest.vcpus = 4" },
	{ "workload.<key>", SCOPE_RUN, "Overrides a [workload] key for this variant.",
	  "workload.iodepth = 1" },
};

static const struct {
	const char *key, *instead;
} xl_reserved[] = {
	{ "name", NULL },	       { "kernel", NULL },	       { "ramdisk", NULL },
	{ "extra", "domU.cmdline" },   { "cmdline", "domU.cmdline" }, { "root", "domU.cmdline" },
	{ "memory", "guest.memory" },  { "maxmem", "guest.memory" },  { "vcpus", "guest.vcpus" },
	{ "maxvcpus", "guest.vcpus" }, { "type", "guest.type" },      { "builder", "guest.type" },
	{ "disk", "guest.disk" },
};

/* ---- loading ---- */

struct section {
	char *name; /* "workload", "variant 1q" */
	int line;
	int fixed;  /* index into fixed_sections, -1: a variant */
	size_t variant;
};

struct entry {
	size_t sect;
	char *key, *value;
	int line;
};

struct loader {
	const char *path;
	struct scenario *sc;
	struct sbuf msg;
	int err_line; /* 0: no error yet; INT_MAX: an error without a line */
	bool nomem;
	int line;     /* the line the reader handed to inih last */
	long cur;     /* current section, -1: none yet */
	struct section *sects;
	size_t n_sects;
	struct entry *ents;
	size_t n_ents;
	const char *workload;
};

/* What a key check looks at: entry e of section s (variant v), key part `rest`. */
struct ctx {
	struct loader *ld;
	const struct entry *e;
	const struct section *s;
	struct variant *v;
	const struct variant_key *vk;
	const char *rest;
};

static int fail(struct loader *ld, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Records the first error as "path:line: message"; always returns -EINVAL. */
static int fail(struct loader *ld, int line, const char *fmt, ...)
{
	char msg[768];
	va_list ap;

	if (ld->err_line)
		return -EINVAL;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (line > 0)
		sb_printf(&ld->msg, "%s:%d: %s", ld->path, line, msg);
	else
		sb_printf(&ld->msg, "%s: %s", ld->path, msg);
	ld->err_line = line > 0 ? line : INT_MAX;
	return -EINVAL;
}

static int nomem(struct loader *ld)
{
	ld->nomem = true;
	return fail(ld, 0, "out of memory");
}

static int fixed_index(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(fixed_sections); i++)
		if (!strcmp(fixed_sections[i], name))
			return i;
	return -1;
}

static int add_variant(struct loader *ld, const char *name, int line)
{
	struct scenario *sc = ld->sc;
	struct variant *v;

	if (sc->n_variants >= SCENARIO_MAX_VARIANTS)
		return fail(ld, line, "too many variants (max %d)", SCENARIO_MAX_VARIANTS);
	v = realloc(sc->variants, (sc->n_variants + 1) * sizeof(*v));
	if (!v)
		return nomem(ld);
	sc->variants = v;
	v += sc->n_variants;
	memset(v, 0, sizeof(*v));
	v->line = line;
	v->name = strdup(name);
	if (!v->name)
		return nomem(ld);
	sc->n_variants++;
	return 0;
}

static int unknown_section(struct loader *ld, const char *name, int line)
{
	struct suggest sg = { .word = name, .dist = SIZE_MAX };

	for (size_t i = 0; i < ARRAY_SIZE(fixed_sections); i++)
		suggest_try(&sg, fixed_sections[i]);
	return fail(ld, line, "unknown section '[%s]'%s", name, suggest_hint(&sg));
}

/* Turns a section name into its canonical form ("variant  a" -> "variant a"). */
static int canonical_section(struct loader *ld, const char *name, int line, char *out, size_t len)
{
	const char *vname = name + 7;

	if (fixed_index(name) >= 0) {
		snprintf(out, len, "%s", name);
		return 0;
	}
	if (strncmp(name, "variant", 7) || (*vname && *vname != ' ' && *vname != '\t'))
		return unknown_section(ld, name, line);
	vname += strspn(vname, " \t");
	if (!*vname)
		return fail(ld, line, "variant section needs a name: [variant NAME]");
	if (!is_name(vname, NAME_LEN_MAX))
		return fail(ld, line,
			    "invalid variant name '%s' (expected 1-32 characters from A-Z a-z 0-9 . _ -)",
			    vname);
	snprintf(out, len, "variant %s", vname);
	return 0;
}

static int add_section(struct loader *ld, const char *name, int line)
{
	struct section *s;
	char canon[64];

	if (canonical_section(ld, name, line, canon, sizeof(canon)))
		return -EINVAL;
	for (size_t i = 0; i < ld->n_sects; i++)
		if (!strcmp(ld->sects[i].name, canon))
			return fail(ld, line, "duplicate section '[%s]' (first on line %d)", canon,
				    ld->sects[i].line);
	s = realloc(ld->sects, (ld->n_sects + 1) * sizeof(*s));
	if (!s)
		return nomem(ld);
	ld->sects = s;
	s += ld->n_sects;
	*s = (struct section){ .line = line, .fixed = fixed_index(canon) };
	s->name = strdup(canon);
	if (!s->name)
		return nomem(ld);
	s->variant = ld->sc->n_variants;
	if (s->fixed < 0 && add_variant(ld, canon + 8, line))
		return -EINVAL;
	ld->cur = ld->n_sects++;
	return 0;
}

/* A line starting with '['. Malformed headers are left to inih, which reports them. */
static int begin_section(struct loader *ld, const char *line, int lineno)
{
	const char *end = strchr(line + 1, ']'), *name = line + 1, *after;
	char buf[64];
	size_t n;

	if (!end)
		return 0;
	for (const char *q = name; q < end; q++)
		if (*q == ';' && isspace((unsigned char)q[-1]))
			return 0;
	after = end + 1 + strspn(end + 1, " \t\r\n");
	if (*after && *after != ';' && *after != '#')
		return fail(ld, lineno, "unexpected text after section header");
	name += strspn(name, " \t");
	n = end - name;
	while (n && (name[n - 1] == ' ' || name[n - 1] == '\t'))
		n--;
	if (n >= sizeof(buf))
		return fail(ld, lineno, "section name too long");
	memcpy(buf, name, n);
	buf[n] = '\0';
	return add_section(ld, buf, lineno);
}

/* The same rule as results.json's writer (jansson), which stores the file's text. */
static bool utf8_ok(const char *s, size_t n)
{
	json_t *j = json_stringn(s, n);

	json_decref(j);
	return j != NULL;
}

struct reader {
	const char *p, *end;
	struct loader *ld;
};

/* inih's fgets-like reader: one whole line per call, leading blanks removed (so
 * inih's multi-line continuation never applies), section headers recorded. */
static char *read_line(char *str, int num, void *stream)
{
	struct reader *r = stream;
	const char *nl, *p = r->p;
	size_t n;

	if (p >= r->end || r->ld->err_line)
		return NULL;
	nl = memchr(p, '\n', r->end - p);
	n = nl ? (size_t)(nl - p) + 1 : (size_t)(r->end - p);
	r->p += n;
	r->ld->line++;
	if (memchr(p, '\0', n)) {
		fail(r->ld, r->ld->line, "NUL byte in line");
		return NULL;
	}
	if (!utf8_ok(p, n)) {
		fail(r->ld, r->ld->line, "invalid UTF-8");
		return NULL;
	}
	if (r->ld->line == 1 && n >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3))
		p += 3, n -= 3;
	for (; n && (*p == ' ' || *p == '\t'); n--)
		p++;
	if (n + 1 > (size_t)num) {
		fail(r->ld, r->ld->line, "line too long (max %d characters)", num - 2);
		return NULL;
	}
	memcpy(str, p, n);
	str[n] = '\0';
	if (str[0] == '[' && begin_section(r->ld, str, r->ld->line))
		return NULL;
	return str;
}

static int on_key(void *user, const char *section, const char *name, const char *value)
{
	struct loader *ld = user;
	const char *sect = ld->cur >= 0 ? ld->sects[ld->cur].name : NULL;
	struct entry *e;

	(void)section; /* ld->cur, set by read_line, is the canonical form */
	if (ld->err_line)
		return 0;
	if (!sect)
		return !fail(ld, ld->line, "key '%s' outside any section", name);
	if (!*name)
		return !fail(ld, ld->line, "missing key name before '='");
	if (ld->n_ents >= MAX_ENTRIES)
		return !fail(ld, ld->line, "too many keys (max %d)", MAX_ENTRIES);
	for (size_t i = 0; i < ld->n_ents; i++)
		if (ld->ents[i].sect == (size_t)ld->cur && !strcmp(ld->ents[i].key, name))
			return !fail(ld, ld->line, "duplicate key '%s' in [%s] (first set on line %d)",
				     name, sect, ld->ents[i].line);
	e = realloc(ld->ents, (ld->n_ents + 1) * sizeof(*e));
	if (!e)
		return !nomem(ld);
	ld->ents = e;
	e += ld->n_ents++;
	*e = (struct entry){ .sect = ld->cur, .line = ld->line };
	e->key = strdup(name);
	e->value = strdup(value);
	return e->key && e->value ? 1 : !nomem(ld);
}

/* inih found a line that is neither a section, a key nor a comment. */
static int syntax_error(struct loader *ld, const char *text, size_t len, int line)
{
	const char *p = text, *end = text + len;

	for (int l = 1; l < line && p < end; l++) {
		p = memchr(p, '\n', end - p);
		p = p ? p + 1 : end;
	}
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	sb_reset(&ld->msg);
	ld->err_line = 0;
	if (p < end && *p == '[')
		return fail(ld, line, "invalid section header");
	return fail(ld, line, "expected 'key = value', '[section]' or a comment");
}

static int parse(struct loader *ld, const char *text, size_t len)
{
	struct reader rd = { .p = text, .end = text + len, .ld = ld };
	int rc = ini_parse_stream(read_line, &rd, on_key, ld);

	if (rc > 0 && (!ld->err_line || rc < ld->err_line))
		return syntax_error(ld, text, len, rc);
	if (rc < 0 && !ld->err_line)
		return nomem(ld);
	return ld->err_line ? -EINVAL : 0;
}

/* ---- checking entries ---- */

/* Fixed key `c->rest` of section `section`, or NULL after reporting it unknown. */
static const struct scenario_key *lookup_fixed(struct ctx *c, const char *section)
{
	const struct scenario_key *k = scenario_key_find(section, c->rest);
	const char *wl = c->ld->workload;
	struct suggest sg = { .word = c->rest, .dist = SIZE_MAX, .prefix = c->e->key };

	sg.prefix_len = c->rest - c->e->key;
	if (k && k->workload && strcmp(k->workload, wl)) {
		fail(c->ld, c->e->line, "key '%s' in [%s] belongs to workload '%s', not '%s'",
		     c->e->key, c->s->name, k->workload, wl);
		return NULL;
	}
	if (k)
		return k;
	for (size_t i = 0; (k = scenario_key_at(i)); i++)
		if (!strcmp(k->section, section) && (!k->workload || !strcmp(k->workload, wl)))
			suggest_try(&sg, k->name);
	fail(c->ld, c->e->line, "unknown key '%s' in [%s]%s", c->e->key, c->s->name,
	     suggest_hint(&sg));
	return NULL;
}

static int bad_value(struct ctx *c, const char *expected)
{
	return fail(c->ld, c->e->line, "invalid value '%s' for '%s' in [%s] (expected %s)",
		    c->e->value, c->e->key, c->s->name, expected);
}

static int check_fixed_value(struct ctx *c, const struct scenario_key *k)
{
	struct sbuf exp = { 0 };
	int rc;

	if (key_value_ok(k, c->e->value))
		return 0;
	scenario_key_expected(k, &exp);
	rc = bad_value(c, exp.buf ? exp.buf : "?");
	sb_free(&exp);
	return rc;
}

static int apply_fixed(struct ctx *c)
{
	const struct scenario_key *k = lookup_fixed(c, c->s->name);
	long i = k ? key_index(k->section, k->name) : -1;

	if (!k || check_fixed_value(c, k))
		return -EINVAL;
	c->ld->sc->value[i] = strdup(c->e->value);
	c->ld->sc->line[i] = c->e->line;
	return c->ld->sc->value[i] ? 0 : nomem(c->ld);
}

static int vk_baseline(struct ctx *c)
{
	const struct scenario *sc = c->ld->sc;
	bool b;

	if (parse_bool(c->e->value, &b))
		return bad_value(c, "true or false");
	for (size_t i = 0; b && i < sc->n_variants; i++)
		if (sc->variants[i].baseline)
			return fail(c->ld, c->e->line, "more than one baseline: variants '%s' and '%s'",
				    sc->variants[i].name, c->v->name);
	c->v->baseline = b;
	return 0;
}

static int unknown_evidence(struct ctx *c)
{
	struct suggest sg = { .word = c->rest, .dist = SIZE_MAX };

	for (size_t i = 0; i < ARRAY_SIZE(evidence); i++) {
		const char *pat = evidence[i].pattern;
		size_t n = pattern_prefix(pat);

		if (pat[n] && !strncmp(pat, c->rest, n))
			return fail(c->ld, c->e->line, "invalid evidence name '%s' in [%s] (expected %s%s)",
				    c->rest, c->s->name, pat,
				    strstr(pat, "<module>") ? " of a known parameter" : "");
		if (!pat[n])
			suggest_try(&sg, pat);
	}
	return fail(c->ld, c->e->line, "unknown evidence '%s' in [%s]%s", c->rest, c->s->name,
		    suggest_hint(&sg));
}

static int vk_expect(struct ctx *c)
{
	const char *rest, *val = c->e->value;
	const struct evidence_name *en = scenario_evidence_find(c->rest, &rest);
	long n;

	if (!en)
		return unknown_evidence(c);
	if (!strcmp(val, "absent"))
		return 0;
	if (en->integer && parse_long(val, 0, LONG_MAX, &n))
		return bad_value(c, "an integer or absent");
	return *val ? 0 : bad_value(c, "a value or absent");
}

static int vk_cmdline(struct ctx *c)
{
	(void)c;
	return 0;
}

/* The module exists, but the parameter is unknown or belongs to the other domain. */
static int unknown_param(struct ctx *c, const char *m, const char *p, enum scenario_domain where)
{
	const char *dom = where == DOM_DOM0 ? "domU" : "dom0";
	struct suggest sg = { .word = p, .dist = SIZE_MAX };
	bool module_known = false;

	if (param_find(m, p, where == DOM_DOM0 ? DOM_DOMU : DOM_DOM0))
		return fail(c->ld, c->e->line, "'%s.%s' is a %s parameter (use '%s.%s.%s') in [%s]",
			    m, p, dom, dom, m, p, c->s->name);
	for (size_t i = 0; i < ARRAY_SIZE(params); i++)
		if (!strcmp(params[i].module, m) && params[i].where == where) {
			module_known = true;
			suggest_try(&sg, params[i].param);
		}
	if (module_known)
		return fail(c->ld, c->e->line, "unknown parameter '%s' of module '%s' in [%s]%s", p,
			    m, c->s->name, suggest_hint(&sg));
	sg = (struct suggest){ .word = m, .dist = SIZE_MAX };
	for (size_t i = 0; i < ARRAY_SIZE(params); i++)
		if (params[i].where == where)
			suggest_try(&sg, params[i].module);
	return fail(c->ld, c->e->line, "unknown module '%s' in '%s' in [%s]%s", m, c->e->key,
		    c->s->name, suggest_hint(&sg));
}

/* dom0.<module>.<param> is SCOPE_BOOT, domU.<module>.<param> SCOPE_GUEST. */
static int vk_param(struct ctx *c)
{
	enum scenario_domain where = c->vk->scope == SCOPE_BOOT ? DOM_DOM0 : DOM_DOMU;
	const struct module_param *mp;
	char m[64], p[64], exp[64];
	long n;

	if (!split_param(c->rest, m, p, sizeof(m)))
		return fail(c->ld, c->e->line, "invalid key '%s' in [%s] (expected %s)", c->e->key,
			    c->s->name, c->vk->pattern);
	mp = param_find(m, p, where);
	if (!mp)
		return unknown_param(c, m, p, where);
	if (mp->type == ST_BOOL)
		return strlen(c->e->value) == 1 && strchr("01yYnN", c->e->value[0])
			       ? 0
			       : bad_value(c, "0, 1, Y or N");
	if (!parse_long(c->e->value, mp->min, mp->max, &n))
		return 0;
	snprintf(exp, sizeof(exp), "an integer from %ld to %ld", mp->min, mp->max);
	return bad_value(c, exp);
}

static int vk_xl(struct ctx *c)
{
	const char *k = c->rest;

	if (!islower((unsigned char)*k) || k[strspn(k, "abcdefghijklmnopqrstuvwxyz0123456789_")])
		return fail(c->ld, c->e->line, "invalid xl key '%s' in [%s]", k, c->s->name);
	for (size_t i = 0; i < ARRAY_SIZE(xl_reserved); i++) {
		if (strcmp(xl_reserved[i].key, k))
			continue;
		if (xl_reserved[i].instead)
			return fail(c->ld, c->e->line, "xl key '%s' is set by pvbench (use '%s') in [%s]",
				    k, xl_reserved[i].instead, c->s->name);
		return fail(c->ld, c->e->line, "xl key '%s' is set by pvbench in [%s]", k, c->s->name);
	}
	return *c->e->value ? 0 : bad_value(c, "an xl value");
}

/* machine.<key>, guest.<key>, workload.<key>: the section is the pattern's prefix. */
static int vk_fixed(struct ctx *c)
{
	char section[16];
	const struct scenario_key *k;

	snprintf(section, sizeof(section), "%.*s", (int)pattern_prefix(c->vk->pattern) - 1,
		 c->vk->pattern);
	k = lookup_fixed(c, section);
	return k ? check_fixed_value(c, k) : -EINVAL;
}

static int (*const vk_check[])(struct ctx *c) = {
	vk_baseline, vk_expect, vk_cmdline, vk_cmdline, vk_cmdline, vk_param,
	vk_param,    vk_xl,	vk_fixed,   vk_fixed,	vk_fixed,
};
_Static_assert(ARRAY_SIZE(vk_check) == ARRAY_SIZE(vkeys), "one check per variant key");

static int add_override(struct ctx *c)
{
	struct variant *v = c->v;
	struct variant_override *o = realloc(v->ov, (v->n_ov + 1) * sizeof(*o));

	if (!o)
		return nomem(c->ld);
	v->ov = o;
	o += v->n_ov++;
	*o = (struct variant_override){ .line = c->e->line, .scope = c->vk->scope };
	o->key = strdup(c->e->key);
	o->value = strdup(c->e->value);
	return o->key && o->value ? 0 : nomem(c->ld);
}

static int add_expect(struct ctx *c)
{
	struct variant *v = c->v;
	struct variant_expect *x = realloc(v->ex, (v->n_ex + 1) * sizeof(*x));

	if (!x)
		return nomem(c->ld);
	v->ex = x;
	x += v->n_ex++;
	*x = (struct variant_expect){ .line = c->e->line };
	x->name = strdup(c->rest);
	x->value = strdup(c->e->value);
	return x->name && x->value ? 0 : nomem(c->ld);
}

/* No pattern matched: suggest a namespace ("domu.x" -> "domU.x"). */
static int unknown_variant_key(struct ctx *c)
{
	const char *key = c->e->key, *dot = strchr(key, '.');
	char word[16], cands[ARRAY_SIZE(vkeys)][16];
	struct suggest sg = { .word = word, .dist = SIZE_MAX, .suffix = dot ? dot : "" };

	if (!strncmp(key, "scenario.", 9))
		return fail(c->ld, c->e->line, "[scenario] keys are the same for every variant: '%s' in [%s]",
			    key, c->s->name);
	snprintf(word, sizeof(word), "%.*s", (int)(dot ? dot - key : (long)strlen(key)), key);
	for (size_t i = 0; i < ARRAY_SIZE(vkeys); i++) {
		snprintf(cands[i], sizeof(cands[i]), "%.*s", (int)strcspn(vkeys[i].pattern, ".<"),
			 vkeys[i].pattern);
		suggest_try(&sg, cands[i]);
	}
	return fail(c->ld, c->e->line, "unknown key '%s' in [%s]%s", key, c->s->name,
		    suggest_hint(&sg));
}

static int apply_variant(struct ctx *c)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(vkeys); i++)
		if (pattern_match(vkeys[i].pattern, c->e->key, &c->rest))
			break;
	if (i == ARRAY_SIZE(vkeys))
		return unknown_variant_key(c);
	c->vk = &vkeys[i];
	if (vk_check[i](c))
		return -EINVAL;
	if (vk_check[i] == vk_baseline)
		return 0;
	return vk_check[i] == vk_expect ? add_expect(c) : add_override(c);
}

/* [workload] keys depend on scenario.workload, which may come later in the file. */
static void resolve_workload(struct loader *ld)
{
	for (size_t i = 0; i < ld->n_ents; i++) {
		const struct entry *e = &ld->ents[i];

		if (ld->sects[e->sect].fixed == 0 && !strcmp(e->key, "workload") &&
		    word_in(keys[2].allowed, e->value))
			ld->workload = e->value;
	}
}

static int apply_entries(struct loader *ld)
{
	resolve_workload(ld);
	for (size_t i = 0; i < ld->n_ents; i++) {
		struct ctx c = { .ld = ld, .e = &ld->ents[i], .rest = ld->ents[i].key };
		int rc;

		c.s = &ld->sects[c.e->sect];
		if (has_ctrl(c.e->value))
			return fail(ld, c.e->line, "control character in the value of '%s' in [%s]",
				    c.e->key, c.s->name);
		if (c.s->fixed >= 0) {
			rc = apply_fixed(&c);
		} else {
			c.v = &ld->sc->variants[c.s->variant];
			rc = apply_variant(&c);
		}
		if (rc)
			return rc;
	}
	return 0;
}

/* ---- after the last line ---- */

static long get(const struct loader *ld, const struct variant *v, const char *sect,
		const char *key)
{
	long n = -1;

	scenario_get_long(ld->sc, v, sect, key, &n);
	return n;
}

/* Reports a rule broken in variant v, at the variant's override of one of the
 * involved keys ("section.key", NULL-terminated) if any, else at the last-set key. */
static int rule_fail(struct loader *ld, const struct variant *v, const char *const *involved,
		     const char *msg)
{
	int line = 0;

	for (const char *const *k = involved; *k; k++)
		for (size_t i = 0; i < v->n_ov; i++)
			if (!strcmp(v->ov[i].key, *k))
				return fail(ld, v->ov[i].line, "%s in [variant %s]", msg, v->name);
	for (const char *const *k = involved; *k; k++) {
		const char *dot = strchr(*k, '.');
		char sect[16];
		long i;

		snprintf(sect, sizeof(sect), "%.*s", (int)(dot - *k), *k);
		i = key_index(sect, dot + 1);
		if (i >= 0 && ld->sc->line[i] > line)
			line = ld->sc->line[i];
	}
	return fail(ld, line, "%s", msg);
}

#define RULE(v, cond, ...)                                                                   \
	do {                                                                                 \
		char m_[256];                                                                \
		if (cond)                                                                    \
			break;                                                               \
		snprintf(m_, sizeof(m_), __VA_ARGS__);                                       \
		return rule_fail(ld, v, involved, m_);                                       \
	} while (0)

static int rule_machine(struct loader *ld, const struct variant *v)
{
	static const char *const involved[] = { "machine.dom0_vcpus", "machine.vcpus",
						"machine.dom0_mem", "machine.memory",
						"guest.memory", "guest.disk_size", NULL };
	long d0v = get(ld, v, "machine", "dom0_vcpus"), cpus = get(ld, v, "machine", "vcpus");
	long d0m = get(ld, v, "machine", "dom0_mem"), mem = get(ld, v, "machine", "memory");
	long gm = get(ld, v, "guest", "memory"), disk = get(ld, v, "guest", "disk_size");

	RULE(v, d0v <= cpus, "machine.dom0_vcpus (%ld) exceeds machine.vcpus (%ld)", d0v, cpus);
	RULE(v, d0m + gm + 256 <= mem,
	     "machine.dom0_mem (%ld MiB) + guest.memory (%ld MiB) leave Xen less than 256 MiB of "
	     "machine.memory (%ld MiB)",
	     d0m, gm, mem);
	RULE(v, disk + 512 <= d0m,
	     "guest.disk_size (%ld MiB) leaves less than 512 MiB of machine.dom0_mem (%ld MiB)",
	     disk, d0m);
	return 0;
}

static int rule_workload(struct loader *ld, const struct variant *v)
{
	static const char *const involved[] = { "workload.size", "workload.rwmixread",
						"workload.runtime", "workload.ramp_time",
						"scenario.timeout", "scenario.quick_runtime",
						"guest.disk_size", "workload.rw", NULL };
	long size = get(ld, v, "workload", "size"), disk = get(ld, v, "guest", "disk_size");
	long run = get(ld, v, "workload", "runtime"), ramp = get(ld, v, "workload", "ramp_time");
	long to = get(ld, v, "scenario", "timeout"), quick = get(ld, v, "scenario", "quick_runtime");
	const char *rw = variant_get(ld->sc, v, "workload", "rw");

	RULE(v, size <= (disk << 20), "workload.size (%s) exceeds guest.disk_size (%ld MiB)",
	     variant_get(ld->sc, v, "workload", "size"), disk);
	RULE(v, to > ramp + run && to > quick,
	     "scenario.timeout (%gs) must exceed workload.ramp_time + workload.runtime (%gs) and "
	     "scenario.quick_runtime (%gs)",
	     to / 1e3, (ramp + run) / 1e3, quick / 1e3);
	RULE(v, get(ld, v, "workload", "rwmixread") < 0 || (rw && word_in("rw|readwrite|randrw", rw)),
	     "workload.rwmixread applies only to rw = rw, readwrite or randrw");
	return 0;
}

static const struct {
	const char *doc;
	int (*check)(struct loader *ld, const struct variant *v);
} rules[] = {
	{ "machine.dom0_vcpus must not exceed machine.vcpus.", rule_machine },
	{ "machine.dom0_mem + guest.memory must leave Xen 256 MiB of machine.memory.", NULL },
	{ "guest.disk_size lives in dom0 RAM and must leave 512 MiB of machine.dom0_mem.", NULL },
	{ "workload.size must not exceed guest.disk_size.", rule_workload },
	{ "scenario.timeout must exceed workload.ramp_time + workload.runtime, and "
	  "scenario.quick_runtime.",
	  NULL },
	{ "workload.rwmixread applies only to rw = rw, readwrite or randrw.", NULL },
	{ "Exactly one variant is the baseline: the one with baseline = true, else the first.",
	  NULL },
};

const char *scenario_rule(size_t i)
{
	return i < ARRAY_SIZE(rules) ? rules[i].doc : NULL;
}

static int check_required(struct loader *ld)
{
	const struct scenario_key *k;

	for (size_t i = 0; (k = scenario_key_at(i)); i++) {
		int line = 0;

		if (!(k->flags & SK_REQUIRED) || ld->sc->value[i] ||
		    (k->workload && strcmp(k->workload, ld->workload)))
			continue;
		for (size_t s = 0; s < ld->n_sects; s++)
			if (!strcmp(ld->sects[s].name, k->section))
				line = ld->sects[s].line;
		return fail(ld, line, "missing required key '%s' in [%s]", k->name, k->section);
	}
	return 0;
}

static int finish(struct loader *ld)
{
	struct scenario *sc = ld->sc;

	if (check_required(ld) || (!sc->n_variants && add_variant(ld, "default", 0)))
		return -EINVAL;
	sc->baseline = 0;
	for (size_t i = 0; i < sc->n_variants; i++)
		if (sc->variants[i].baseline)
			sc->baseline = i;
	sc->variants[sc->baseline].baseline = true;
	for (size_t i = 0; i < sc->n_variants; i++)
		for (size_t r = 0; r < ARRAY_SIZE(rules); r++)
			if (rules[r].check && rules[r].check(ld, &sc->variants[i]))
				return -EINVAL;
	return 0;
}

/* ---- loading and freeing ---- */

static void loader_free(struct loader *ld)
{
	for (size_t i = 0; i < ld->n_sects; i++)
		free(ld->sects[i].name);
	for (size_t i = 0; i < ld->n_ents; i++) {
		free(ld->ents[i].key);
		free(ld->ents[i].value);
	}
	free(ld->sects);
	free(ld->ents);
	sb_free(&ld->msg);
}

void scenario_free(struct scenario *sc)
{
	for (size_t i = 0; sc->value && i < scenario_n_keys(); i++)
		free(sc->value[i]);
	for (size_t i = 0; i < sc->n_variants; i++) {
		struct variant *v = &sc->variants[i];

		for (size_t j = 0; j < v->n_ov; j++) {
			free(v->ov[j].key);
			free(v->ov[j].value);
		}
		for (size_t j = 0; j < v->n_ex; j++) {
			free(v->ex[j].name);
			free(v->ex[j].value);
		}
		free(v->ov);
		free(v->ex);
		free(v->name);
	}
	free(sc->variants);
	free(sc->value);
	free(sc->line);
	free(sc->text);
	free(sc->path);
	memset(sc, 0, sizeof(*sc));
}

static int scenario_init(struct scenario *sc, const char *name, const char *text, size_t len)
{
	sc->path = strdup(name);
	sc->text = malloc(len + 1);
	sc->value = calloc(scenario_n_keys(), sizeof(*sc->value));
	sc->line = calloc(scenario_n_keys(), sizeof(*sc->line));
	if (!sc->path || !sc->text || !sc->value || !sc->line)
		return -ENOMEM;
	memcpy(sc->text, text, len);
	sc->text[len] = '\0';
	sc->text_len = len;
	return 0;
}

int scenario_load_text(const char *name, const char *text, size_t len, struct scenario *sc,
		       struct sbuf *err)
{
	struct loader ld = { .path = name, .sc = sc, .cur = -1, .workload = "fio" };
	int rc;

	memset(sc, 0, sizeof(*sc));
	if (len > SCENARIO_MAX_BYTES)
		fail(&ld, 0, "file too large (%zu bytes, max %d)", len, SCENARIO_MAX_BYTES);
	else if (scenario_init(sc, name, text, len))
		nomem(&ld);
	else if (!parse(&ld, text, len) && !apply_entries(&ld))
		finish(&ld);
	rc = ld.nomem ? -ENOMEM : ld.err_line ? -EINVAL : 0;
	if (rc && err)
		sb_puts(err, ld.msg.buf ? ld.msg.buf : "out of memory");
	loader_free(&ld);
	if (rc)
		scenario_free(sc);
	return rc;
}

int scenario_load(const char *path, struct scenario *sc, struct sbuf *err)
{
	size_t len;
	char *text;
	int rc;

	memset(sc, 0, sizeof(*sc));
	text = read_file(path, &len);
	if (!text) {
		rc = errno ? -errno : -EIO;
		if (err)
			sb_printf(err, "cannot read '%s': %s", path, strerror(-rc));
		return rc;
	}
	rc = scenario_load_text(path, text, len, sc, err);
	free(text);
	return rc;
}

/* ---- resolved values ---- */

const char *scenario_get(const struct scenario *sc, const char *section, const char *key)
{
	long i = key_index(section, key);

	if (i < 0)
		return NULL;
	return sc->value && sc->value[i] ? sc->value[i] : scenario_key_at(i)->def;
}

const char *variant_override(const struct variant *v, const char *key)
{
	for (size_t i = 0; i < v->n_ov; i++)
		if (!strcmp(v->ov[i].key, key))
			return v->ov[i].value;
	return NULL;
}

const char *variant_get(const struct scenario *sc, const struct variant *v, const char *section,
			const char *key)
{
	size_t n = strlen(section);

	for (size_t i = 0; v && i < v->n_ov; i++) {
		const char *k = v->ov[i].key;

		if (!strncmp(k, section, n) && k[n] == '.' && !strcmp(k + n + 1, key))
			return v->ov[i].value;
	}
	return scenario_get(sc, section, key);
}

int scenario_get_long(const struct scenario *sc, const struct variant *v, const char *section,
		      const char *key, long *out)
{
	const struct scenario_key *k = scenario_key_find(section, key);
	const char *s = variant_get(sc, v, section, key);

	if (!k || !s)
		return -ENOENT;
	return scenario_parse_long(k->type, s, out);
}

const struct variant *scenario_find_variant(const struct scenario *sc, const char *name)
{
	for (size_t i = 0; i < sc->n_variants; i++)
		if (!strcmp(sc->variants[i].name, name))
			return &sc->variants[i];
	return NULL;
}

bool variant_needs_reboot(const struct variant *v)
{
	for (size_t i = 0; i < v->n_ov; i++)
		if (v->ov[i].scope == SCOPE_BOOT)
			return true;
	return false;
}

/* ---- tables ---- */

const struct variant_key *scenario_variant_keys(size_t *n)
{
	*n = ARRAY_SIZE(vkeys);
	return vkeys;
}

const struct module_param *scenario_module_params(size_t *n)
{
	*n = ARRAY_SIZE(params);
	return params;
}

const struct evidence_name *scenario_evidence_names(size_t *n)
{
	*n = ARRAY_SIZE(evidence);
	return evidence;
}

static const char *const scope_names[] = { "run", "guest", "boot" };
static const char *const domain_names[] = { "xen", "dom0", "domU" };

const char *scenario_scope_name(enum scenario_scope s)
{
	return (size_t)s < ARRAY_SIZE(scope_names) ? scope_names[s] : "?";
}

const char *scenario_domain_name(enum scenario_domain d)
{
	return (size_t)d < ARRAY_SIZE(domain_names) ? domain_names[d] : "?";
}
