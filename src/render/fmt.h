/* Formatting helpers shared by the renderers: addresses, endpoints,
 * durations, and escaping of text from the outside world. */
#ifndef TCPDOC_FMT_H
#define TCPDOC_FMT_H

#include <stddef.h>
#include <stdint.h>

/* "10.0.0.1" or "::1" (v4-mapped stays "::ffff:127.0.0.1", as the kernel has it),
 * the same text as inet_ntop's, written without printf: the list prints two
 * per socket. fmt_ip needs FMT_IP_MAX bytes (INET6_ADDRSTRLEN) and returns
 * the length; fmt_addr writes "?" when size is too small. */
#define FMT_IP_MAX 46
size_t fmt_ip(char *buf, int family, const uint8_t *addr);
void fmt_addr(char *buf, size_t size, int family, const uint8_t *addr);
/* "10.0.0.1:22", "[::1]:7800"; port 0 prints as "*" when star is set (a peer
 * that is not there, as ss shows it). */
void fmt_endpoint(char *buf, size_t size, int family, const uint8_t *addr, uint16_t port, int star);
/* v in decimal into buf (at least 21 bytes); returns its length. */
size_t fmt_u64(char *buf, uint64_t v);
/* Human duration from milliseconds: "350ms", "4.2s", "59s", "2m05s", "2h11m", "3d04h". */
void fmt_duration_ms(char *buf, size_t size, uint64_t ms);
/* Length of the valid UTF-8 sequence at s (1..4; 1 for ASCII), or 0 when it
 * is invalid (bad lead byte, cut short, overlong, surrogate, past U+10FFFF). */
size_t fmt_utf8_len(const unsigned char *s);
/* Copy s into buf with control characters, DEL and invalid UTF-8 shown as
 * \xHH, and backslashes doubled, so it cannot act on a terminal. */
void fmt_escape(char *buf, size_t size, const char *s);
/* The same with backslashes left as they are: for text whose parts may be
 * escaped already (error messages). */
void fmt_escape_controls(char *buf, size_t size, const char *s);

/* A Prometheus label value: backslash, double quote and newline escaped;
 * other control characters dropped. */
void fmt_prom_label(char *buf, size_t size, const char *s);

#endif
