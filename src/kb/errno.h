/* The errno knowledge base: every error name the C library defines, aliases
 * included, and for the errors socket calls return, what they mean for a TCP
 * connection and what to do about them. */
#ifndef TCPDOC_KB_ERRNO_H
#define TCPDOC_KB_ERRNO_H

#include <stddef.h>
#include <stdio.h>

struct kb_errno_name {
	const char *name;
	int num;
};

/* What a socket error means. The list fields hold words separated by single
 * spaces; `next` may be NULL, the others are never NULL. */
struct kb_errno_info {
	int num;
	const char *summary;  /* one line */
	const char *calls;    /* the calls that return it: "connect send" */
	const char *cause;    /* what happened on the wire or in the kernel */
	const char *after;    /* the TCP state of the socket afterwards */
	const char *action;   /* what to do */
	const char *states;   /* related states, canonical names: "SYN_SENT" */
	const char *topics;   /* related `tcpdoc explain` topics */
	const char *findings; /* related finding ids */
	const char *next;     /* a tcpdoc command to run next, or NULL */
};

/* Every errno name, in the order of <errno.h>; an alias (EWOULDBLOCK,
 * EDEADLOCK, ENOTSUP) has the number of the name it stands for. */
extern const struct kb_errno_name kb_errno_names[];
extern const size_t kb_errno_nnames;

/* The explained socket errors, by increasing number. */
extern const struct kb_errno_info kb_errno_infos[];
extern const size_t kb_errno_ninfos;

/* The number of a name in any case ("econnreset", "EWOULDBLOCK"); -1 if the
 * name is unknown. */
int kb_errno_by_name(const char *name);

/* The main name of a number: the first in <errno.h> order, so EAGAIN for 11,
 * never EWOULDBLOCK. NULL when the system has no such errno. */
const char *kb_errno_name(int num);

/* The aliases of num other than its main name, one after the other: call
 * with *pos = 0 first; returns NULL when there are no more. */
const char *kb_errno_alias(int num, size_t *pos);

/* The largest errno number the system knows. */
int kb_errno_max(void);

/* The C library's message for num ("Connection reset by peer"). */
const char *kb_errno_message(int num);

/* The explanation of a socket error; NULL for the other errors. */
const struct kb_errno_info *kb_errno_info(int num);

/* Read a command-line word: a name in any case, a number, or a negative
 * number as the kernel returns errors (-104). Returns 0 and sets *num;
 * -ENOENT for an unknown name, -ERANGE for a number the system does not have,
 * -EINVAL for a word that is neither a name nor a number. */
int kb_errno_parse(const char *s, int *num);

/* True when each of the n words occurs, ignoring case, somewhere in num's
 * names, its message or its explanation, or is num itself ("104", "-104").
 * No words match everything. */
int kb_errno_matches(int num, const char *const *words, int n);

/* The explanation of num for people, after the line with its name, number
 * and message: its aliases, then labelled paragraphs (summary, the calls
 * that return it, what happened, the state afterwards, what to do, related
 * states, topics and findings, a command to run next) wrapped to width
 * columns. For an error that is not a socket error, a note saying so. Labels
 * are bold when color is set. */
void kb_errno_write(FILE *fp, int num, int width, int color);

#endif
