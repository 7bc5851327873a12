// format.h — the one set of formatting routines both modes print with
// (SPEC §5 "Printing"). Interp walks its objects and native walks its
// unboxed values, but every leaf — an int, a float, a quoted string — is
// written by these functions, so the two modes cannot disagree.
#ifndef LAB_FORMAT_H
#define LAB_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

// A growable byte buffer — the lab's one: the VM's printing, the native
// runtime's, the C generator's text, the lexer's string literals. When it
// cannot grow, it sets `oom` and ignores that append and every later one
// (data stays a valid, shorter text), so a caller checks `oom` once at the
// end and reports a MemoryError (or, the compiler, stops: rtbuf_oom_count).
typedef struct RtBuf {
  char *data;   // NUL-terminated after every append (NULL while empty)
  size_t len;
  size_t cap;
  bool oom;     // an append failed for want of memory
} RtBuf;

// Every append that failed for want of memory, in any buffer, counted once
// per buffer: a caller that cannot report a MemoryError (the compiler)
// compares it before and after and stops if it moved, so that no text it
// made is silently short.
long rtbuf_oom_count(void);

void rtbuf_init(RtBuf *b);
void rtbuf_free(RtBuf *b);
void rtbuf_putc(RtBuf *b, char c);
void rtbuf_put(RtBuf *b, const char *s, size_t n);
void rtbuf_puts(RtBuf *b, const char *s);
void rtbuf_printf(RtBuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

// Decimal integer.
void rt_fmt_int(RtBuf *b, int64_t v);
// A float as Python's repr(): the shortest string that reads back as the same
// double; exponent form when the exponent is < -4 or >= 16 (1e+16, 1e-05);
// always a `.0` otherwise (1.0, 100.0); inf, -inf, nan; -0.0.
void rt_fmt_float(RtBuf *b, double v);
// A string inside a container: "..." with \n \t \r \\ \" \0 escaped, other
// control bytes and invalid UTF-8 as \xHH; valid UTF-8 copied as is.
void rt_fmt_str_quoted(RtBuf *b, const char *s, size_t n);

// UTF-8 as Rust's str reads it (overlong forms, surrogates and code points
// above U+10FFFF are not valid): the length of the valid sequence at s (n
// bytes available), or 0 if the bytes there are not one.
size_t rt_utf8_len(const unsigned char *s, size_t n);
// The characters s[0..n) holds, a byte that is not valid UTF-8 counting as
// one (the diagnostics show it as one U+FFFD): the columns of source text.
size_t rt_utf8_chars(const char *s, size_t n);
// i moved back to the first byte of the character it falls in: cutting s at
// the result keeps whole characters.
size_t rt_utf8_floor(const char *s, size_t i);

#endif
