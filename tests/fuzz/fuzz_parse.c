// fuzz_parse.c — a small mutation fuzzer for the front end (lexer, parser,
// diagnostics renderer, AST dump) and the bytecode compiler. No libFuzzer needed: it generates inputs
// three ways — random bytes, random token soup, and byte-level mutations and
// splices of corpus files — parses each, renders its diagnostics and dumps
// its tree to /dev/null, compiles a clean parse to bytecode, and checks a few invariants (every span inside the
// text, a clean parse has a `main`). Run it under ASan/UBSan: a crash, a
// sanitizer report or a leak is a bug. Hangs are caught by an alarm.
//
// Build and run (from the repository root) for FUZZ_SECONDS, default 60:
//   make fuzz-parse FUZZ_SECONDS=300
// or by hand, after `make build/fuzz_parse`:
//   build/fuzz_parse -t 300 -s 1 tests/fuzz/corpus tests/syntax examples
//
// Options: -t SECONDS (default 60), -n MAX_EXECS, -s SEED, -o DIR (where a
// crashing or hanging input is written, default "."). On a crash the input is
// saved as DIR/fuzz-crash.toy (hang: DIR/fuzz-hang.toy); copy it into
// tests/fuzz/corpus/ as crash-NNN.toy once fixed. `-r FILE...` just parses the
// given files once (to replay a crash).
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ast.h"
#include "compile.h"
#include "diag.h"
#include "parser.h"

// ---- the current input, for the crash and hang handlers ----------------------------

static char *cur_buf;
static size_t cur_len;
static char crash_path[4096], hang_path[4096];

static void save_input(const char *path) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) return;
  size_t off = 0;
  while (off < cur_len) {
    ssize_t n = write(fd, cur_buf + off, cur_len - off);
    if (n <= 0) break;
    off += (size_t)n;
  }
  close(fd);
}

static void on_crash(void) { save_input(crash_path); }

static void on_signal(int sig) {
  save_input(sig == SIGALRM ? hang_path : crash_path);
  const char *msg = sig == SIGALRM ? "fuzz: hang, input saved\n" : "fuzz: crash, input saved\n";
  ssize_t r = write(2, msg, strlen(msg));
  (void)r;
  signal(sig, SIG_DFL);
  raise(sig);
}

// Registered when running under ASan: called before it exits on an error.
void __sanitizer_set_death_callback(void (*callback)(void)) __attribute__((weak));

// ---- randomness ---------------------------------------------------------------------------

static uint64_t rng_state = 88172645463325252ull;

static uint64_t rnd(void) {
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return rng_state;
}

static size_t below(size_t n) { return n ? (size_t)(rnd() % n) : 0; }

// ---- the corpus ---------------------------------------------------------------------------

typedef struct Input {
  char *data;
  size_t len;
} Input;

static Input *pool;
static size_t npool, cap_pool;

static void pool_add(const char *data, size_t len) {
  if (npool == cap_pool) {
    cap_pool = cap_pool ? cap_pool * 2 : 64;
    pool = realloc(pool, cap_pool * sizeof(Input));
    if (!pool) abort();
  }
  char *d = malloc(len + 1);
  if (!d) abort();
  memcpy(d, data, len);
  pool[npool++] = (Input){d, len};
}

static void load_path(const char *path) {
  struct stat st;
  if (stat(path, &st) != 0) return;
  if (S_ISDIR(st.st_mode)) {
    DIR *dir = opendir(path);
    if (!dir) return;
    struct dirent *e;
    while ((e = readdir(dir))) {
      if (e->d_name[0] == '.') continue;
      char sub[4096];
      snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
      size_t n = strlen(e->d_name);
      struct stat st2;
      if (stat(sub, &st2) == 0 && (S_ISDIR(st2.st_mode) || (n > 4 && strcmp(e->d_name + n - 4, ".toy") == 0)))
        load_path(sub);
    }
    closedir(dir);
    return;
  }
  Source *src = source_read(path);
  if (!src) return;
  if (src->len <= 64 * 1024) pool_add(src->text, src->len);
  source_free(src);
}

// ---- generators ---------------------------------------------------------------------------

static const char *const dict[] = {
    "fn", "let", "mut", "const", "struct", "enum", "if", "else", "while", "for", "in", "break",
    "continue", "return", "match", "spawn", "true", "false", "None", "Some", "main", "x", "y",
    "Point", "Status", "_", "int", "str", "thread", "print", "(", ")", "[", "]", "{", "}", ",",
    ";", ":", "::", ".", "..", "->", "=>", "?", "+", "-", "*", "/", "%", "&", "|", "^", "<<",
    ">>", "&&", "||", "!", "=", "==", "!=", "<", "<=", ">", ">=", "+=", "-=", "*=", "/=", "%=",
    "0", "1", "42", "1_000", "0xff", "0x", "1.5", "2.5e-3", "1e9", "9223372036854775807",
    "9223372036854775808", "99999999999999999999", "\"s\"", "\"a\\n\"", "\"\\q\"", "\"\\u{1F600}\"",
    "\"\\x80\"", "\"unterminated", "// c\n", "\n", " ", "\t", "\xff", "\xc3", "\xe2\x82\xac",
    "@", "`", "\\", "'", "t.0.1", "1..5", "&mut", "fn main() {", "}\n",
};

