#include "render/report.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "model/state.h"
#include "render/findings.h"
#include "render/fmt.h"
#include "render/owner.h"

static const char *const timer_names[] = {"off", "on", "keepalive", "timewait", "persist"};

const char *report_timer_name(unsigned timer)
{
	return timer <= TC_TIMER_MAX ? timer_names[timer] : "unknown";
}

static void u64s(char *buf, size_t size, uint64_t v)
{
	snprintf(buf, size, "%" PRIu64, v);
}

static void prom_meta_labels(char *buf, size_t size, const struct tc_meta *m)
{
	buf[0] = '\0';
	if (m && m->netns) {
		char esc[300];

		fmt_prom_label(esc, sizeof(esc), m->netns);
		snprintf(buf, size, ",netns=\"%s\"", esc);
	}
}

static void json_meta(struct json_w *j, const struct tc_meta *m)
{
	json_key(j, "source");
	json_str(j, m && m->source ? m->source : "unknown");
	json_key(j, "netns");
	if (m && m->netns)
		json_str(j, m->netns);
	else
		json_null(j);
}

void report_summary(const struct tc_out *o, const struct tc_tally *t, const struct tc_meta *m)
{
	if (o->format == TC_FMT_JSON) {
		struct json_w j;

		json_init(&j, o->fp, 0);
		json_obj_begin(&j);
		json_meta(&j, m);
		json_key(&j, "states");
		json_obj_begin(&j);
		for (int i = 0; i < TC_NSTATES; i++) {
			json_key(&j, state_name(tc_state_order[i]));
			json_u64(&j, tally_state(t, tc_state_order[i]));
		}
		json_obj_end(&j);
		json_key(&j, "families");
		json_obj_begin(&j);
		for (int f = 0; f < 2; f++) {
			json_key(&j, f ? "ipv6" : "ipv4");
			json_obj_begin(&j);
			for (int i = 0; i < TC_NSTATES; i++) {
				json_key(&j, state_name(tc_state_order[i]));
				json_u64(&j, t->count[f][tc_state_order[i]]);
			}
			json_obj_end(&j);
		}
		json_obj_end(&j);
		json_key(&j, "total");
		json_u64(&j, t->total);
		if (m && m->findings)
			findings_json(&j, m->findings);
		json_obj_end(&j);
		json_end(&j);
		return;
	}
	if (o->format == TC_FMT_PROM) {
		char labels[400];

		prom_meta_labels(labels, sizeof(labels), m);
		fputs("# HELP tcpdoc_sockets TCP sockets by state and address family.\n"
		      "# TYPE tcpdoc_sockets gauge\n",
		      o->fp);
		for (int f = 0; f < 2; f++)
			for (int i = 0; i < TC_NSTATES; i++)
				fprintf(o->fp,
					"tcpdoc_sockets{state=\"%s\",family=\"%s\"%s} %" PRIu64
					"\n",
					state_label(tc_state_order[i]), f ? "ipv6" : "ipv4", labels,
					t->count[f][tc_state_order[i]]);
		if (m && m->findings)
			findings_prom(o, m->findings, labels);
		return;
	}
	{
		static const struct tc_col cols[] = {
		    {"STATE", 11, 0}, {"COUNT", 7, 1}, {"IPV4", 7, 1}, {"IPV6", 7, 1}};
		char c[3][24];
		const char *cells[4] = {NULL, c[0], c[1], c[2]};

		table_header(o, cols, 4);
		for (int i = 0; i < TC_NSTATES; i++) {
			unsigned st = tc_state_order[i];
			uint64_t n = tally_state(t, st);

			cells[0] = state_name(st);
			u64s(c[0], sizeof(c[0]), n);
			u64s(c[1], sizeof(c[1]), t->count[0][st]);
			u64s(c[2], sizeof(c[2]), t->count[1][st]);
			table_row(o, cols, 4, cells, n ? NULL : "2");
		}
		cells[0] = "TOTAL";
		u64s(c[0], sizeof(c[0]), t->total);
		{
			uint64_t v4 = 0, v6 = 0;

			for (int s = 0; s <= TC_NSTATES; s++) {
				v4 += t->count[0][s];
				v6 += t->count[1][s];
			}
			u64s(c[1], sizeof(c[1]), v4);
			u64s(c[2], sizeof(c[2]), v6);
		}
		table_row(o, cols, 4, cells, "1");
		if (m && m->findings)
			findings_table(o, m->findings);
	}
}

