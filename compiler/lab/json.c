// json.c — see json.h.
#include "json.h"

#include <stdlib.h>
#include <string.h>

void json_write_str(FILE *out, const char *s) {
  putc('"', out);
  for (; *s; s++) {
    unsigned char ch = (unsigned char)*s;
    if (ch == '"' || ch == '\\') fprintf(out, "\\%c", ch);
    else if (ch == '\n') fputs("\\n", out);
    else if (ch == '\t') fputs("\\t", out);
    else if (ch == '\r') fputs("\\r", out);
    else if (ch < 0x20) fprintf(out, "\\u%04x", ch);
    else putc(ch, out);
  }
  putc('"', out);
}

// Where the value of `"key":` starts within [json, end), or NULL.
static const char *find_key(const char *json, const char *end, const char *key, size_t klen) {
  for (const char *p = json; (p = strchr(p, '"')) != NULL && p < end; p++) {
    if (strncmp(p + 1, key, klen) == 0 && p[1 + klen] == '"' && p[2 + klen] == ':') {
      const char *v = p + 3 + klen;
      while (*v == ' ') v++;
      return v < end ? v : NULL;
    }
  }
  return NULL;
}

const char *json_find(const char *json, const char *key) {
  if (!json) return NULL;
  const char *end = json + strlen(json);
  const char *dot = strchr(key, '.');
  if (!dot) return find_key(json, end, key, strlen(key));
  const char *obj = find_key(json, end, key, (size_t)(dot - key));
  if (!obj || *obj != '{') return NULL;
  const char *close = strchr(obj, '}');
  return find_key(obj, close ? close : end, dot + 1, strlen(dot + 1));
}

bool json_number(const char *json, const char *key, double *out) {
  const char *p = json_find(json, key);
  if (!p) return false;
  char *end;
  double d = strtod(p, &end);
  if (end == p) return false;
  *out = d;
  return true;
}