static size_t gen_bytes(char *buf, size_t max) {
  size_t n = below(max < 300 ? max : 300);
  for (size_t i = 0; i < n; i++) {
    unsigned r = (unsigned)below(100);
    buf[i] = r < 70 ? (char)(0x20 + below(95)) : r < 80 ? '\n' : (char)below(256);
  }
  return n;
}

static size_t put(char *buf, size_t len, size_t max, const char *s, size_t n) {
  if (len + n > max) n = max - len;
  memcpy(buf + len, s, n);
  return len + n;
}

static size_t gen_tokens(char *buf, size_t max) {
  size_t len = 0, count = below(200);
  if (below(2)) len = put(buf, len, max, "fn main() {\n", 12);
  for (size_t i = 0; i < count && len < max; i++) {
    const char *t = dict[below(sizeof dict / sizeof dict[0])];
    len = put(buf, len, max, t, strlen(t));
    if (below(3)) len = put(buf, len, max, " ", 1);
  }
  return len;
}

static size_t mutate(char *buf, size_t max) {
  if (npool == 0) return gen_tokens(buf, max);
  Input *in = &pool[below(npool)];
  size_t len = in->len < max ? in->len : max;
  memcpy(buf, in->data, len);
  size_t ops = 1 + below(8);
  for (size_t k = 0; k < ops; k++) {
    switch (below(8)) {
    case 0:  // flip a byte
      if (len) buf[below(len)] = (char)below(256);
      break;
    case 1: {  // insert a dictionary token
      const char *t = dict[below(sizeof dict / sizeof dict[0])];
      size_t n = strlen(t), at = below(len + 1);
      if (len + n > max) break;
      memmove(buf + at + n, buf + at, len - at);
      memcpy(buf + at, t, n);
      len += n;
      break;
    }
    case 2: {  // delete a range
      if (!len) break;
      size_t at = below(len), n = 1 + below(len - at < 32 ? len - at : 32);
      memmove(buf + at, buf + at + n, len - at - n);
      len -= n;
      break;
    }
    case 3: {  // duplicate a range
      if (!len) break;
      size_t at = below(len), n = 1 + below(len - at < 64 ? len - at : 64);
      if (len + n > max) break;
      memmove(buf + at + n, buf + at, len - at);
      len += n;
      break;
    }
    case 4: {  // splice in a range of another corpus input
      Input *o = &pool[below(npool)];
      if (!o->len) break;
      size_t from = below(o->len), n = 1 + below(o->len - from < 128 ? o->len - from : 128);
      size_t at = below(len + 1);
      if (len + n > max) break;
      memmove(buf + at + n, buf + at, len - at);
      memcpy(buf + at, o->data + from, n);
      len += n;
      break;
    }
    case 5:  // truncate
      len = below(len + 1);
      break;
    case 6: {  // swap two bytes
      if (len < 2) break;
      size_t a = below(len), b = below(len);
      char c = buf[a];
      buf[a] = buf[b];
      buf[b] = c;
      break;
    }
    default: {  // repeat one character many times (deep nesting)
      const char *opens = "([{-!&?";
      char c = opens[below(7)];
      size_t n = 1 + below(3000), at = below(len + 1);
      if (len + n > max) break;
      memmove(buf + at + n, buf + at, len - at);
      memset(buf + at, c, n);
      len += n;
      break;
    }
    }
  }
  return len;
}

// ---- one execution --------------------------------------------------------------------------

static FILE *devnull;

static void check(bool ok, const char *what) {
  if (ok) return;
  fprintf(stderr, "fuzz: invariant violated: %s\n", what);
  on_crash();
  abort();
}

static bool valid_utf8(const unsigned char *s, size_t n) {
  for (size_t i = 0; i < n;) {
    unsigned c = s[i];
    size_t k = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (k == 0 || i + k > n) return false;
    for (size_t j = 1; j < k; j++)
      if ((s[i + j] & 0xc0) != 0x80) return false;
    i += k;
  }
  return true;
}

