/* check_jobs.c: worker processes and their JSON-line records (jobs.c). */
#include "pvbench/jobs.h"
#include "testutil.h"

#include <check.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct seen {
	int n[JOBS_MAX];   /* records per job */
	int last[JOBS_MAX]; /* the last "i" each job sent: order is kept */
	bool in_order;
	size_t big;	   /* length of the longest "text" */
};

static void on_record(int job, json_t *rec, void *arg)
{
	struct seen *s = arg;
	int i = (int)json_integer_value(json_object_get(rec, "i"));
	const char *text = json_string_value(json_object_get(rec, "text"));

	s->in_order &= i == s->last[job] + 1;
	s->last[job] = i;
	s->n[job]++;
	if (text && strlen(text) > s->big)
		s->big = strlen(text);
}

/* Job j sends 50 + j records, one with 200 kB of text (many pipe buffers) and
 * newlines inside the string. */
static int work_ok(int job, int wfd, void *arg)
{
	char *text = malloc(200001);

	(void)arg;
	memset(text, 'x', 200000);
	text[200000] = '\0';
	text[1000] = '\n';
	for (int i = 1; i <= 50 + job; i++) {
		json_t *r = json_pack("{s:i, s:i, s:s}", "job", job, "i", i, "text",
				      i == 7 ? text : "short");

		if (job_send(wfd, r))
			return 1;
		json_decref(r);
	}
	free(text);
	return 0;
}

START_TEST(test_records_merged)
{
	struct seen s = { .in_order = true };

	ck_assert_int_eq(jobs_run(3, work_ok, on_record, &s), 0);
	for (int j = 0; j < 3; j++)
		ck_assert_int_eq(s.n[j], 50 + j);
	ck_assert(s.in_order);
	ck_assert_uint_eq(s.big, 200000);
}
END_TEST

/* Job 1 dies by a signal after two records: those two are kept, it is counted. */
static int work_crash(int job, int wfd, void *arg)
{
	(void)arg;
	for (int i = 1; i <= 5; i++) {
		json_t *r = json_pack("{s:i}", "i", i);

		job_send(wfd, r);
		json_decref(r);
		if (job == 1 && i == 2)
			raise(SIGKILL);
	}
	return job == 2 ? 3 : 0;
}

START_TEST(test_failed_jobs_counted)
{
	struct seen s = { .in_order = true };

	ck_assert_int_eq(jobs_run(3, work_crash, on_record, &s), 2); /* killed, exit 3 */
	ck_assert_int_eq(s.n[0], 5);
	ck_assert_int_eq(s.n[1], 2);
	ck_assert_int_eq(s.n[2], 5);
}
END_TEST

/* A line that is not a JSON object is skipped, the next one still arrives. */
static int work_garbage(int job, int wfd, void *arg)
{
	json_t *r = json_pack("{s:i}", "i", 1);

	(void)job;
	(void)arg;
	if (write(wfd, "not json\n[1]\n", 13) != 13)
		return 1;
	job_send(wfd, r);
	json_decref(r);
	return 0;
}

START_TEST(test_bad_lines_skipped)
{
	struct seen s = { .in_order = true };

	ck_assert_int_eq(jobs_run(1, work_garbage, on_record, &s), 0);
	ck_assert_int_eq(s.n[0], 1);
	ck_assert_int_eq(jobs_run(0, work_ok, on_record, &s), -EINVAL);
	ck_assert_int_eq(jobs_run(JOBS_MAX + 1, work_ok, on_record, &s), -EINVAL);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("jobs");
	TCase *core = tcase_create("core"), *errors = tcase_create("errors");

	tcase_add_test(core, test_records_merged);
	tcase_add_test(errors, test_failed_jobs_counted);
	tcase_add_test(errors, test_bad_lines_skipped);
	suite_add_tcase(s, core);
	suite_add_tcase(s, errors);
	return test_run_suite(s);
}
