// source.h — a Toy source file in memory, and the spans that point into it
// (compiler/front/source.c). Every stage that reports a position uses these;
// the syntax tree is one of them.
#ifndef LAB_SOURCE_H
#define LAB_SOURCE_H

#include <stdbool.h>
#include <stddef.h>

// A loaded source file. `text` is NUL-terminated (an embedded NUL byte in the
// file is a lexical error, so `len` is also strlen(text) for accepted files).
typedef struct Source {
  char *path;
  char *text;
  size_t len;
} Source;

// A region of the source. line and col are 1-based; col counts characters,
// as rustc's columns do (rt_utf8_chars: a UTF-8 sequence is one, a tab is
// one), while off and len count bytes.
typedef struct Span {
  int off;   // byte offset of the first byte
  int len;   // length in bytes (0 for an end-of-file position)
  int line;
  int col;
} Span;

// Reads a whole file. Returns NULL and sets errno when it cannot be read.
Source *source_read(const char *path);
// Wraps text already in memory (copied). `path` is what diagnostics print.
Source *source_from_string(const char *path, const char *text, size_t len);
void source_free(Source *src);
// Whether the text is a binary file rather than source: a known binary
// signature (ELF, UTF-16 …) or a NUL byte in its first SOURCE_SNIFF bytes.
// If so, writes what it looks like into why ("an ELF file") and returns true.
enum { SOURCE_SNIFF = 8192 };
bool source_is_binary(const Source *src, char *why, size_t n);

// The source text of span s for a message, into buf (size >= 4 bytes): its
// first line, ending in "…" where it is cut (at a newline, or where buf is
// full, on a character boundary). Returns buf.
const char *source_text(const Source *src, Span s, char *buf, size_t size);

// The span of the bytes [off, off + len), its line and col found by reading
// on from `from`, a span of the same source that starts at or before off.
Span source_span_after(const Source *src, Span from, int off, int len);

#endif
