// json.c — see json.h.
#include "json.h"

#include <stdlib.h>
#include <string.h>

#include "format.h"

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

void json_write_diags(FILE *out, const DiagSink *sink) {
  fputc('[', out);
  for (int i = 0; i < sink->count; i++) {
    const Diag *d = &sink->diags[i];
    fprintf(out, "%s\n {\"code\": ", i ? "," : "");
    if (d->code) json_write_str(out, d->code);
    else fputs("null", out);
    fputs(", \"message\": ", out);
    json_write_str(out, d->msg ? d->msg : "");
    fputs(", \"labels\": [", out);
    for (int k = 0; k < d->nlabels; k++) {
      const DiagLabel *l = &d->labels[k];
      Span sp = l->span;  // col and len in characters, as a page's text counts them
      int len = sp.len;
      if (sink->src && sp.off >= 0 && sp.len >= 0 && (size_t)sp.off + (size_t)sp.len <= sink->src->len)
        len = (int)rt_utf8_chars(sink->src->text + sp.off, (size_t)sp.len);
      fprintf(out, "%s{\"line\": %d, \"col\": %d, \"len\": %d, \"primary\": %s, \"text\": ", k ? ", " : "",
              sp.line, sp.col, len, l->primary ? "true" : "false");
      json_write_str(out, l->msg ? l->msg : "");
      fputc('}', out);
    }
    fputs("], \"notes\": [", out);
    for (int k = 0; k < d->nnotes; k++) {
      fprintf(out, "%s{\"help\": %s, \"text\": ", k ? ", " : "", d->note_is_help[k] ? "true" : "false");
      json_write_str(out, d->notes[k]);
      fputc('}', out);
    }
    fputs("]}", out);
  }
  fputs(sink->count ? "\n]" : "]", out);
}
