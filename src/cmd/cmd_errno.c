/* tcpdoc errno: what a socket error means, when it happens, what to do. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "cmd/options.h"
#include "kb/errno.h"
#include "render/fmt.h"
#include "render/json.h"
#include "render/out.h"
#include "render/wrap.h"

const char cmd_errno_usage[] = "usage: tcpdoc errno [-l | -s [WORDS...] | NUMBER | NAME] [-H] "
			       "[--color WHEN] [-o table|json | --json]";

void cmd_errno_help(FILE *fp)
{
	fputs(
	    "usage: tcpdoc errno [OPTIONS] NUMBER|NAME\n"
	    "       tcpdoc errno -l\n"
	    "       tcpdoc errno -s [WORDS...]\n"
	    "\n"
	    "Explain an error number: its name, its number, the C library's message and,\n"
	    "for the errors socket calls return, which calls return it, what happened on\n"
	    "the wire or in the kernel, the TCP state the socket is left in, what to do,\n"
	    "and the related states, explain topics, findings and a command to run next.\n"
	    "NUMBER may be negative, as the kernel returns errors (-104); NAME is in any\n"
	    "case (ECONNRESET, econnreset, EWOULDBLOCK).\n"
	    "\n"
	    "  -l, --list            every errno the system knows, aliases included:\n"
	    "                        name, number, message\n"
	    "  -s, --search [WORDS]  the errors whose name, message or explanation holds\n"
	    "                        all the words (any case); without words, the socket\n"
	    "                        errors tcpdoc explains\n"
	    "\n"
	    "Output:\n"
	    "  -o, --format FMT      table (default) or json\n"
	    "      --json            the same as -o json\n"
	    "  -H, --no-header       no header line in tables\n"
	    "      --color WHEN      auto (default; off when NO_COLOR is set), always, never\n"
	    "  -h, --help            this help\n"
	    "  -V, --version         the version\n"
	    "\n"
	    "Explanations wrap to the terminal's width ($COLUMNS, or 80 on a pipe).\n"
	    "Exit status: 0 success, 1 unknown error name or number (or no match), 2 usage\n"
	    "error.\n"
	    "\n"
	    "Examples:\n"
	    "  tcpdoc errno 104                    what ECONNRESET means\n"
	    "  tcpdoc errno -110                   the same for ETIMEDOUT, as the kernel says it\n"
	    "  tcpdoc errno -s                     the socket errors in one list\n"
	    "  tcpdoc errno -s port                errors that mention ports\n"
	    "  tcpdoc errno -l | grep -w 11        every name for number 11\n",
	    fp);
}

enum errno_mode {
	MODE_ONE,
	MODE_LIST,
	MODE_SEARCH
};

struct errno_opts {
	struct tc_out out;
	int color;
	int mode;
	const char **args; /* the words after the options */
	int nargs;
};

/* The long and short options that take a value, as getopt_long reads them:
 * the word after one of these is a value, even when it looks like -104. */
static int takes_value(const char *arg)
{
	size_t n = strlen(arg);

	if (arg[0] != '-')
		return 0;
	if (arg[1] == '-')
		return n > 2 && !strchr(arg, '=') &&
		       (strncmp(arg, "--format", n) == 0 || strncmp(arg, "--color", n) == 0);
	/* a cluster of short options: -o takes the rest, or the next word */
	for (size_t i = 1; i < n; i++)
		if (arg[i] == 'o')
			return i == n - 1;
	return 0;
}

