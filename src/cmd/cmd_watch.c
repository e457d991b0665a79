/* tcpdoc watch: the state counts, rates, groups and findings, live on a
 * curses screen, or one line per refresh on a pipe. The data comes from the
 * same walk as `states` (gather.c); the screen from tui/view.c. */
#include <errno.h>
#include <getopt.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "cmd/gather.h"
#include "cmd/options.h"
#include "cmd/select.h"
#include "render/fmt.h"
#include "render/owner.h"
#include "source/netns.h"
#include "source/procmap.h"
#include "tui/batch.h"
#include "tui/curses.h"
#include "tui/model.h"
#include "tui/view.h"
#include "util/num.h"

const char cmd_watch_usage[] =
    "usage: tcpdoc watch [-d SECONDS] [-n N] [--batch] [-b KEY] [-s STATES] [--port P] "
    "[--sport P] [--dport P] [--host A[/LEN]] [--src A[/LEN]] [--dst A[/LEN]] [-4|-6] "
    "[-N NETNS] [--source auto|netlink|proc | --procfs DIR | --diag-file FILE] "
    "[--color WHEN] [-o table|json | --json] [--threshold ID=N] [--config FILE] "
    "[--no-findings]";

void cmd_watch_help(FILE *fp)
{
	fputs("usage: tcpdoc watch [OPTIONS]\n"
	      "\n"
	      "The state counts, live: top-style on a terminal, with the change since the\n"
	      "last refresh, a history of the last 60 refreshes, rates per second from the\n"
	      "kernel's counters, the largest groups and the findings; one line per refresh\n"
	      "on a pipe (--batch).\n"
	      "\n"
	      "Refresh:\n"
	      "  -d, --interval SECONDS  between refreshes (default 1, at least 0.1)\n"
	      "  -n, --iterations N      stop after N refreshes\n"
	      "      --batch             one line per refresh and one per finding that\n"
	      "                          appears, changes or clears (automatic when standard\n"
	      "                          output is not a terminal); with -o json one JSON\n"
	      "                          object per refresh (JSON Lines)\n"
	      "  -b, --by KEY            group by lport (default), peer, process or user\n"
	      "\n"
	      "Selection, source and findings: as for `tcpdoc states` (-s, --port, --sport,\n"
	      "--dport, --host, --src, --dst, -4, -6, -N, --source, --procfs, --diag-file,\n"
	      "--threshold, --config, --no-findings); see tcpdoc help states.\n"
	      "\n"
	      "Output:\n"
	      "  -o, --format FMT        table (default) or json (batch mode)\n"
	      "      --json              the same as -o json\n"
	      "      --color WHEN        auto (default; off when NO_COLOR is set), always,\n"
	      "                          never\n"
	      "  -h, --help              this help\n"
	      "  -V, --version           the version\n"
	      "\n"
	      "Keys on the screen:\n"
	      "  q quit   space or p pause   + - interval   f filter (as the options, or\n"
	      "  words: close-wait 8080 10.0.0.0/8)   g group by   s sort   r reverse\n"
	      "  arrows PgUp PgDn Home End Tab move   Enter explain   Esc back   ? help\n"
	      "\n"
	      "Examples:\n"
	      "  tcpdoc watch                          the live screen\n"
	      "  tcpdoc watch -s close-wait -b process who is not closing\n"
	      "  tcpdoc watch --batch -d 5 >> tcp.log  a log line every 5 seconds\n"
	      "  tcpdoc watch -o json -n 10 | jq .total\n",
	      fp);
}

enum {
	OPT_BATCH = OPT_SELECT_LAST,
	OPT_THRESHOLD,
	OPT_CONFIG,
	OPT_NO_FINDINGS,
};

#define MAX_THRESHOLD_OPTS 64

struct watch_opts {
	struct tc_select sel;
	struct tc_out out;
	int color;
	double interval;
	uint64_t iterations; /* 0: until stopped */
	int batch;
	int by;
	int findings;
	const char *config;
	const char *thresholds[MAX_THRESHOLD_OPTS];
	int nthresholds;
	char filter[256]; /* the selection options given, as the `f` line shows them */
};

