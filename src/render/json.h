/* A streaming JSON writer: values go out as they are produced, so a list of
 * a million sockets never sits in memory. Strings are escaped per RFC 8259;
 * invalid UTF-8 becomes U+FFFD so the document stays valid. */
#ifndef TCPDOC_JSON_H
#define TCPDOC_JSON_H

#include <stdint.h>
#include <stdio.h>

#define JSON_DEPTH_MAX 16

struct json_w {
	FILE *fp;
	int depth;
	int count[JSON_DEPTH_MAX]; /* values written at each depth */
	int after_key;
	int pretty;
	int break_depth; /* >0: start each value at this depth on a new line */
};

void json_init(struct json_w *j, FILE *fp, int pretty);
void json_obj_begin(struct json_w *j);
void json_obj_end(struct json_w *j);
void json_arr_begin(struct json_w *j);
void json_arr_end(struct json_w *j);
void json_key(struct json_w *j, const char *key);
void json_str(struct json_w *j, const char *s);
void json_u64(struct json_w *j, uint64_t v);
void json_i64(struct json_w *j, int64_t v);
void json_bool(struct json_w *j, int v);
void json_null(struct json_w *j);
/* A fixed-point number: v / 10^decimals, e.g. (1234, 3) prints 1.234. */
void json_fixed(struct json_w *j, uint64_t v, int decimals);
/* Ends the document with a newline. */
void json_end(struct json_w *j);

/* Write s as a JSON string literal (with quotes) to fp. */
void json_write_string(FILE *fp, const char *s);

#endif