static int is_negative_number(const char *s)
{
	if (s[0] != '-' || s[1] < '0' || s[1] > '9')
		return 0;
	for (s++; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

static int errno_parse(int argc, char **argv, struct errno_opts *o, char **av, const char **neg,
		       struct tc_err *err)
{
	static const struct option longopts[] = {
	    {"list", no_argument, NULL, 'l'},
	    {"search", no_argument, NULL, 's'},
	    OUTPUT_LONGOPTS,
	    {NULL, 0, NULL, 0},
	};
	int ac = 0, nneg = 0, c, r;

	memset(o, 0, sizeof(*o));
	o->out.header = 1;
	/* getopt would read -104 as options -1 -0 -4: set negative numbers
	 * aside (up to a "--", and unless an option's value) as arguments. */
	for (int i = 0; i < argc; i++) {
		if (i > 0 && strcmp(argv[i], "--") == 0) {
			while (i < argc)
				av[ac++] = argv[i++];
			break;
		}
		if (i > 0 && is_negative_number(argv[i]) && !takes_value(argv[i - 1]))
			neg[nneg++] = argv[i];
		else
			av[ac++] = argv[i];
	}
	av[ac] = NULL;

	optind = 0; /* a full reset of GNU getopt, which permutes av */
	opterr = 0;
	while ((c = getopt_long(ac, av, ":ls" OUTPUT_SHORTOPTS, longopts, NULL)) != -1) {
		switch (c) {
		case 'l':
			if (o->mode == MODE_SEARCH)
				return tc_err_usage(err, "-l and -s do not go together");
			o->mode = MODE_LIST;
			break;
		case 's':
			if (o->mode == MODE_LIST)
				return tc_err_usage(err, "-l and -s do not go together");
			o->mode = MODE_SEARCH;
			break;
		default:
			r = output_option(c, optarg, &o->out, &o->color,
					  (1u << TC_FMT_TABLE) | (1u << TC_FMT_JSON), err);
			if (r < 0 || r == 'h' || r == 'V')
				return r;
			if (r == 0)
				return option_error(c, av, err);
			break;
		}
	}
	o->args = (const char **)av + optind;
	o->nargs = ac - optind;
	/* The negative numbers go after the others: only -s takes several
	 * words, and their order does not matter there. */
	for (int i = 0; i < nneg; i++)
		o->args[o->nargs++] = neg[i];

	if (o->mode == MODE_LIST && o->nargs > 0)
		return tc_err_usage(err, "-l lists every errno and takes no argument ('%.64s')",
				    o->args[0]);
	if (o->mode == MODE_ONE && o->nargs == 0)
		return tc_err_usage(err, "which errno? give a number or a name, or -l or -s");
	if (o->mode == MODE_ONE && o->nargs > 1)
		return tc_err_usage(err, "one errno at a time: unexpected argument '%.64s'",
				    o->args[1]);
	return 0;
}

/* ---- output ---- */

static const struct tc_col name_cols[] = {
    {"NAME", 15, 0},
    {"NUMBER", 6, 1},
    {"MESSAGE", 0, 0},
};
static const struct tc_col summary_cols[] = {
    {"NAME", 15, 0},
    {"NUMBER", 6, 1},
    {"SUMMARY", 0, 0},
};

static void row3(const struct tc_out *o, const struct tc_col *cols, const char *name, int num,
		 const char *text)
{
	char n[16];
	const char *cells[3] = {name, n, text};

	snprintf(n, sizeof(n), "%d", num);
	table_row(o, cols, 3, cells, NULL);
}

/* JSON array from a list of words separated by spaces. */
static void json_words(struct json_w *j, const char *words)
{
	char w[64];

	json_arr_begin(j);
	while (*words) {
		size_t n = strcspn(words, " ");

		if (n > 0 && n < sizeof(w)) {
			memcpy(w, words, n);
			w[n] = '\0';
			json_str(j, w);
		}
		words += n;
		words += strspn(words, " ");
	}
	json_arr_end(j);
}

static void json_aliases(struct json_w *j, int num)
{
	size_t pos = 0;
	const char *a;

	json_arr_begin(j);
	while ((a = kb_errno_alias(num, &pos)))
		json_str(j, a);
	json_arr_end(j);
}

static void show_table(const struct tc_out *o, int num)
{
	table_header(o, name_cols, 3);
	row3(o, name_cols, kb_errno_name(num), num, kb_errno_message(num));
	fputc('\n', o->fp);
	kb_errno_write(o->fp, num, wrap_width(o->fp), o->color);
}

static void show_json(const struct tc_out *o, int num)
{
	const struct kb_errno_info *in = kb_errno_info(num);
	struct json_w j;

	json_init(&j, o->fp, 0);
	json_obj_begin(&j);
	json_key(&j, "name");
	json_str(&j, kb_errno_name(num));
	json_key(&j, "number");
	json_i64(&j, num);
	json_key(&j, "aliases");
	json_aliases(&j, num);
	json_key(&j, "message");
	json_str(&j, kb_errno_message(num));
	json_key(&j, "socket");
	json_bool(&j, in != NULL);
	if (in) {
		json_key(&j, "summary");
		json_str(&j, in->summary);
		json_key(&j, "calls");
		json_words(&j, in->calls);
		json_key(&j, "cause");
		json_str(&j, in->cause);
		json_key(&j, "after");
		json_str(&j, in->after);
		json_key(&j, "action");
		json_str(&j, in->action);
		json_key(&j, "states");
		json_words(&j, in->states);
		json_key(&j, "topics");
		json_words(&j, in->topics);
		json_key(&j, "findings");
		json_words(&j, in->findings);
		json_key(&j, "next");
		if (in->next)
			json_str(&j, in->next);
		else
			json_null(&j);
	}
	json_obj_end(&j);
	json_end(&j);
}

static void list_all(const struct tc_out *o)
{
	struct json_w j;

	if (o->format == TC_FMT_JSON) {
		json_init(&j, o->fp, 0);
		json_obj_begin(&j);
		json_key(&j, "errnos");
		json_arr_begin(&j);
		j.break_depth = j.depth; /* one errno a line */
	} else {
		table_header(o, name_cols, 3);
	}
	for (size_t i = 0; i < kb_errno_nnames && !out_failed(o); i++) {
		const struct kb_errno_name *e = &kb_errno_names[i];
		const char *main = kb_errno_name(e->num);

		if (o->format != TC_FMT_JSON) {
			row3(o, name_cols, e->name, e->num, kb_errno_message(e->num));
			continue;
		}
		json_obj_begin(&j);
		json_key(&j, "name");
		json_str(&j, e->name);
		json_key(&j, "number");
		json_i64(&j, e->num);
		json_key(&j, "message");
		json_str(&j, kb_errno_message(e->num));
		if (main != e->name) {
			json_key(&j, "alias_of");
			json_str(&j, main);
		}
		json_obj_end(&j);
	}
	if (o->format == TC_FMT_JSON) {
		j.break_depth = 0;
		json_arr_end(&j);
		json_obj_end(&j);
		json_end(&j);
	}
}

/* Whether -s shows num: the socket errors without words, else the errors
 * matching every word. */
static int selected(int num, const char *const *words, int n)
{
	if (!kb_errno_name(num))
		return 0;
	return n ? kb_errno_matches(num, words, n) : kb_errno_info(num) != NULL;
}

/* Each number once, under its main name. */
static int search(const struct tc_out *o, const char *const *words, int n, struct tc_err *err)
{
	int max = kb_errno_max(), found = 0;
	struct json_w j;

	for (int num = 1; num <= max && !found; num++)
		found = selected(num, words, n);
	if (!found) {
		char q[128] = "", esc[256];
		size_t len = 0;

		for (int i = 0; i < n && len < sizeof(q) - 1; i++)
			len += (size_t)snprintf(q + len, sizeof(q) - len, "%s%s", i ? " " : "",
						words[i]);
		fmt_escape(esc, sizeof(esc), q);
		return tc_err_set(err, ENOENT, "no errno matches '%.96s'", esc);
	}

	if (o->format == TC_FMT_JSON) {
		json_init(&j, o->fp, 0);
		json_obj_begin(&j);
		json_key(&j, "query");
		json_arr_begin(&j);
		for (int i = 0; i < n; i++)
			json_str(&j, words[i]);
		json_arr_end(&j);
		json_key(&j, "errnos");
		json_arr_begin(&j);
		j.break_depth = j.depth;
	} else {
		table_header(o, summary_cols, 3);
	}
	for (int num = 1; num <= max && !out_failed(o); num++) {
		const struct kb_errno_info *in = kb_errno_info(num);

		if (!selected(num, words, n))
			continue;
		if (o->format != TC_FMT_JSON) {
			row3(o, summary_cols, kb_errno_name(num), num,
			     in ? in->summary : kb_errno_message(num));
			continue;
		}
		json_obj_begin(&j);
		json_key(&j, "name");
		json_str(&j, kb_errno_name(num));
		json_key(&j, "number");
		json_i64(&j, num);
		json_key(&j, "message");
		json_str(&j, kb_errno_message(num));
		json_key(&j, "socket");
		json_bool(&j, in != NULL);
		json_key(&j, "summary");
		if (in)
			json_str(&j, in->summary);
		else
			json_null(&j);
		json_obj_end(&j);
	}
	if (o->format == TC_FMT_JSON) {
		j.break_depth = 0;
		json_arr_end(&j);
		json_obj_end(&j);
		json_end(&j);
	}
	return 0;
}

static int lookup(const char *arg, int *num, struct tc_err *err)
{
	char esc[256];
	int r = arg[0] ? kb_errno_parse(arg, num) : -EINVAL;

	if (r == 0)
		return 0;
	fmt_escape(esc, sizeof(esc), arg);
	if (r == -ENOENT)
		return tc_err_set(err, ENOENT,
				  "unknown errno name '%.64s' (tcpdoc errno -l lists them)", esc);
	if (r == -ERANGE)
		return tc_err_set(err, ERANGE, "no errno %.64s on this system (numbers go to %d)",
				  esc, kb_errno_max());
	return tc_err_set(err, EINVAL, "'%.64s' is neither an errno number nor a name", esc);
}

int cmd_errno(int argc, char **argv, struct tc_err *err)
{
	struct errno_opts o;
	char **av = calloc((size_t)argc + 1, sizeof(*av));
	const char **neg = calloc((size_t)argc + 1, sizeof(*neg));
	int r, num;

	if (!av || !neg) {
		free(av);
		free(neg);
		return tc_err_set(err, ENOMEM, "out of memory");
	}
	r = errno_parse(argc, argv, &o, av, neg, err);
	if (cmd_help_version(r, cmd_errno_help, stdout)) {
		r = 0;
	} else if (r == 0) {
		out_setup(&o.out, stdout, o.color);
		if (o.mode == MODE_LIST) {
			list_all(&o.out);
		} else if (o.mode == MODE_SEARCH) {
			r = search(&o.out, o.args, o.nargs, err);
		} else {
			r = lookup(o.args[0], &num, err);
			if (r == 0 && o.out.format == TC_FMT_JSON)
				show_json(&o.out, num);
			else if (r == 0)
				show_table(&o.out, num);
		}
	}
	free(av);
	free(neg);
	return r;
}
