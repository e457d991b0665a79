/* Rendering the state summary, the grouped table and the socket list in
 * each output format. */
#ifndef TCPDOC_REPORT_H
#define TCPDOC_REPORT_H

#include <stddef.h>

#include "model/sock.h"
#include "model/tally.h"
#include "render/json.h"
#include "render/out.h"

/* Facts about the run that JSON and prom carry along. */
struct tc_findings;
struct tc_obs;
struct tc_procmap;

struct tc_meta {
	const char *source;		    /* "netlink", "proc", ... */
	const char *netns;		    /* -N argument or NULL */
	const struct tc_findings *findings; /* NULL with --no-findings */
	const struct tc_obs *obs;	    /* the aggregates the findings came from */
	const struct tc_procmap *procs;	    /* -p: who holds each socket, or NULL */
};

void report_summary(const struct tc_out *o, const struct tc_tally *t, const struct tc_meta *m);

/* The first n groups of a sorted tally (tally_sort_groups). */
void report_groups(const struct tc_out *o, const struct tc_tally *t, size_t n,
		   const struct tc_meta *m);

/* Streaming socket list: begin, one call per socket, end. */
struct tc_list {
	const struct tc_out *o;
	const struct tc_meta *m;
	int extended;
	struct json_w j;
	unsigned long n;
	struct tc_col cols[14];
	int ncols;
	int proc_col; /* index of the PROCESS column, or -1 */
};
void report_list_begin(struct tc_list *l, const struct tc_out *o, int extended,
		       const struct tc_meta *m);
void report_list_sock(struct tc_list *l, const struct tc_sock *sk);
void report_list_end(struct tc_list *l);

/* Timer kind as ss names it: "off", "on", "keepalive", "timewait", "persist". */
const char *report_timer_name(unsigned timer);

#endif