static int parse_interval(const char *arg, double *secs, struct tc_err *err)
{
	if (num_parse_seconds(arg, 0.1, 86400, secs) < 0)
		return tc_err_usage(err, "bad --interval '%.32s' (want seconds, 0.1 to 86400)",
				    arg);
	return 0;
}

/* Keep the selection options as text, for the filter line. */
static void remember_filter(struct watch_opts *o, int c, const char *arg)
{
	static const struct {
		int opt;
		const char *name;
	} names[] = {
	    {'s', "-s"},
	    {OPT_PORT, "--port"},
	    {OPT_SPORT, "--sport"},
	    {OPT_DPORT, "--dport"},
	    {OPT_HOST, "--host"},
	    {OPT_SRC, "--src"},
	    {OPT_DST, "--dst"},
	    {'4', "-4"},
	    {'6', "-6"},
	};
	size_t len = strlen(o->filter);

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].opt == c)
			snprintf(o->filter + len, sizeof(o->filter) - len, "%s%s%s%s",
				 len ? " " : "", names[i].name, arg ? " " : "", arg ? arg : "");
}

static int watch_parse(int argc, char **argv, struct watch_opts *o, struct tc_err *err)
{
	static const struct option longopts[] = {
	    SELECT_LONGOPTS,
	    {"interval", required_argument, NULL, 'd'},
	    {"iterations", required_argument, NULL, 'n'},
	    {"batch", no_argument, NULL, OPT_BATCH},
	    {"by", required_argument, NULL, 'b'},
	    OUTPUT_LONGOPTS,
	    {"threshold", required_argument, NULL, OPT_THRESHOLD},
	    {"config", required_argument, NULL, OPT_CONFIG},
	    {"no-findings", no_argument, NULL, OPT_NO_FINDINGS},
	    {NULL, 0, NULL, 0},
	};
	uint64_t v;
	int c, r;

	memset(o, 0, sizeof(*o));
	select_init(&o->sel);
	o->out.header = 1;
	o->interval = 1;
	o->findings = 1;
	o->by = TC_BY_LPORT;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:" SELECT_SHORTOPTS "d:n:b:" OUTPUT_SHORTOPTS,
				longopts, NULL)) != -1) {
		r = select_option(&o->sel, c, optarg, err);
		if (r < 0)
			return r;
		if (r > 0) {
			remember_filter(o, c, optarg);
			continue;
		}
		r = output_option(c, optarg, &o->out, &o->color,
				  (1u << TC_FMT_TABLE) | (1u << TC_FMT_JSON), err);
		if (r < 0 || r == 'h' || r == 'V')
			return r;
		if (r > 0)
			continue;
		switch (c) {
		case 'd':
			if (parse_interval(optarg, &o->interval, err) < 0)
				return -EINVAL;
			break;
		case 'n':
			if (num_parse_u64(optarg, strlen(optarg), 1000000000u, &v) < 0 || v == 0)
				return tc_err_usage(
				    err, "bad --iterations '%.32s' (want a number from 1)", optarg);
			o->iterations = v;
			break;
		case OPT_BATCH:
			o->batch = 1;
			break;
		case 'b':
			if (tally_parse_by(optarg, &o->by, err) < 0)
				return -EINVAL;
			break;
		case OPT_THRESHOLD:
			if (o->nthresholds == MAX_THRESHOLD_OPTS)
				return tc_err_usage(err, "too many --threshold options");
			o->thresholds[o->nthresholds++] = optarg;
			break;
		case OPT_CONFIG:
			o->config = optarg;
			break;
		case OPT_NO_FINDINGS:
			o->findings = 0;
			break;
		default:
			return option_error(c, argv, err);
		}
	}
	if (optind < argc)
		return tc_err_usage(err, "unexpected argument '%.64s'", argv[optind]);
	if (o->sel.all_netns)
		return tc_err_usage(err, "watch reads one namespace: use -N");
	if (o->by == TC_BY_NETNS)
		return tc_err_usage(err, "watch groups one namespace: -b netns needs states "
					 "--all-netns");
	if (o->by == TC_BY_PROCESS &&
	    (o->sel.source.kind == TC_SOURCE_PROCFS || o->sel.source.kind == TC_SOURCE_DIAGFILE))
		return tc_err_usage(err, "process owners come from this host's /proc: -b process "
					 "needs a live source");
	if (o->sel.source.kind == TC_SOURCE_DIAGFILE && strcmp(o->sel.source.path, "-") == 0)
		return tc_err_usage(err, "watch reads its source again at each refresh: "
					 "--diag-file - (standard input) cannot be");
	if (!o->findings && o->nthresholds)
		return tc_err_usage(err, "--no-findings turns off what --threshold acts on");
	return select_finish(&o->sel, err);
}

