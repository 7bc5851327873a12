// fuzz_vm.c — libFuzzer harness 3: interp mode end to end. A clean parse is
// compiled to bytecode and run by the VM with its output sent to /dev/null,
// under a step budget (LAB_FUZZ in vm/vm.c: DISPATCH counts down
// vm_fuzz_steps, and at zero the run ends with an error), so that no input
// can hang. Inputs that name a builtin touching the outside world (sleep,
// read_file, read_line) are skipped, and so are those that name `spawn`:
// an error in a spawned thread ends the process at once (_Exit(1), as
// docs/threads.md says), which in-process fuzzing cannot survive; threads
// are tested by tests/threads/ and `make test-tsan` instead. Allocations are capped by ASan's
// max_allocation_size_mb (set below): a larger request is a MemoryError.
// Afterwards the collector frees the program's garbage cycles and the object
// layer is reset, so LeakSanitizer checks every run. Built with -DLAB_FT
// (build/fuzz/fuzz_vm_ft) it runs the free-threaded VM with the GIL off:
// per-object locks, snapshots, biased counting, the stop-the-world collector.
#include "code.h"
#include "compile.h"
#include "gc.h"
#include "lf_common.h"
#include "object.h"
#include "vm.h"

extern long vm_fuzz_steps;

enum { STEP_BUDGET = 20000 };

const char *__asan_default_options(void);
const char *__asan_default_options(void) {
  return "allocator_may_return_null=1:max_allocation_size_mb=64";
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  if (!freopen("/dev/null", "w", stdout) || !freopen("/dev/null", "r", stdin)) abort();
  return 0;
}

static bool names_outside_world(const uint8_t *data, size_t len) {
  static const char *const words[] = {"sleep", "read_file", "read_line", "spawn"};
  for (size_t w = 0; w < sizeof words / sizeof *words; w++)
    for (size_t n = strlen(words[w]), i = 0; i + n <= len; i++)
      if (memcmp(data + i, words[w], n) == 0) return true;
  return false;
}

static void lf_one(const uint8_t *data, size_t len) {
  if (names_outside_world(data, len)) return;
  Source *src = source_from_string("fuzz.toy", (const char *)data, len);
  DiagSink sink;
  diag_init(&sink, src);
  Program *prog = parse_program(src, &sink);
  if (sink.count == 0) {
    VmOptions opts = VM_OPTIONS_DEFAULT;
    opts.recursion_limit = 200;
#ifdef LAB_FT
    opts.gil_off = true;
    opts.rc_mode = OBJ_RC_BIASED;
#endif
    vm_setup(&opts);
    BcProgram *bc = bc_compile(prog, &sink);
    if (bc) {
      vm_fuzz_steps = STEP_BUDGET;
      int status = vm_run(bc, &opts);
      lf_check(status == 0 || status == 1, "vm_run returned neither 0 nor 1");
      gc_collect(GC_NGENS - 1);
      bc_program_free(bc);
    }
    obj_finish();
  }
  lf_check_diags(&sink, len, false);
  diag_free(&sink);
  ast_free(prog);
  source_free(src);
}
