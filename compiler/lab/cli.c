// cli.c — what the `lab` commands share (see cli.h).
#include "cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "format.h"
#include "suggest.h"

const char *cli_quote(const char *s, char *buf, size_t cap) {
  size_t n = strlen(s);
  if (n <= CLI_QUOTE_MAX) return s;
  snprintf(buf, cap, "%.*s… (%zu bytes)", (int)rt_utf8_floor(s, CLI_QUOTE_MAX), s, n);
  return buf;
}

int cli_usage_error(const char *cmd, const char *fmt, const char *arg) {
  char q[CLI_QUOTE_MAX + 64];
  fprintf(stderr, "lab: ");
  fprintf(stderr, fmt, arg ? cli_quote(arg, q, sizeof q) : arg);
  if (cmd) fprintf(stderr, "\n(see `lab %s --help`)\n", cmd);
  else fprintf(stderr, "\n(see `lab --help`)\n");
  return EXIT_USAGE;
}

const char *cli_guess(const Suggest *s, const char *prefix, char *buf, size_t size) {
  if (suggest_best(s)) snprintf(buf, size, " (did you mean `%s%s`?)", prefix, suggest_best(s));
  else buf[0] = '\0';
  return buf;
}

// Where the help first writes opt with its value (`--stats[=json]`,
// `--gil=on|off`): *len characters from the result; NULL if it takes none.
static const char *value_form(const char *help, const char *opt, int *len) {
  size_t n = strlen(opt), k = 0;
  const char *form = help;
  while ((form = strstr(form, opt)) && form[n] != '=' && form[n] != '[') form += n;
  if (!form) return NULL;
  int open = 0;  // a `[` in the form, not yet closed: `--stats[=json]]` ends at the first unmatched `]`
  while (form[k] && form[k] != ' ' && form[k] != '\n' && k < 40 && (form[k] != ']' || open > 0))
    open += (form[k] == '[') - (form[k] == ']'), k++;
  *len = (int)k;
  return form;
}

int cli_unknown_option(const CliIter *it, const char *help) {
  // The options the help names: `-x` or `--word-word`, each once.
  enum { MAX_OPTS = 64, OPT_LEN = 32 };
  char opts[MAX_OPTS][OPT_LEN];
  int n = 0;
  for (const char *p = help; *p && n < MAX_OPTS; p++) {
    if (*p != '-' || (p > help && p[-1] != ' ' && p[-1] != '[' && p[-1] != '|')) continue;
    size_t k = 1 + (p[1] == '-');
    while (p[k] && ((p[k] >= 'a' && p[k] <= 'z') || (p[k] >= '0' && p[k] <= '9') || (p[k] == '-' && p[k + 1] != '-')))
      k++;
    if (k < 2 + (p[1] == '-') || k >= OPT_LEN) continue;
    memcpy(opts[n], p, k);
    opts[n][k] = '\0';
    bool seen = false;
    for (int i = 0; i < n && !seen; i++) seen = strcmp(opts[i], opts[n]) == 0;
    n += !seen;
    p += k - 1;
  }
  char fmt[160];
  for (int i = 0; i < n; i++)
    if (strcmp(opts[i], it->name) == 0) {  // a known option, given a value it does not take
      int k;
      const char *form = value_form(help, opts[i], &k);
      if (form) snprintf(fmt, sizeof fmt, "`%%s`: `%.31s` does not take that value (`%.*s`)", opts[i], k, form);
      else snprintf(fmt, sizeof fmt, "`%%s`: `%.31s` takes no value", opts[i]);  // from the help: no %
      return cli_usage_error(it->cmd, fmt, it->arg);
    }
  // A name of one or two letters (`-x`) is a typo of too many to guess.
  Suggest s;
  suggest_begin(&s, it->name);
  if (strlen(it->name + strspn(it->name, "-")) >= 3)
    for (int i = 0; i < n; i++) suggest_try(&s, opts[i]);
  char guess[64];
  snprintf(fmt, sizeof fmt, "unknown option `%%s` for `lab %s`%s", it->cmd, cli_guess(&s, "", guess, sizeof guess));
  return cli_usage_error(it->cmd, fmt, it->arg);
}

