/* `tcpdoc watch --batch`: one line per refresh for logs and pipes, then a
 * line per finding that appeared, changed or cleared; or one JSON object
 * per refresh (JSON Lines). Pure writers over a FILE. */
#ifndef TCPDOC_TUI_BATCH_H
#define TCPDOC_TUI_BATCH_H

#include <stdio.h>

#include "tui/model.h"

/* The findings of the refresh before, to tell what is new. */
struct tw_seen {
	struct tw_finding v[TW_MAX_FINDINGS];
	size_t n;
};

/* "2026-11-21T19:40:02+00:00 LISTEN=22 ... TOTAL=102 active_opens/s=1.0 ..."
 * then "TIME finding new|changed|cleared SEVERITY ID SCOPE: MESSAGE" lines;
 * `seen` is updated to this refresh's findings. */
void batch_text(FILE *fp, const struct tw_model *m, struct tw_seen *seen);
/* {"time":...,"states":{...},"total":N,"change":{...},"sockstat":{...},
 *  "rates":{...}|null,"findings":{"current":[...],"new":[...],"cleared":[...]}} */
void batch_json(FILE *fp, const struct tw_model *m, struct tw_seen *seen);

#endif
