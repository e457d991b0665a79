/* The knowledge base behind `tcpdoc explain`: what each TCP state means and
 * the topics (handshake, teardown, TIME_WAIT, keepalive, ... and every
 * finding id). Text only: cmd_explain adds this host's live numbers. List
 * fields hold words separated by single spaces; empty lists are "". */
#ifndef TCPDOC_KB_H
#define TCPDOC_KB_H

#include <stddef.h>

struct kb_state {
	int state;		 /* TC_STATE_*, 1..13 (12 and 13 are kernel-internal) */
	const char *summary;	 /* one line */
	const char *side;	 /* which side is in it: client/active, server/passive, either */
	const char *into;	 /* the transitions into it and what triggers each */
	const char *out;	 /* the transitions out of it and what triggers each */
	const char *duration;	 /* how long a socket normally stays */
	const char *many;	 /* what many sockets here mean, the usual causes */
	const char *investigate; /* tcpdoc commands to run, one per line ("\n" between) */
	const char *sysctls;	 /* dotted names known to model/sysctl.c */
	const char *errnos;	 /* errno names */
	const char *findings;	 /* finding ids */
	const char *topics;	 /* other topics */
};

struct kb_section {
	const char *heading; /* NULL ends the list */
	const char *text;    /* paragraphs separated by "\n\n" */
	int verbatim;	     /* 1: keep line breaks and spacing (diagrams, code) */
};

#define KB_SECTIONS 10

struct kb_topic {
	const char *name; /* "time-wait", or a finding id such as "close-wait-leak" */
	const char *title;
	const char *summary; /* one line for the list of topics */
	struct kb_section sections[KB_SECTIONS];
	const char *sysctls;
	const char *errnos;
	const char *findings;
	const char *states; /* canonical state names */
	const char *topics;
};

extern const struct kb_state kb_states[];
extern const size_t kb_nstates;
extern const struct kb_topic kb_topics[];
extern const size_t kb_ntopics;

/* The entry of a state number (1..13), or NULL. */
const struct kb_state *kb_state(int state);
/* The topic of that name, or NULL. */
const struct kb_topic *kb_topic(const char *name);

#endif
