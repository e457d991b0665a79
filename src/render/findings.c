#include "render/findings.h"

#include <inttypes.h>
#include <string.h>
#include <sys/socket.h>

#include "model/state.h"
#include "render/fmt.h"
#include "render/wrap.h"

static const char *sev_color(int sev)
{
	switch (sev) {
	case TC_SEV_CRITICAL:
		return "1;31";
	case TC_SEV_WARNING:
		return "33";
	default:
		return "36";
	}
}

void findings_sock_line(const struct tc_sock *sk, char *buf, size_t size)
{
	char l[64], p[64];

	fmt_endpoint(l, sizeof(l), sk->family, sk->src, sk->sport, 1);
	fmt_endpoint(p, sizeof(p), sk->family, sk->dst, sk->dport, 1);
	snprintf(buf, size, "%s %u %u %s %s", state_name(sk->state), sk->rqueue, sk->wqueue, l, p);
}

void findings_table(const struct tc_out *o, const struct tc_findings *f)
{
	FILE *fp = o->fp;
	int width = wrap_width(fp);
	char line[256];

	fputc('\n', fp);
	if (f->n == 0) {
		fputs("FINDINGS: none\n", fp);
		return;
	}
	if (o->header)
		fprintf(fp, "%sFINDINGS%s\n", o->color ? "\033[1m" : "", o->color ? "\033[0m" : "");
	for (size_t i = 0; i < f->n; i++) {
		const struct tc_finding *x = &f->v[i];

		if (i)
			fputc('\n', fp);
		if (o->color)
			fprintf(fp, "\033[%sm%s\033[0m", sev_color(x->severity),
				severity_name(x->severity));
		else
			fputs(severity_name(x->severity), fp);
		if (strcmp(x->scope_kind, x->scope) == 0)
			fprintf(fp, " %s %s", tc_rules[x->rule].id, x->scope);
		else
			fprintf(fp, " %s %s %s", tc_rules[x->rule].id, x->scope_kind, x->scope);
		if (x->netns) {
			char ns[200];

			fmt_escape(ns, sizeof(ns), x->netns);
			fprintf(fp, " netns %s", ns);
		}
		fputc('\n', fp);
		wrap_print(fp, "  ", x->message, width);
		wrap_print(fp, "  why:    ", x->why, width);
		if (x->check[0])
			wrap_print(fp, "  check:  ", x->check, width);
		wrap_print(fp, "  fix:    ", x->fix, width);
		if (x->sysctl[0])
			wrap_print(fp, "  sysctl: ", x->sysctl, width);
		if (x->owners[0])
			wrap_print(fp, "  owner:  ", x->owners, width);
		for (int e = 0; e < x->nexamples; e++) {
			findings_sock_line(&x->examples[e], line, sizeof(line));
			wrap_print(fp, e ? "          " : "  e.g.    ", line, width);
		}
		fprintf(fp, "  more:   tcpdoc explain %s\n", tc_rules[x->rule].id);
	}
}

static void json_sock(struct json_w *j, const struct tc_sock *sk)
{
	char a[64];

	json_obj_begin(j);
	json_key(j, "state");
	json_str(j, state_name(sk->state));
	json_key(j, "recv_q");
	json_u64(j, sk->rqueue);
	json_key(j, "send_q");
	json_u64(j, sk->wqueue);
	json_key(j, "local");
	fmt_endpoint(a, sizeof(a), sk->family, sk->src, sk->sport, 0);
	json_str(j, a);
	json_key(j, "peer");
	fmt_endpoint(a, sizeof(a), sk->family, sk->dst, sk->dport, 0);
	json_str(j, a);
	json_obj_end(j);
}