/* ---- one refresh ---- */

struct watch {
	struct watch_opts *o;
	struct tc_gather g;
	struct tw_model m;
	struct tw_view v;
	struct tw_frame frame;
	struct tw_seen seen;
	struct tc_procmap procs;
	int have_procs;
	int have_before; /* g.before holds the counters of the refresh before */
	double before_t;
	int noted_fallback;
	int screen;
};

static volatile sig_atomic_t got_signal;

static void on_signal(int sig)
{
	got_signal = sig;
}

static double now_mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void stamp_times(struct tw_model *m)
{
	time_t t = time(NULL);
	struct tm tm;
	char off[8];

	localtime_r(&t, &tm);
	strftime(m->clock, sizeof(m->clock), "%H:%M:%S", &tm);
	strftime(off, sizeof(off), "%z", &tm); /* +hhmm: ISO 8601 wants +hh:mm */
	strftime(m->stamp, sizeof(m->stamp), "%Y-%m-%dT%H:%M:%S", &tm);
	if (strlen(off) == 5)
		snprintf(m->stamp + strlen(m->stamp), sizeof(m->stamp) - strlen(m->stamp),
			 "%.3s:%.2s", off, off + 3);
}

static int refresh(struct watch *w, struct tc_err *err)
{
	struct tc_gather *g = &w->g;
	uint64_t counts[TC_NSTATES + 1];
	double t;
	int r;

	/* groups are for the screen: batch lines carry none */
	gather_reset(g, w->screen ? w->v.by : TC_BY_NONE);
	if (w->screen && w->v.by == TC_BY_PROCESS) {
		if (w->have_procs)
			procmap_free(&w->procs);
		w->have_procs = 0;
		r = procmap_build(&w->procs, "/proc", w->m.total, err);
		if (r < 0)
			return r;
		w->have_procs = 1;
		g->tally.owner = owner_for_group;
		g->tally.owner_arg = &w->procs;
	}
	t = now_mono();
	g->before_given = w->have_before;
	g->sample = w->have_before ? t - w->before_t : 0;
	r = gather_run(g, err);
	if (r < 0)
		return r;
	t = now_mono();
	for (unsigned s = 0; s <= TC_NSTATES; s++)
		counts[s] = tally_state(&g->tally, s);
	tw_model_set_counts(&w->m, counts, g->tally.total);
	tw_model_set_sockstat(&w->m, &g->now);
	tw_model_set_rates(&w->m, w->have_before ? &g->before : NULL, &g->now, t - w->before_t);
	if (tw_model_set_groups(&w->m, &g->tally) < 0)
		return tc_err_set(err, ENOMEM, "out of memory");
	tw_model_set_findings(&w->m, &g->findings);
	snprintf(w->m.source, sizeof(w->m.source), "%s", source_name(w->o->sel.source.used));
	stamp_times(&w->m);
	g->before = g->now; /* the next refresh's rates start here */
	w->have_before = g->now.have != 0;
	w->before_t = t;
	if (g->sel->source.fell_back && !w->noted_fallback) {
		char note[160];

		snprintf(note, sizeof(note), "note: sock_diag unavailable (%s), reading /proc/net",
			 strerror(g->sel->source.fallback_err));
		if (w->screen)
			view_status(&w->v, 0, note);
		else
			fprintf(stderr, "tcpdoc: %s\n", note);
		w->noted_fallback = 1;
	}
	return 0;
}

/* ---- batch ---- */

static void sleep_until(double deadline)
{
	while (!got_signal) {
		double left = deadline - now_mono();
		struct timespec ts;

		if (left <= 0)
			return;
		if (left > 0.25)
			left = 0.25; /* notice signals soon */
		ts.tv_sec = 0;
		ts.tv_nsec = (long)(left * 1e9);
		nanosleep(&ts, NULL);
	}
}

