/* rampart events: a container's resource usage and OOM kills.
 *   events --stats ID           one line {"type":"stats","id":ID,"data":{...}}
 *   events [--interval 5s] ID   a stats line every interval, and
 *                               {"type":"oom","id":ID} when the kernel
 *                               OOM-kills in the container; ends (status 0)
 *                               when the container stops.
 * The OOM counter is polled a few times a second: cheaper to get right than
 * an eventfd per cgroup version, and quick enough for a log line. */
#include "config-host.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cgroup.h"
#include "cleanup.h"
#include "cli.h"
#include "json.h"
#include "state.h"
#include "utils.h"

#define POLL_MS 200

/* Go-style durations ("5s", "500ms", "1m", "1.5h"); a bare number is seconds. */
static int parse_interval(const char *s, long *ms, rp_err_t *err)
{
	static const struct { const char *unit; double ms; } units[] = {
		{ "ns", 1e-6 }, { "us", 1e-3 }, { "ms", 1 }, { "s", 1e3 }, { "m", 6e4 },
		{ "h", 3.6e6 }, { "", 1e3 },
	};
	char *end;
	double v = strtod(s, &end);

	for (size_t i = 0; end != s && i < ARRAY_SIZE(units); i++) {
		if (strcmp(end, units[i].unit) == 0 && v * units[i].ms >= 1 &&
		    v * units[i].ms < 1e10) {
			*ms = (long)(v * units[i].ms);
			return 0;
		}
	}
	return rp_error(err, EINVAL, "events: invalid --interval \"%s\" (like 5s or 500ms)", s);
}

static int print_line(const char *type, const char *id, const struct rp_cgroup *cg,
		      rp_err_t *err)
{
	json_writer *w = json_writer_new(false);
	const char *buf;
	size_t len;

	json_w_object_begin(w);
	json_w_kv_string(w, "type", type);
	json_w_kv_string(w, "id", id);
	if (cg) {
		json_w_key(w, "data");
		if (rp_cgroup_stats(cg, w, err) < 0) {
			json_writer_free(w);
			return -1;
		}
	}
	json_w_object_end(w);
	buf = json_writer_buf(w, &len);
	if (buf) {
		printf("%s\n", buf);
		fflush(stdout);
	}
	json_writer_free(w);
	return buf ? 0 : rp_error(err, 0, "events: cannot encode the %s event", type);
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static bool still_running(const char *root, const char *id)
{
	struct rp_state st = { 0 };
	rp_err_t err = NULL;
	bool alive = false;

	if (rp_state_load(root, id, &st, &err) == 0) {
		rp_state_refresh(&st, root);
		alive = st.status != RP_STOPPED;
	}
	rp_error_free(&err);
	rp_state_clear(&st);
	return alive;
}

static int stream(const char *root, const char *id, struct rp_cgroup *cg, long interval,
		  rp_err_t *err)
{
	int64_t ooms = rp_cgroup_oom_count(cg);
	long next = now_ms() + interval;

	for (;;) {
		struct timespec ts = { 0, POLL_MS * 1000000L };
		int64_t n;

		bool running;

		nanosleep(&ts, NULL);
		/* Look at the OOM counter before deciding to stop: an OOM kill
		 * is often what stopped the container, and it must be reported. */
		running = still_running(root, id);
		n = rp_cgroup_oom_count(cg);
		if (n > ooms && print_line("oom", id, NULL, err) < 0)
			return -1;
		if (n >= 0)
			ooms = n;
		if (!running)
			return 0;
		if (now_ms() >= next) {
			if (print_line("stats", id, cg, err) < 0)
				return -1;
			next += interval;
		}
	}
}

int cmd_events(struct rp_globals *g, int argc, char **argv)
{
	bool stats = false;
	const char *interval_s = "5s";
	const struct cli_option opts[] = {
		{ "stats", 0, CLI_FLAG, &stats, "print the container's stats once and exit", NULL },
		{ "interval", 0, CLI_STRING, &interval_s, "time between stats lines (default 5s)", "DURATION" },
		{ 0 },
	};
	_cleanup_free_ char **pos = NULL;
	struct rp_state st = { 0 };
	struct rp_cgroup *cg = NULL;
	rp_err_t err = NULL;
	long interval = 0;
	int npos = 0, r = -1;

	if (cli_parse(argc, argv, opts, "events [--stats] [--interval 5s] CONTAINER_ID",
		      "Stream a container's stats and OOM events as JSON lines.", &pos, &npos,
		      &err) < 0)
		return cli_fail(&err);
	if (npos != 1) {
		rp_error(&err, 0, "events: expected one container id, got %d arguments", npos);
		return cli_fail(&err);
	}
	if (parse_interval(interval_s, &interval, &err) < 0 ||
	    rp_cgroup_open_container(g->root, pos[0], &st, &cg, &err) < 0)
		goto out;
	if (st.status == RP_STOPPED) {
		/* the words callers match (client-contract.md) */
		rp_error(&err, 0, "events: container not running (\"%s\" has stopped)", st.id);
		goto out;
	}
	r = stats ? print_line("stats", st.id, cg, &err) : stream(g->root, st.id, cg, interval, &err);
out:
	rp_cgroup_free(cg);
	rp_state_clear(&st);
	return r < 0 ? cli_fail(&err) : 0;
}
