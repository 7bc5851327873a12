// convert.h — the conversion rules of the builtins int() and float()
// (SPEC §5, docs/semantics.md "Builtins"), shared by both modes: interp's
// vm/builtin_fns.c and native's runtime/native/rt_builtins.c call these and
// only build their own error values around the results.
#ifndef LAB_CONVERT_H
#define LAB_CONVERT_H

#include <stdbool.h>
#include <stdint.h>

#include "format.h"

// Prefixes of the ValueErrors; the string follows quoted as inside a
// container (rt_fmt_str_quoted): invalid literal for int(): "abc".
#define RT_MSG_INT_LITERAL "invalid literal for int(): "
#define RT_MSG_FLOAT_LITERAL "could not convert string to float: "

// int(s): optional ASCII whitespace around, a sign, decimal digits with
// single `_` between digits (Python's int()); the value must fit in i64.
// false when s[0..n) is not such a literal.
bool rt_parse_int(const char *s, int64_t n, int64_t *out);

// float(s): Python's float() literals, with ASCII whitespace around: a sign,
// then digits with an optional `.` and exponent (`1.5`, `.5`, `5.`,
// `1e-3`, `1_000.5`: single `_` between digits), or `inf`, `infinity`,
// `nan` in any case; no hex. Rounded as strtod rounds. false otherwise.
bool rt_parse_float(const char *s, int64_t n, double *out);

// int(f): truncates toward zero; false for NaN, ±inf and values outside i64.
bool rt_float_to_int(double f, int64_t *out);
// The message of that ValueError: "cannot convert float inf to int".
void rt_msg_float_to_int(RtBuf *b, double f);

#endif
