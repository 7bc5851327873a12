// source.c — loading Toy source text into a Source (see parser.h).
//
// The text is always NUL-terminated so the re2c lexer can use the NUL as its
// end sentinel; a NUL byte inside the file is reported by the lexer (L0104).
// Spans use int offsets, so files of 2 GiB or more are refused (EFBIG).
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

void source_free(Source *src) {
  if (!src) return;
  free(src->path);
  free(src->text);
  free(src);
}