static int run_batch(struct watch *w, struct tc_err *err)
{
	struct watch_opts *o = w->o;

	for (uint64_t i = 0; !got_signal && (!o->iterations || i < o->iterations); i++) {
		double start = now_mono();
		int r = refresh(w, err);

		if (r < 0)
			return r;
		if (o->out.format == TC_FMT_JSON)
			batch_json(stdout, &w->m, &w->seen);
		else
			batch_text(stdout, &w->m, &w->seen);
		if (fflush(stdout) != 0 || ferror(stdout))
			return 0; /* the reader went away: main ends quietly */
		if (o->iterations && i + 1 == o->iterations)
			break;
		sleep_until(start + o->interval);
	}
	return 0;
}

/* ---- the screen ---- */

static void draw(struct watch *w)
{
	int rows, cols;

	curses_size(&rows, &cols);
	view_resize(&w->v, rows, cols);
	if (view_render(&w->v, &w->m, &w->frame) == 0)
		curses_paint(&w->frame);
}

/* 0 when the filter changed, -1 (and a message) when the line is bad. */
static int apply_filter(struct watch *w, const char *text)
{
	struct tc_filter f;
	struct tc_err e = {0};

	if (select_parse_line(text, &f, &e) < 0) {
		view_status(&w->v, 1, e.msg);
		return -1;
	}
	w->o->sel.filter = f;
	snprintf(w->m.filter, sizeof(w->m.filter), "%s", text);
	tw_model_reset_history(&w->m);
	view_status(&w->v, 0, text[0] ? "filter applied" : "filter cleared");
	return 0;
}

/* The explain text for the selection, as `tcpdoc explain` would print it at
 * the screen's width, into the pane. */
static void open_explain(struct watch *w, const char *what)
{
	char words[TW_INPUT_MAX + 1], width[16], *argv[16], *save = NULL, *p;
	struct tc_err e = {0};
	char *text = NULL;
	size_t len = 0;
	int argc = 0, r;
	FILE *fp;

	snprintf(words, sizeof(words), "%s", what);
	snprintf(width, sizeof(width), "%d", w->v.cols > 22 ? w->v.cols - 2 : 20);
	/* options first: getopt keeps the order mode of watch's own parse */
	argv[argc++] = "explain";
	argv[argc++] = "-w";
	argv[argc++] = width;
	argv[argc++] = "--color";
	argv[argc++] = "never";
	/* the same namespace (entered again: explain names it in its text and
	 * in the commands it suggests) and the same source */
	if (w->o->sel.netns) {
		argv[argc++] = "-N";
		argv[argc++] = (char *)w->o->sel.netns;
	}
	if (w->o->sel.source.kind == TC_SOURCE_PROCFS) {
		argv[argc++] = "--procfs";
		argv[argc++] = (char *)w->o->sel.source.path;
	} else if (w->o->sel.source.kind == TC_SOURCE_DIAGFILE) {
		argv[argc++] = "--diag-file";
		argv[argc++] = (char *)w->o->sel.source.path;
	} else if (w->o->sel.source.kind == TC_SOURCE_PROC) {
		argv[argc++] = "--source";
		argv[argc++] = "proc";
	}
	for (p = strtok_r(words, " ", &save); p && argc < 14; p = strtok_r(NULL, " ", &save))
		argv[argc++] = p;
	argv[argc] = NULL;
	fp = open_memstream(&text, &len);
	if (!fp) {
		view_status(&w->v, 1, "out of memory");
		return;
	}
	r = explain_to(fp, argc, argv, &e);
	fclose(fp);
	if (r < 0)
		view_status(&w->v, 1, e.msg[0] ? e.msg : strerror(-r));
	else if (view_open_pane(&w->v, what, text ? text : "", len) < 0)
		view_status(&w->v, 1, "out of memory");
	free(text);
}

