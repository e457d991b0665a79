/* The cookies of the last sockets a dump reported, to drop a socket the
 * kernel reports twice: a dump is read in batches, and the kernel resumes
 * each batch at a position in a hash bucket, so a socket added to or moved
 * within that bucket meanwhile is reported again. A repeat is never far
 * behind its first report (one batch at most), so a small ring remembers
 * enough, and memory stays the same whatever the number of sockets. */
#ifndef TCPDOC_SEEN_H
#define TCPDOC_SEEN_H

#include <stdint.h>

#define TC_SEEN_RING 512     /* cookies remembered: far more than one batch holds */
#define TC_SEEN_BUCKETS 1024 /* a power of two */
#define TC_SEEN_NIL 0xffffu

struct tc_seen {
	uint64_t cookie[TC_SEEN_RING];
	uint16_t next[TC_SEEN_RING];	/* chain of a bucket, TC_SEEN_NIL ends it */
	uint16_t head[TC_SEEN_BUCKETS]; /* first slot of each bucket's chain */
	unsigned pos;			/* the slot the next cookie goes in */
	unsigned n;			/* slots in use */
};

/* Forget every cookie. */
void seen_reset(struct tc_seen *s);

/* 1 when cookie is one of the last TC_SEEN_RING cookies passed here (a
 * repeat: skip the socket); otherwise remember it and return 0. Cookie 0
 * (none reported) is never a repeat. */
int seen_repeat(struct tc_seen *s, uint64_t cookie);

#endif
