/* report_chart_boot.c: the boot timeline chart of `pvbench report`: one row per boot
 * of every run, the seconds from QEMU start until each stage of its timeline
 * (boots[].timeline), in time order (report_chart.c's table). */
#include "report_chart_int.h"

#include <stdlib.h>
#include <string.h>

#define MAX_STAGES 32 /* stages drawn per boot: the first ones in the timeline */

static int cmp_stage(const void *a, const void *b)
{
	double x = ((const struct pvb_stage *)a)->s, y = ((const struct pvb_stage *)b)->s;

	return (x > y) - (x < y);
}

/* One data block per boot: "seconds row 'stage'" in time order. */
static bool boot_block(struct rbuf *dat, const struct pvb_boot *b, int y)
{
	struct pvb_stage st[MAX_STAGES];
	size_t n = b->nstage < MAX_STAGES ? b->nstage : MAX_STAGES;
	char lab[80];

	if (!n)
		return false;
	memcpy(st, b->stage, n * sizeof(*st));
	qsort(st, n, sizeof(*st), cmp_stage);
	for (size_t i = 0; i < n; i++)
		rb_printf(dat, "%.6g %d \"%s\"\n", st[i].s, y,
			  gp_label(lab, sizeof(lab), st[i].name));
	rb_puts(dat, "\n\n");
	return true;
}

static int boot_blocks(const struct report *r, struct rbuf *dat, struct rbuf *tics)
{
	char lab[80], buf[160];
	int y = 0;

	for (size_t i = 0; i < r->nruns; i++)
		for (size_t k = 0; k < r->runs[i].nboot; k++) {
			const struct pvb_boot *b = &r->runs[i].boot[k];

			if (!boot_block(dat, b, y))
				continue;
			snprintf(buf, sizeof(buf), "%s%sboot %d",
				 r->nruns > 1 ? r->runs[i].label : "", r->nruns > 1 ? " " : "",
				 (int)b->boot);
			rb_printf(tics, "%s'%s' %d", y ? ", " : "", gp_label(lab, sizeof(lab), buf),
				  y);
			y++;
		}
	return y;
}

/* One row per boot with a timeline: when each stage was reached. */
int chart_boot(struct chart_ctx *c)
{
	struct report *r = c->r;
	struct rbuf *gp = c->gp, dat = {0}, tics = {0};
	const char *name = "boot-timeline";
	int rows = boot_blocks(r, &dat, &tics), rc = 0;

	if (rows && !tics.err && !(rc = write_dat(r, name, &dat))) {
		struct chart_axis y;

		report_chart_axis(&y, "", 0, 0);
		gp_begin(gp, name, "Boot timeline: when each stage was reached", &y);
		rb_printf(gp,
			  "set xlabel 'seconds since QEMU start'\nset ytics (%s)\n"
			  "set yrange [-0.7:%d.9]\nset xrange [0:*]\nunset key\nplot ",
			  tics.sb.buf, rows - 1);
		for (int y = 0; y < rows; y++)
			rb_printf(gp,
				  "%s'%s.dat' index %d using 1:2 with linespoints pt 7 lw 2 lc rgb "
				  "'%s', '' index %d using 1:2:3 with labels rotate by 35 left "
				  "offset 0.3,0.5 font ',8'",
				  y ? ", " : "", name, y, gp_colors[y % ARRAY_SIZE(gp_colors)], y);
		rb_puts(gp, "\n");
		gp_end(gp, name);
		rc = add_chart(c, name,
			       "Boot timeline: seconds from QEMU start until each stage, per boot");
	}
	sb_free(&dat.sb);
	sb_free(&tics.sb);
	return rc;
}
