// fuzz_check.c — libFuzzer harness 2: native mode's checkers. A clean parse
// goes through the type checker, then (if well-typed) the ownership and
// borrow checker, and an accepted program through the C generator, as
// `lab emit-c` does. Diagnostics must keep their invariants (lf_common.h).
#include "borrowck.h"
#include "cgen.h"
#include "check.h"
#include "lf_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len) {
  Source *src = source_from_string("fuzz.toy", (const char *)data, len);
  DiagSink sink;
  diag_init(&sink, src);
  Program *prog = parse_program(src, &sink);
  if (sink.count == 0) {
    bool ok = ck_check(prog, &sink);
    ok = ok && bk_check(prog, &sink);
    lf_check(ok == (sink.count == 0), "checker's verdict and its diagnostics disagree");
    if (ok) {
      CgOptions cg = {.unchecked = (len & 2) != 0};
      char *c = cg_generate(prog, &cg);
      lf_check(c != NULL && strstr(c, "main") != NULL, "accepted program without generated C");
      free(c);
    }
  }
  lf_check_diags(&sink, len, (len & 1) != 0);
  diag_free(&sink);
  ast_free(prog);
  source_free(src);
  return 0;
}
