// bigstack.h — runs a function on a thread with a large C stack.
//
// The compiler's passes are recursive: the parser bounds nesting (L0109) and
// operator chains (L0112), and every later pass walks the same depth. How
// much C stack one level takes differs by pass and build (about 0.4 KB
// optimized, 5 KB under AddressSanitizer), so whatever compiles source — the
// `lab` command and the fuzzing harnesses — runs on a stack that is known
// and large (reserved, not used, until touched) rather than on the main
// thread's 8 MB default. tests/robust/inputs.sh compiles the deepest
// accepted program in the release and sanitized builds.
#ifndef LAB_BIGSTACK_H
#define LAB_BIGSTACK_H

enum { BIGSTACK_SIZE = 256 << 20 };

// Calls fn(arg) on a thread with a BIGSTACK_SIZE stack and waits for it;
// where no such thread can be made, calls it on the current stack.
void bigstack_run(void (*fn)(void *), void *arg);

#endif
