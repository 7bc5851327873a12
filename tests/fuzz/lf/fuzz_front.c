// fuzz_front.c — libFuzzer harness 1: the lexer and parser, the diagnostics
// renderer and the AST dump. `make fuzz` builds it with
// clang -fsanitize=fuzzer,address,undefined (docs/reliability.md).
#include "lf_common.h"

static void lf_one(const uint8_t *data, size_t len) {
  Source *src = source_from_string("fuzz.toy", (const char *)data, len);
  DiagSink sink;
  diag_init(&sink, src);
  Program *prog = parse_program(src, &sink);
  lf_check_diags(&sink, len, (len & 1) != 0);
  if (sink.count == 0) lf_check(ast_find_fn(prog, "main") != NULL, "clean parse without main");
  ast_dump(prog, lf_devnull());
  diag_free(&sink);
  ast_free(prog);
  source_free(src);
}
