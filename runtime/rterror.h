// rterror.h — the kinds of runtime error, shared by both modes (SPEC §5–7).
//
// Interp prints the last line of a traceback as `NAME: message`; native prints
// `panic at FILE:LINE:COL: NAME: message`. The messages for each situation
// are built by the rt_msg_* helpers below, so both modes word them alike.
#ifndef LAB_RTERROR_H
#define LAB_RTERROR_H

#include <stdint.h>

// RTERROR(kind, Python-style name, what it means)
#define RT_ERRORS(RTERROR)                                                     \
  RTERROR(RT_TYPE, "TypeError", "an operation applied to a value of the wrong type (interp only: native rejects it at compile time)") \
  RTERROR(RT_NAME, "NameError", "a name that is not defined (interp only)")                       \
  RTERROR(RT_ATTRIBUTE, "AttributeError", "no such method or field on this value (interp only)")  \
  RTERROR(RT_OVERFLOW, "OverflowError", "integer arithmetic or a shift went outside i64")         \
  RTERROR(RT_ZERO_DIV, "ZeroDivisionError", "integer division or remainder by zero")               \
  RTERROR(RT_INDEX, "IndexError", "a list or string index outside 0..len, or pop from an empty list") \
  RTERROR(RT_KEY, "KeyError", "m[k] on a key the map does not contain")                          \
  RTERROR(RT_VALUE, "ValueError", "a value of the right type but unusable: int(\"abc\"), unwrap() of None") \
  RTERROR(RT_ASSERT, "AssertionError", "assert(cond) with a false condition")                    \
  RTERROR(RT_PANIC, "Panic", "the program called panic(msg)")                                     \
  RTERROR(RT_RECURSION, "RecursionError", "calls nested deeper than the recursion limit")         \
  RTERROR(RT_OS, "OSError", "a file that cannot be read")                                        \
  RTERROR(RT_MEMORY, "MemoryError", "the machine ran out of memory")                              \
  RTERROR(RT_UNBOUND_LOCAL, "UnboundLocalError", "a local variable read before it is assigned (interp only)")

typedef enum {
#define RT_ENUM_ENTRY(kind, name, doc) kind,
  RT_ERRORS(RT_ENUM_ENTRY)
#undef RT_ENUM_ENTRY
  RT_ERROR_COUNT
} RtErrorKind;

const char *rt_error_name(RtErrorKind k);  // "TypeError"

// Standard messages (written into buf, which should hold 128 bytes):
//   rt_msg_overflow(buf, "add")   "attempt to add with overflow"
//   ("subtract", "multiply", "negate", "divide", "calculate the remainder",
//    "shift left", "shift right")
//   rt_msg_index(buf, 5, 3)       "index out of bounds: the len is 3 but the index is 5"
// Fixed messages:
#define RT_MSG_DIV_ZERO "attempt to divide by zero"
#define RT_MSG_REM_ZERO "attempt to calculate the remainder with a divisor of zero"
#define RT_MSG_UNWRAP_NONE "called unwrap() on a None value"
#define RT_MSG_ASSERT "assertion failed"
#define RT_MSG_POP_EMPTY "pop from empty list"
#define RT_MSG_RECURSION "maximum recursion depth exceeded"
#define RT_MSG_STDOUT "cannot write to stdout: "  // then strerror
// The default --recursion-limit of both modes: a call that would make more
// than this many calls active in one thread (its first function counts one)
// is RecursionError (docs/semantics.md, "Recursion").
#define RT_DEFAULT_RECURSION_LIMIT 10000
// How deep ==, ordering, clone, print and str() walk into a value, in both
// modes: each container entered counts one level (a list, map, tuple,
// struct, or Some), and entering one more than this is RecursionError with
// the messages below (docs/semantics.md, "Recursion").
#define RT_MAX_WALK_DEPTH 6000
// Python's wording for a walk over a value nested too deep (or a cycle):
// ==, <, contains, sort / print, str() / clone().
#define RT_MSG_RECURSION_CMP "maximum recursion depth exceeded in comparison"
#define RT_MSG_RECURSION_STR "maximum recursion depth exceeded while getting the str of an object"
#define RT_MSG_RECURSION_COPY "maximum recursion depth exceeded while copying"
#define RT_MSG_OOM "out of memory"
const char *rt_msg_overflow(char *buf, const char *op);
const char *rt_msg_index(char *buf, int64_t index, int64_t len);

#endif
