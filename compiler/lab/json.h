// json.h — the one JSON writer and reader of the lab command: what
// `--stats=json`, `compare --json`, `bench --json` and `grade` print and read.
#ifndef LAB_JSON_H
#define LAB_JSON_H

#include <stdbool.h>
#include <stdio.h>

#include "diag.h"

// s as a JSON string, quotes included: `"` and `\` escaped, newline, tab
// and carriage return as \n \t \r, other control bytes as \u00XX; bytes
// from 0x80 copied (the lab's texts are UTF-8).
void json_write_str(FILE *out, const char *s);

// The number at `key` — or at `outer.inner`, one level of nesting — in a
// one-object JSON text as `--stats=json` prints it (no string contains a
// quote). False if it is absent or not a number.
bool json_number(const char *json, const char *key, double *out);
// Where the value at `key` (or `outer.inner`) starts, or NULL.
const char *json_find(const char *json, const char *key);

// The diagnostics of a sink as a JSON array: each {"code", "message",
// "labels": [{"line", "col", "len", "text", "primary"}], "notes": [{"help",
// "text"}]} (`lab view`; docs/view.md). Spans are the source's, 1-based.
void json_write_diags(FILE *out, const DiagSink *sink);

#endif