CliIter cli_iter(int argc, char **argv, const char *cmd, const char *const *valued) {
  return (CliIter){.argc = argc, .argv = argv, .cmd = cmd, .valued = valued, .rest = argc};
}

bool cli_next(CliIter *it, const char **opt, const char **val) {
  if (it->i >= it->argc || it->status != EXIT_OK) return false;
  const char *a = it->arg = it->argv[it->i++];
  if (strcmp(a, "--") == 0) {
    it->rest = it->i;
    it->i = it->argc;
    return false;
  }
  if (a[0] == '\0') {  // `lab run ""`, `lab run $UNSET`: never a file or a name
    it->status = cli_usage_error(it->cmd, "%s", "an empty argument: a file or a name was expected here");
    return false;
  }
  if (a[0] != '-' || a[1] == '\0') {  // a positional argument ("-" too)
    *opt = NULL;
    *val = a;
    return true;
  }
  const char *eq = strchr(a, '=');
  size_t n = eq ? (size_t)(eq - a) : strlen(a);
  if (n >= sizeof it->name) n = sizeof it->name - 1;
  memcpy(it->name, a, n);
  it->name[n] = '\0';
  *opt = it->name;
  *val = eq ? eq + 1 : NULL;
  if (!eq)
    for (const char *const *v = it->valued; v && *v; v++)
      if (strcmp(*v, it->name) == 0) {
        if (it->i >= it->argc) {
          it->status = cli_usage_error(it->cmd, "`%s` needs a value", it->name);
          return false;
        }
        *val = it->argv[it->i++];
        break;
      }
  if (*val && !**val) {  // `-o ""`, `--svg=`: no option takes an empty value
    it->status = cli_usage_error(it->cmd, eq ? "`%s=` has nothing after `=`" : "`%s` needs a value, and it is empty", it->name);
    return false;
  }
  return true;
}

bool cli_want_help(int argc, char **argv) {
  for (int i = 0; i < argc; i++) {
    if (strcmp(argv[i], "--") == 0) return false;
    if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) return true;
  }
  return false;
}



int cli_int(const char *cmd, const char *opt, const char *v, long lo, long hi, int *out) {
  char *end;
  errno = 0;
  long n = strtol(v, &end, 10);
  if (errno || end == v || *end || n < lo || n > hi) {
    char msg[160];
    snprintf(msg, sizeof msg, "%s wants a number from %ld to %ld, not `%%s`", opt, lo, hi);
    return cli_usage_error(cmd, msg, v);
  }
  *out = (int)n;
  return EXIT_OK;
}

const char *cli_split_path(const char *path, char *dir, size_t size) {
  const char *slash = strrchr(path, '/');
  if (!slash) snprintf(dir, size, ".");
  else if (slash == path) snprintf(dir, size, "/");
  else if ((size_t)(slash - path) < size) snprintf(dir, size, "%.*s", (int)(slash - path), path);
  else return NULL;
  return slash ? slash + 1 : path;
}

int cli_output(const char *cmd, const char *path) {
  struct stat st;
  char dir[4096];
  bool ok;
  if (stat(path, &st) == 0) {
    ok = !S_ISDIR(st.st_mode) && access(path, W_OK) == 0;
    if (S_ISDIR(st.st_mode)) errno = EISDIR;
  } else {
    ok = errno == ENOENT && cli_split_path(path, dir, sizeof dir) && access(dir, W_OK | X_OK) == 0;
  }
  if (ok) return EXIT_OK;
  fprintf(stderr, "lab %s: cannot write %s: %s\n", cmd, path, strerror(errno));
  return EXIT_USAGE;
}

int cli_mode3(const char *cmd, const char *v) {
  if (strcmp(v, "interp") == 0 || strcmp(v, "native") == 0 || strcmp(v, "both") == 0) return EXIT_OK;
  return cli_usage_error(cmd, "unknown mode `%s` (interp, native or both)", v);
}
