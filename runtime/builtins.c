// builtins.c — the tables of builtin functions, method names and methods
// (runtime/builtins.h), generated from their X-macros, and lookup by name
// for both front ends.
#include "builtins.h"
#include "suggest.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

const BuiltinInfo rt_builtins[BI_COUNT] = {
#define BUILTIN_INFO_ENTRY(name, lo, hi, sig) {#name, lo, hi, sig},
  BUILTINS(BUILTIN_INFO_ENTRY)
#undef BUILTIN_INFO_ENTRY
};

int rt_builtin_lookup(const char *name) {
  for (int i = 0; i < BI_COUNT; i++)
    if (strcmp(rt_builtins[i].name, name) == 0) return i;
  return -1;
}

const char *const rt_literal_names[] = {"true", "false", "None", NULL};

void rt_builtins_suggest(Suggest *s) {
  for (int i = 0; i < BI_COUNT; i++) suggest_try(s, rt_builtins[i].name);
}

static const char *const method_names[MT_COUNT] = {
#define METHOD_NAME_ENTRY(name) #name,
  METHOD_NAMES(METHOD_NAME_ENTRY)
#undef METHOD_NAME_ENTRY
};

int rt_method_lookup(const char *name) {
  for (int i = 0; i < MT_COUNT; i++)
    if (strcmp(method_names[i], name) == 0) return i;
  return -1;
}

const char *rt_method_name(int id) { return id >= 0 && id < MT_COUNT ? method_names[id] : "?"; }

// ---- the method table -------------------------------------------------------------------
static MethodInfo method_rows[] = {
#define METHOD_ROW(name, recv, sig) {.method = MT_##name, .receiver = recv, .signature = sig},
  METHODS(METHOD_ROW)
#undef METHOD_ROW
};
#define NROWS ((int)(sizeof method_rows / sizeof method_rows[0]))

const MethodInfo *rt_method_rows[RECV_COUNT][MT_COUNT];
_Atomic int rt_methods_ready;
static pthread_once_t rows_once = PTHREAD_ONCE_INIT;

static RecvKind recv_kind(const char *pattern) {
  switch (pattern[0]) {
  case '[': return RECV_LIST;
  case '{': return RECV_MAP;
  case '?': return RECV_OPTION;
  case 's': return RECV_STR;
  case 't': return RECV_THREAD;
  default: return RECV_ANY;
  }
}

// Copies the text up to the next `,` or `)` (the types here hold no commas:
// a map is `{K: V}`) into out, trimmed.
static const char *sig_part(const char *p, char *out) {
  while (*p == ' ') p++;
  int n = 0;
  while (*p && *p != ',' && *p != ')') {
    if (n < SIG_TYPE_MAX - 1) out[n++] = *p;
    p++;
  }
  out[n] = 0;
  return p;
}

void rt_sig_split(const char *signature, SigParts *out) {
  memset(out, 0, sizeof *out);
  const char *p = strchr(signature, '(');
  if (!p) return;
  p++;
  while (*p == ' ') p++;
  while (*p && *p != ')' && out->nparams < SIG_MAX_PARAMS) {
    p = sig_part(p, out->param[out->nparams++]);
    if (*p == ',') p++;
  }
  const char *arrow = strstr(p, "-> ");
  if (arrow) snprintf(out->ret, sizeof out->ret, "%s", arrow + 3);
}

// "fn(&mut self, int, T) -> ?T" → self 'm', args "int" "T", ret "?T".
static void parse_row(MethodInfo *r) {
  rt_sig_split(r->signature, &r->parts);
  const char *self = r->parts.param[0];
  r->self = strcmp(self, "self") == 0 ? 'v' : strcmp(self, "&mut self") == 0 ? 'm' : 'r';
  r->nargs = r->parts.nparams - 1;
  for (int i = 0; i < r->nargs; i++) {
    r->arg[i] = r->parts.param[i + 1];
    const char *t = r->arg[i] + (r->arg[i][0] == '&');
    r->arg_is[i] = strcmp(t, "int") == 0 ? 'i' : strcmp(t, "str") == 0 ? 's' : 0;
    r->typed |= r->arg_is[i] != 0;
  }
  r->ret = r->parts.ret;
  r->recv = recv_kind(r->receiver);
}

static void build_rows(void) {
  for (int i = 0; i < NROWS; i++) {
    parse_row(&method_rows[i]);
    const MethodInfo **slot = &rt_method_rows[method_rows[i].recv][method_rows[i].method];
    if (!*slot) *slot = &method_rows[i];
  }
  atomic_store_explicit(&rt_methods_ready, 1, memory_order_release);
}

void rt_methods_init(void) { pthread_once(&rows_once, build_rows); }

const char *rt_method_similar(RecvKind k, const char *name) {
  Suggest s;
  suggest_begin(&s, name);
  for (int i = 0; i < NROWS; i++) {
    RecvKind r = recv_kind(method_rows[i].receiver);
    if (r == k || r == RECV_ANY) suggest_try(&s, rt_method_name(method_rows[i].method));
  }
  return suggest_best(&s);
}

const char *rt_methods_of(RecvKind k, char *buf, int size) {
  int n = 0;
  buf[0] = 0;
  for (int i = 0; i < NROWS && n < size; i++)
    if (recv_kind(method_rows[i].receiver) == k)
      n += snprintf(buf + n, (size_t)(size - n), "%s%s", n ? ", " : "", rt_method_name(method_rows[i].method));
  return buf;
}
