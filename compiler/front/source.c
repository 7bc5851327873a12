// source.c — loading Toy source text into a Source (source.h).
//
// The text is always NUL-terminated so the re2c lexer can use the NUL as its
// end sentinel; a NUL byte inside the file is reported by the lexer (L0104).
// Spans use int offsets, so files of 2 GiB or more are refused (EFBIG).
// A binary file (source_is_binary) is refused with one line by the `lab`
// command before the lexer sees it: lexed, it is an error per byte.
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "source.h"
#include "format.h"
#include "readall.h"
#include "xalloc.h"

Source *source_from_string(const char *path, const char *text, size_t len) {
  if (len >= INT_MAX) {
    errno = EFBIG;
    return NULL;
  }
  Source *src = rt_xmalloc(sizeof *src);
  src->path = rt_xstrdup(path);
  src->text = rt_xmalloc(len + 1);
  memcpy(src->text, text, len);
  src->text[len] = '\0';
  src->len = len;
  return src;
}

Source *source_read(const char *path) {
  char *buf;
  size_t len;
  int e = rt_read_path(path, INT_MAX - 1, &buf, &len);
  if (e) {
    errno = e;
    return NULL;
  }
  Source *src = rt_xmalloc(sizeof *src);  // the buffer is NUL-terminated already
  src->path = rt_xstrdup(path);
  src->text = buf;
  src->len = len;
  return src;
}

bool source_is_binary(const Source *src, char *why, size_t n) {
  static const struct {
    const char *magic;
    size_t len;
    const char *what;
  } sigs[] = {
      {"\x7f" "ELF", 4, "an ELF file: a compiled program or library"},
      {"\xff\xfe", 2, "UTF-16 text; Toy source must be UTF-8"},
      {"\xfe\xff", 2, "UTF-16 text; Toy source must be UTF-8"},
      {"\xcf\xfa\xed\xfe", 4, "a Mach-O file: a compiled program"},
      {"\x89PNG", 4, "a PNG image"},
      {"\x1f\x8b", 2, "a gzip archive"},
      {"PK\x03\x04", 4, "a zip archive"},
      {"%PDF-", 5, "a PDF document"},
  };
  for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
    if (src->len >= sigs[i].len && memcmp(src->text, sigs[i].magic, sigs[i].len) == 0) {
      snprintf(why, n, "%s", sigs[i].what);
      return true;
    }
  const char *nul = memchr(src->text, 0, src->len < SOURCE_SNIFF ? src->len : SOURCE_SNIFF);
  if (nul) {
    snprintf(why, n, "a NUL byte at offset %ld", (long)(nul - src->text));
    return true;
  }
  return false;
}

void source_free(Source *src) {
  if (!src) return;
  free(src->path);
  free(src->text);
  free(src);
}

Span source_span_after(const Source *src, Span from, int off, int len) {
  const char *text = src->text, *ls = text + from.off;  // from.col is the column of ls
  int line = from.line, col = from.col;
  for (const char *p = ls; p < text + off; p++)
    if (*p == '\n') line++, col = 1, ls = p + 1;
  return (Span){off, len, line, col + (int)rt_utf8_chars(ls, (size_t)(text + off - ls))};
}

const char *source_text(const Source *src, Span s, char *buf, size_t size) {
  size_t n = s.off >= 0 && s.len >= 0 && (size_t)s.off + (size_t)s.len <= src->len ? (size_t)s.len : 0;
  const char *t = src->text + (n ? s.off : 0);
  const char *nl = memchr(t, '\n', n);
  bool cut = nl != NULL;
  if (nl) n = (size_t)(nl - t);
  if (n > size - 4) {
    n = rt_utf8_floor(t, size - 4);
    cut = true;
  }
  memcpy(buf, t, n);
  strcpy(buf + n, cut ? "…" : "");
  return buf;
}