static int run_one(const char *data, size_t len) {
  Source *src = source_from_string("fuzz.toy", data, len);
  DiagSink sink;
  diag_init(&sink, src);
  Program *prog = parse_program(src, &sink);
  for (int i = 0; i < sink.count; i++) {
    Diag *d = &sink.diags[i];
    check(d->code && d->msg && d->nlabels >= 1, "diagnostic without code/message/label");
    for (int j = 0; j < d->nlabels; j++) {
      Span s = d->labels[j].span;
      check(s.off >= 0 && s.len >= 0 && (size_t)s.off + (size_t)s.len <= len, "span outside the text");
      check(s.line >= 1 && s.col >= 1, "bad line/col");
    }
  }
  if (sink.count == 0) check(ast_find_fn(prog, "main") != NULL, "clean parse without main");
  ast_dump(prog, devnull);
  // A clean parse goes on through the bytecode compiler (not run: it may loop).
  if (sink.count == 0) {
    BcProgram *bc = bc_compile(prog, &sink);
    if (bc) {
      bc_disassemble(bc, devnull, NULL, true);
      bc_program_free(bc);
    }
  }
  // The rendered diagnostics must be valid UTF-8 whatever bytes the input holds.
  char *text = NULL;
  size_t tlen = 0;
  FILE *mem = open_memstream(&text, &tlen);
  if (!mem) abort();
  diag_render(&sink, mem, (len & 1) != 0);
  fclose(mem);
  check(valid_utf8((const unsigned char *)text, tlen), "diagnostics are not valid UTF-8");
  free(text);
  int n = sink.count;
  diag_free(&sink);
  ast_free(prog);
  source_free(src);
  return n;
}

int main(int argc, char **argv) {
  obj_init();  // constants of compiled code are objects
  double seconds = 60;
  long max_execs = -1;
  const char *outdir = ".";
  bool replay = false;
  int first_path = argc;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "-t") && i + 1 < argc) seconds = atof(argv[++i]);
    else if (!strcmp(argv[i], "-n") && i + 1 < argc) max_execs = atol(argv[++i]);
    else if (!strcmp(argv[i], "-s") && i + 1 < argc) rng_state = (uint64_t)atoll(argv[++i]) * 2654435761u + 1;
    else if (!strcmp(argv[i], "-o") && i + 1 < argc) outdir = argv[++i];
    else if (!strcmp(argv[i], "-r")) replay = true;
    else {
      first_path = i;
      break;
    }
  }
  devnull = fopen("/dev/null", "w");
  if (!devnull) return 1;
  snprintf(crash_path, sizeof crash_path, "%s/fuzz-crash.toy", outdir);
  snprintf(hang_path, sizeof hang_path, "%s/fuzz-hang.toy", outdir);
  if (__sanitizer_set_death_callback) __sanitizer_set_death_callback(on_crash);
  signal(SIGALRM, on_signal);
  signal(SIGSEGV, on_signal);
  signal(SIGBUS, on_signal);
  signal(SIGABRT, on_signal);

  for (int i = first_path; i < argc; i++) load_path(argv[i]);
  if (replay) {
    for (size_t i = 0; i < npool; i++) {
      cur_buf = pool[i].data;
      cur_len = pool[i].len;
      printf("%d errors\n", run_one(cur_buf, cur_len));
    }
    return 0;
  }
  fprintf(stderr, "fuzz: %zu corpus inputs, %.0f s\n", npool, seconds);

  size_t max = 96 * 1024;
  char *buf = malloc(max);
  if (!buf) return 1;
  cur_buf = buf;
  struct timespec t0, t;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  long execs = 0;
  size_t corpus_size = npool;
  for (;;) {
    if (max_execs >= 0 && execs >= max_execs) break;
    if ((execs & 255) == 0) {
      clock_gettime(CLOCK_MONOTONIC, &t);
      double el = (double)(t.tv_sec - t0.tv_sec) + (double)(t.tv_nsec - t0.tv_nsec) / 1e9;
      if (el >= seconds) break;
      if ((execs & 65535) == 0 && execs) fprintf(stderr, "fuzz: %ld execs, %.0f s\n", execs, el);
    }
    unsigned mode = (unsigned)below(10);
    size_t len = mode == 0 ? gen_bytes(buf, max) : mode <= 2 ? gen_tokens(buf, max) : mutate(buf, max);
    cur_len = len;
    alarm(10);
    int errs = run_one(buf, len);
    alarm(0);
    // Keep a few clean-parsing mutants: they make good seeds for deeper mutation.
    if (errs == 0 && npool < corpus_size + 500 && len < 4096) pool_add(buf, len);
    execs++;
  }
  fprintf(stderr, "fuzz: done, %ld execs, no crash\n", execs);
  for (size_t i = 0; i < npool; i++) free(pool[i].data);
  free(pool);
  free(buf);
  fclose(devnull);
  return 0;
}
