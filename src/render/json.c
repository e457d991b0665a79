#include "render/json.h"

#include <inttypes.h>
#include <string.h>

#include "render/fmt.h"

void json_init(struct json_w *j, FILE *fp, int pretty)
{
	memset(j, 0, sizeof(*j));
	j->fp = fp;
	j->pretty = pretty;
}

static void json_indent(struct json_w *j)
{
	if (!j->pretty)
		return;
	fputc('\n', j->fp);
	for (int i = 0; i < j->depth; i++)
		fputs("  ", j->fp);
}

/* Separator and indentation before a value or key at the current depth. */
static void json_pre(struct json_w *j)
{
	if (j->after_key) {
		j->after_key = 0;
		return;
	}
	if (j->count[j->depth]++ > 0)
		fputc(',', j->fp);
	if (j->break_depth && j->depth == j->break_depth)
		fputc('\n', j->fp);
	else if (j->depth > 0)
		json_indent(j);
}

static void json_open(struct json_w *j, char c)
{
	json_pre(j);
	fputc(c, j->fp);
	if (j->depth + 1 < JSON_DEPTH_MAX)
		j->depth++;
	j->count[j->depth] = 0;
}

static void json_close(struct json_w *j, char c)
{
	int had = j->count[j->depth];

	if (j->depth > 0)
		j->depth--;
	if (had)
		json_indent(j);
	fputc(c, j->fp);
}

void json_obj_begin(struct json_w *j)
{
	json_open(j, '{');
}
void json_obj_end(struct json_w *j)
{
	json_close(j, '}');
}
void json_arr_begin(struct json_w *j)
{
	json_open(j, '[');
}
void json_arr_end(struct json_w *j)
{
	json_close(j, ']');
}

void json_write_string(FILE *fp, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	fputc('"', fp);
	while (*p) {
		unsigned char c = *p;

		if (c >= 0x80) {
			/* a whole valid UTF-8 sequence as is; a bad one replaced */
			size_t n = fmt_utf8_len(p);

			if (n == 0) {
				fputs("\\ufffd", fp);
				p++;
			} else {
				fwrite(p, 1, n, fp);
				p += n;
			}
			continue;
		}
		switch (c) {
		case '"':
			fputs("\\\"", fp);
			break;
		case '\\':
			fputs("\\\\", fp);
			break;
		case '\n':
			fputs("\\n", fp);
			break;
		case '\r':
			fputs("\\r", fp);
			break;
		case '\t':
			fputs("\\t", fp);
			break;
		default:
			if (c < 0x20 || c == 0x7f)
				fprintf(fp, "\\u%04x", c);
			else
				fputc(c, fp);
		}
		p++;
	}
	fputc('"', fp);
}

void json_key(struct json_w *j, const char *key)
{
	json_pre(j);
	json_write_string(j->fp, key);
	fputs(j->pretty ? ": " : ":", j->fp);
	j->after_key = 1;
}

void json_str(struct json_w *j, const char *s)
{
	json_pre(j);
	json_write_string(j->fp, s);
}

void json_u64(struct json_w *j, uint64_t v)
{
	json_pre(j);
	fprintf(j->fp, "%" PRIu64, v);
}

void json_i64(struct json_w *j, int64_t v)
{
	json_pre(j);
	fprintf(j->fp, "%" PRId64, v);
}

void json_bool(struct json_w *j, int v)
{
	json_pre(j);
	fputs(v ? "true" : "false", j->fp);
}

void json_null(struct json_w *j)
{
	json_pre(j);
	fputs("null", j->fp);
}

void json_fixed(struct json_w *j, uint64_t v, int decimals)
{
	uint64_t div = 1;

	for (int i = 0; i < decimals; i++)
		div *= 10;
	json_pre(j);
	if (decimals <= 0)
		fprintf(j->fp, "%" PRIu64, v);
	else
		fprintf(j->fp, "%" PRIu64 ".%0*" PRIu64, v / div, decimals, v % div);
}

void json_end(struct json_w *j)
{
	fputc('\n', j->fp);
}