void findings_json(struct json_w *j, const struct tc_findings *f)
{
	json_key(j, "findings");
	json_arr_begin(j);
	for (size_t i = 0; i < f->n; i++) {
		const struct tc_finding *x = &f->v[i];

		json_obj_begin(j);
		json_key(j, "id");
		json_str(j, tc_rules[x->rule].id);
		json_key(j, "severity");
		json_str(j, severity_name(x->severity));
		json_key(j, "scope");
		json_obj_begin(j);
		json_key(j, "kind");
		json_str(j, x->scope_kind);
		json_key(j, "value");
		json_str(j, x->scope);
		json_obj_end(j);
		json_key(j, "sockets");
		json_u64(j, x->count);
		json_key(j, "value");
		json_i64(j, x->value);
		json_key(j, "threshold");
		json_i64(j, x->threshold);
		json_key(j, "unit");
		json_str(j, x->unit ? x->unit : "");
		json_key(j, "message");
		json_str(j, x->message);
		json_key(j, "why");
		json_str(j, x->why);
		json_key(j, "check");
		json_str(j, x->check);
		json_key(j, "fix");
		json_str(j, x->fix);
		json_key(j, "sysctl");
		if (x->sysctl[0])
			json_str(j, x->sysctl);
		else
			json_null(j);
		json_key(j, "netns");
		if (x->netns)
			json_str(j, x->netns);
		else
			json_null(j);
		json_key(j, "owners");
		if (x->owners[0])
			json_str(j, x->owners);
		else
			json_null(j);
		json_key(j, "explain");
		json_str(j, tc_rules[x->rule].id);
		json_key(j, "examples");
		json_arr_begin(j);
		for (int e = 0; e < x->nexamples; e++)
			json_sock(j, &x->examples[e]);
		json_arr_end(j);
		json_obj_end(j);
	}
	json_arr_end(j);
}

/* ",netns=\"NAME\"" for a finding of --all-netns, else "". */
static void netns_label(char *buf, size_t size, const struct tc_finding *x)
{
	char v[160];

	buf[0] = '\0';
	if (!x->netns)
		return;
	fmt_prom_label(v, sizeof(v), x->netns);
	snprintf(buf, size, ",netns=\"%s\"", v);
}

void findings_prom(const struct tc_out *o, const struct tc_findings *f, const char *labels)
{
	FILE *fp = o->fp;

	fputs("# HELP tcpdoc_finding A finding tcpdoc's rules raised (1 while it holds).\n"
	      "# TYPE tcpdoc_finding gauge\n",
	      fp);
	for (size_t i = 0; i < f->n; i++) {
		const struct tc_finding *x = &f->v[i];
		char ns[200];

		netns_label(ns, sizeof(ns), x);
		fprintf(fp, "tcpdoc_finding{id=\"%s\",severity=\"%s\",scope=\"%s\"%s%s} 1\n",
			tc_rules[x->rule].id, severity_name(x->severity), x->scope, labels, ns);
	}
	fputs("# HELP tcpdoc_finding_sockets Sockets involved in a finding.\n"
	      "# TYPE tcpdoc_finding_sockets gauge\n",
	      fp);
	for (size_t i = 0; i < f->n; i++) {
		const struct tc_finding *x = &f->v[i];
		char ns[200];

		netns_label(ns, sizeof(ns), x);
		fprintf(fp, "tcpdoc_finding_sockets{id=\"%s\",scope=\"%s\"%s%s} %" PRIu64 "\n",
			tc_rules[x->rule].id, x->scope, labels, ns, x->count);
	}
	fputs("# HELP tcpdoc_findings_worst_severity Worst severity: 0 ok, 1 info, 2 warning, 3 "
	      "critical.\n"
	      "# TYPE tcpdoc_findings_worst_severity gauge\n",
	      fp);
	fprintf(fp, "tcpdoc_findings_worst_severity{%s} %d\n",
		labels[0] == ',' ? labels + 1 : labels, f->worst);
}

void findings_marks(const struct tc_findings *f, const struct tc_obs *obs, const struct tc_sock *sk,
		    char *buf, size_t size)
{
	size_t o = 0;
	uint32_t seen = 0; /* rules already named: one mark per rule */

	buf[0] = '\0';
	for (size_t i = 0; i < f->n && o < size; i++) {
		const struct tc_finding *x = &f->v[i];

		if ((seen >> x->rule) & 1 || !finding_matches(x, obs, sk))
			continue;
		o +=
		    (size_t)snprintf(buf + o, size - o, "%s%s", o ? "," : "", tc_rules[x->rule].id);
		seen |= 1u << x->rule;
	}
	if (!o)
		snprintf(buf, size, "-");
}
