/* Rendering findings: the table section, the JSON array, the prom series. */
#ifndef TCPDOC_RENDER_FINDINGS_H
#define TCPDOC_RENDER_FINDINGS_H

#include "diag/rules.h"
#include "render/json.h"
#include "render/out.h"

/* The FINDINGS section after a summary, group table or list. */
void findings_table(const struct tc_out *o, const struct tc_findings *f);
/* Key "findings" and its array, inside an open JSON object. */
void findings_json(struct json_w *j, const struct tc_findings *f);
/* tcpdoc_finding and tcpdoc_finding_sockets series; `labels` are extra
 * labels (",netns=\"x\"") or "". */
void findings_prom(const struct tc_out *o, const struct tc_findings *f, const char *labels);
/* Comma-separated ids of the findings that flag sk into buf ("-" if none). */
void findings_marks(const struct tc_findings *f, const struct tc_obs *obs, const struct tc_sock *sk,
		    char *buf, size_t size);
/* One socket as a short line: "CLOSE_WAIT 1 0 127.0.0.1:8080 127.0.0.1:5000". */
void findings_sock_line(const struct tc_sock *sk, char *buf, size_t size);

#endif
