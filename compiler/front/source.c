// source.c — loading Toy source text into a Source (see parser.h).
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

#include "parser.h"
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
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  size_t cap = 4096, len = 0;
  errno = 0;
  char *buf = rt_xmalloc(cap);
  for (;;) {
    if (len == cap) {
      if (cap >= (size_t)INT_MAX) {
        free(buf);
        fclose(f);
        errno = EFBIG;
        return NULL;
      }
      cap *= 2;
      buf = rt_xrealloc(buf, cap);
    }
    size_t n = fread(buf + len, 1, cap - len, f);
    len += n;
    if (n == 0) break;
  }
  int err = ferror(f) ? (errno ? errno : EIO) : 0;
  fclose(f);
  if (err) {
    free(buf);
    errno = err;
    return NULL;
  }
  Source *src = source_from_string(path, buf, len);
  int saved = errno;
  free(buf);
  errno = saved;
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