/* How wide a group's key column starts on a terminal. */
static int group_key_width(int by)
{
	switch (by) {
	case TC_BY_PEER:
	case TC_BY_LOCAL:
		return 15;
	case TC_BY_PROCESS:
	case TC_BY_NETNS:
		return 20;
	default:
		return 6;
	}
}

void report_groups(const struct tc_out *o, const struct tc_tally *t, size_t n,
		   const struct tc_meta *m)
{
	char key[128];

	if (o->format == TC_FMT_JSON) {
		struct json_w j;

		json_init(&j, o->fp, 0);
		json_obj_begin(&j);
		json_meta(&j, m);
		json_key(&j, "by");
		json_str(&j, tally_by_name(t->by));
		json_key(&j, "groups_total");
		json_u64(&j, t->ngroups);
		json_key(&j, "groups");
		json_arr_begin(&j);
		for (size_t i = 0; i < n; i++) {
			const struct tc_group *g = &t->groups[i];

			tally_group_key(t, g, key, sizeof(key));
			json_obj_begin(&j);
			json_key(&j, "key");
			json_str(&j, key);
			json_key(&j, "total");
			json_u64(&j, g->total);
			json_key(&j, "states");
			json_obj_begin(&j);
			for (int s = 0; s < TC_NSTATES; s++) {
				json_key(&j, state_name(tc_state_order[s]));
				json_u64(&j, g->count[tc_state_order[s]]);
			}
			json_obj_end(&j);
			json_obj_end(&j);
		}
		json_arr_end(&j);
		if (m && m->findings)
			findings_json(&j, m->findings);
		json_obj_end(&j);
		json_end(&j);
		return;
	}
	if (o->format == TC_FMT_PROM) {
		char labels[400];

		prom_meta_labels(labels, sizeof(labels), m);
		fprintf(
		    o->fp,
		    "# HELP tcpdoc_group_sockets TCP sockets by %s and state (top groups only).\n"
		    "# TYPE tcpdoc_group_sockets gauge\n",
		    tally_by_name(t->by));
		for (size_t i = 0; i < n; i++) {
			const struct tc_group *g = &t->groups[i];

			{
				char raw[128];

				tally_group_key(t, g, raw, sizeof(raw));
				fmt_prom_label(key, sizeof(key), raw);
			}
			for (int s = 0; s < TC_NSTATES; s++) {
				unsigned st = tc_state_order[s];

				if (!g->count[st])
					continue;
				fprintf(o->fp,
					"tcpdoc_group_sockets{by=\"%s\",key=\"%s\",state=\"%s\"%s} "
					"%" PRIu64 "\n",
					tally_by_name(t->by), key, state_label(st), labels,
					g->count[st]);
			}
		}
		if (m && m->findings)
			findings_prom(o, m->findings, labels);
		return;
	}
	{
		struct tc_col cols[2 + TC_NSTATES];
		char num[1 + TC_NSTATES][24];
		const char *cells[2 + TC_NSTATES];
		char keyname[16];

		snprintf(keyname, sizeof(keyname), "%s", tally_by_name(t->by));
		for (char *p = keyname; *p; p++)
			*p = (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
		cols[0] = (struct tc_col){keyname, group_key_width(t->by), 0};
		cols[1] = (struct tc_col){"TOTAL", 6, 1};
		for (int s = 0; s < TC_NSTATES; s++)
			cols[2 + s] = (struct tc_col){state_name(tc_state_order[s]), 0, 1};
		table_header(o, cols, 2 + TC_NSTATES);
		for (size_t i = 0; i < n; i++) {
			const struct tc_group *g = &t->groups[i];

			tally_group_key(t, g, key, sizeof(key));
			cells[0] = key;
			u64s(num[0], sizeof(num[0]), g->total);
			cells[1] = num[0];
			for (int s = 0; s < TC_NSTATES; s++) {
				u64s(num[1 + s], sizeof(num[1 + s]), g->count[tc_state_order[s]]);
				cells[2 + s] = num[1 + s];
			}
			table_row(o, cols, 2 + TC_NSTATES, cells, NULL);
		}
		if (m && m->findings)
			findings_table(o, m->findings);
	}
}

static const struct tc_col list_cols[] = {
    {"STATE", 11, 0}, {"RECV-Q", 6, 1}, {"SEND-Q", 6, 1},  {"LOCAL", 21, 0},
    {"PEER", 21, 0},  {"TIMER", 9, 0},	{"EXPIRES", 7, 1}, {"RETRANS", 7, 1},
    {"IDLE", 6, 1},   {"UID", 5, 1},	{"INODE", 8, 1},   {"RTT", 8, 1},
};
#define LIST_BASIC 5
#define LIST_EXTENDED 12
static const struct tc_col finding_col = {"FINDING", 7, 0};
static const struct tc_col process_col = {"PROCESS", 12, 0};

void report_list_begin(struct tc_list *l, const struct tc_out *o, int extended,
		       const struct tc_meta *m)
{
	memset(l, 0, sizeof(*l));
	l->o = o;
	l->m = m;
	l->extended = extended;
	l->ncols = extended ? LIST_EXTENDED : LIST_BASIC;
	memcpy(l->cols, list_cols, (size_t)l->ncols * sizeof(list_cols[0]));
	l->proc_col = -1;
	if (m && m->procs) {
		l->proc_col = l->ncols;
		l->cols[l->ncols++] = process_col;
	}
	if (m && m->findings)
		l->cols[l->ncols++] = finding_col;
	if (o->format == TC_FMT_JSON) {
		json_init(&l->j, o->fp, 0);
		json_obj_begin(&l->j);
		json_meta(&l->j, m);
		json_key(&l->j, "sockets");
		json_arr_begin(&l->j);
		/* one socket a line keeps the stream greppable */
		l->j.break_depth = l->j.depth;
		return;
	}
	table_header(o, l->cols, l->ncols);
}

/* A listener carries no data: its idle time and rtt mean nothing. */
static int has_flow_info(const struct tc_sock *sk)
{
	return (sk->have & TC_HAVE_INFO) && sk->state != TC_STATE_LISTEN;
}

static void json_endpoint(struct json_w *j, const char *key, int family, const uint8_t *addr,
			  uint16_t port)
{
	char a[INET6_ADDRSTRLEN];

	fmt_addr(a, sizeof(a), family, addr);
	json_key(j, key);
	json_obj_begin(j);
	json_key(j, "addr");
	json_str(j, a);
	json_key(j, "port");
	json_u64(j, port);
	json_obj_end(j);
}

void report_list_sock(struct tc_list *l, const struct tc_sock *sk)
{
	const struct tc_out *o = l->o;

	l->n++;
	if (o->format == TC_FMT_JSON) {
		struct json_w *j = &l->j;

		json_obj_begin(j);
		json_key(j, "state");
		json_str(j, state_name(sk->state));
		json_key(j, "family");
		json_str(j, sk->family == AF_INET6 ? "ipv6" : "ipv4");
		json_key(j, "recv_q");
		json_u64(j, sk->rqueue);
		json_key(j, "send_q");
		json_u64(j, sk->wqueue);
		json_endpoint(j, "local", sk->family, sk->src, sk->sport);
		json_endpoint(j, "peer", sk->family, sk->dst, sk->dport);
		if (l->extended) {
			json_key(j, "timer");
			json_str(j, report_timer_name(sk->timer));
			json_key(j, "expires_seconds");
			if (sk->timer)
				json_fixed(j, sk->expires_ms, 3);
			else
				json_null(j);
			json_key(j, "retrans");
			json_u64(j, sk->retrans);
			json_key(j, "idle_seconds");
			if (has_flow_info(sk))
				json_fixed(j, sk->last_data_recv_ms, 3);
			else
				json_null(j);
			json_key(j, "uid");
			json_u64(j, sk->uid);
			json_key(j, "inode");
			json_u64(j, sk->inode);
			json_key(j, "rtt_seconds");
			if (has_flow_info(sk))
				json_fixed(j, sk->rtt_us, 6);
			else
				json_null(j);
			if (sk->have & TC_HAVE_COOKIE) {
				json_key(j, "cookie");
				json_u64(j, sk->cookie);
			}
		}
		if (l->m && l->m->procs) {
			const struct tc_proc *p[16];
			const char *kind = owner_kind(sk);
			size_t n = kind ? 0 : procmap_owners(l->m->procs, sk->inode, p, 16);

			/* lowest pid first, as in the table */
			for (size_t a = 1; a < n && a < 16; a++)
				for (size_t b = a; b > 0 && p[b - 1]->pid > p[b]->pid; b--) {
					const struct tc_proc *tmp = p[b];

					p[b] = p[b - 1];
					p[b - 1] = tmp;
				}

			json_key(j, "owner");
			if (kind)
				json_str(j, kind);
			else if (!n)
				json_str(j, "(unknown)");
			else
				json_null(j);
			json_key(j, "processes");
			json_arr_begin(j);
			for (size_t i = 0; i < n && i < 16; i++) {
				json_obj_begin(j);
				json_key(j, "comm");
				json_str(j, p[i]->comm); /* JSON escaping makes it safe */
				json_key(j, "pid");
				json_u64(j, p[i]->pid);
				json_key(j, "uid");
				json_u64(j, p[i]->uid);
				json_obj_end(j);
			}
			json_arr_end(j);
		}
		if (l->m && l->m->findings) {
			char marks[256];
			char *p = marks, *comma;

			findings_marks(l->m->findings, l->m->obs, sk, marks, sizeof(marks));
			json_key(j, "findings");
			json_arr_begin(j);
			while (strcmp(marks, "-") != 0 && p && *p) {
				comma = strchr(p, ',');
				if (comma)
					*comma = '\0';
				json_str(j, p);
				p = comma ? comma + 1 : NULL;
			}
			json_arr_end(j);
		}
		json_obj_end(j);
		return;
	}
	{
		char rq[24], wq[24], loc[64], peer[64], exp[24], rt[16], idle[24], uid[16], ino[24],
		    rtt[24], marks[256], owners[512];
		const char *cells[LIST_EXTENDED + 2] = {state_name(sk->state), rq, wq, loc, peer};

		fmt_u64(rq, sk->rqueue);
		fmt_u64(wq, sk->wqueue);
		fmt_endpoint(loc, sizeof(loc), sk->family, sk->src, sk->sport, 1);
		fmt_endpoint(peer, sizeof(peer), sk->family, sk->dst, sk->dport, 1);
		if (l->extended) {
			cells[5] = report_timer_name(sk->timer);
			if (sk->timer)
				fmt_duration_ms(exp, sizeof(exp), sk->expires_ms);
			else
				snprintf(exp, sizeof(exp), "-");
			cells[6] = exp;
			snprintf(rt, sizeof(rt), "%u", sk->retrans);
			cells[7] = rt;
			if (has_flow_info(sk))
				fmt_duration_ms(idle, sizeof(idle), sk->last_data_recv_ms);
			else
				snprintf(idle, sizeof(idle), "-");
			cells[8] = idle;
			snprintf(uid, sizeof(uid), "%u", sk->uid);
			cells[9] = uid;
			snprintf(ino, sizeof(ino), "%" PRIu64, sk->inode);
			cells[10] = ino;
			if (has_flow_info(sk))
				snprintf(rtt, sizeof(rtt), "%u.%03ums", sk->rtt_us / 1000,
					 sk->rtt_us % 1000);
			else
				snprintf(rtt, sizeof(rtt), "-");
			cells[11] = rtt;
		}
		if (l->proc_col >= 0) {
			owner_describe(l->m->procs, sk, owners, sizeof(owners));
			cells[l->proc_col] = owners;
		}
		if (l->m && l->m->findings) {
			findings_marks(l->m->findings, l->m->obs, sk, marks, sizeof(marks));
			cells[l->ncols - 1] = marks;
		}
		table_row(o, l->cols, l->ncols, cells, NULL);
	}
}

void report_list_end(struct tc_list *l)
{
	if (l->o->format == TC_FMT_JSON) {
		l->j.break_depth = 0;
		if (l->n)
			fputc('\n', l->o->fp);
		json_arr_end(&l->j);
		json_key(&l->j, "count");
		json_u64(&l->j, l->n);
		if (l->m && l->m->findings)
			findings_json(&l->j, l->m->findings);
		json_obj_end(&l->j);
		json_end(&l->j);
	} else if (l->m && l->m->findings) {
		findings_table(l->o, l->m->findings);
	}
}