static int run_screen(struct watch *w, struct tc_err *err)
{
	struct watch_opts *o = w->o;
	uint64_t done = 0;
	double next;
	int r, force;

	r = curses_start(o->out.color, err);
	if (r < 0)
		return r;
	w->v.utf8 = curses_utf8();
	w->v.color = o->out.color;
	draw(w);
	for (;;) {
		r = refresh(w, err);
		if (r < 0)
			break;
		view_sync(&w->v, &w->m);
		draw(w);
		done++;
		next = now_mono() + w->m.interval;
		force = 0;
		/* keys until the next refresh is due (or forever when paused,
		 * unless a new grouping or filter needs the sockets read again) */
		while (!got_signal && !force && (w->v.paused || now_mono() < next) &&
		       !(o->iterations && done >= o->iterations)) {
			struct tw_action act;
			double left = next - now_mono();
			int ms = w->v.paused || left > 0.25 ? 250 : (int)(left * 1000) + 1;
			int key = curses_key(ms);

			if (key < 0)
				continue;
			view_key(&w->v, &w->m, key, &act);
			if (act.act == TW_ACT_QUIT)
				goto out;
			if (act.act == TW_ACT_REFRESH)
				force = 1;
			if (act.act == TW_ACT_INTERVAL) {
				w->m.interval = act.interval;
				next = now_mono() + act.interval;
			}
			if (act.act == TW_ACT_FILTER) {
				force = apply_filter(w, act.text) == 0;
			}
			if (act.act == TW_ACT_EXPLAIN)
				open_explain(w, act.text);
			draw(w);
		}
		if (got_signal || (o->iterations && done >= o->iterations))
			break;
	}
out:
	curses_stop();
	return r < 0 ? r : 0;
}

/* ---- setup ---- */

static void header_names(struct watch *w)
{
	char host[256] = "", link[64];
	ssize_t n;

	if (gethostname(host, sizeof(host) - 1) < 0)
		snprintf(host, sizeof(host), "?");
	fmt_escape(w->m.host, sizeof(w->m.host), host);
	if (w->o->sel.netns) {
		fmt_escape(w->m.netns, sizeof(w->m.netns), w->o->sel.netns);
	} else if (w->o->sel.source.kind == TC_SOURCE_PROCFS ||
		   w->o->sel.source.kind == TC_SOURCE_DIAGFILE) {
		fmt_escape(w->m.netns, sizeof(w->m.netns), w->o->sel.source.path);
	} else {
		n = readlink("/proc/self/ns/net", link, sizeof(link) - 1);
		if (n > 0) {
			link[n] = '\0';
			snprintf(w->m.netns, sizeof(w->m.netns), "%s", link);
		}
	}
}

static void install_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal; /* no SA_RESTART: a signal ends the wait */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

int cmd_watch(int argc, char **argv, struct tc_err *err)
{
	struct watch_opts o;
	struct watch *w;
	int ret;

	ret = watch_parse(argc, argv, &o, err);
	if (cmd_help_version(ret, cmd_watch_help, stdout))
		return 0;
	if (ret < 0)
		return ret;
	setlocale(LC_CTYPE, ""); /* UTF-8 on the screen; numbers stay C */
	out_setup(&o.out, stdout, o.color);
	w = calloc(1, sizeof(*w));
	if (!w)
		return tc_err_set(err, ENOMEM, "out of memory");
	w->o = &o;
	w->screen = !o.batch && o.out.format == TC_FMT_TABLE && isatty(STDOUT_FILENO);
	tw_model_init(&w->m);
	w->m.interval = o.interval;
	w->m.findings_on = o.findings;
	snprintf(w->m.filter, sizeof(w->m.filter), "%s", o.filter);
	view_init(&w->v, o.by, o.interval);
	w->v.can_by_process =
	    o.sel.source.kind != TC_SOURCE_PROCFS && o.sel.source.kind != TC_SOURCE_DIAGFILE;
	gather_init(&w->g, &o.sel, o.by);
	w->g.evaluate = o.findings;
	ret = gather_thresholds(&w->g, o.config, o.thresholds, o.nthresholds, err);
	if (ret == 0 && o.sel.netns && netns_enter(o.sel.netns, err) < 0)
		ret = -EINVAL;
	if (ret == 0) {
		header_names(w);
		install_signals();
		ret = w->screen ? run_screen(w, err) : run_batch(w, err);
	}
	gather_free(&w->g);
	if (w->have_procs)
		procmap_free(&w->procs);
	tw_model_free(&w->m);
	view_free(&w->v);
	frame_free(&w->frame);
	free(w);
	if (got_signal && ret >= 0 && got_signal != SIGINT) {
		/* end the way the signal would have, now that the terminal is back */
		fflush(stdout);
		signal(got_signal, SIG_DFL);
		raise(got_signal);
	}
	return ret;
}
