// rterror.c — names and standard messages of the runtime errors both modes
// raise (runtime/rterror.h, docs/semantics.md "Runtime errors").
#include "rterror.h"

#include <inttypes.h>
#include <stdio.h>

static const char *const error_names[RT_ERROR_COUNT] = {
#define RT_NAME_ENTRY(kind, name, doc) name,
  RT_ERRORS(RT_NAME_ENTRY)
#undef RT_NAME_ENTRY
};

const char *rt_error_name(RtErrorKind k) {
  if ((unsigned)k >= RT_ERROR_COUNT) return "Error";
  return error_names[k];
}

const char *rt_msg_overflow(char *buf, const char *op) {
  snprintf(buf, 128, "attempt to %s with overflow", op);
  return buf;
}

const char *rt_msg_index(char *buf, int64_t index, int64_t len) {
  snprintf(buf, 128, "index out of bounds: the len is %" PRId64 " but the index is %" PRId64, len,
           index);
  return buf;
}
