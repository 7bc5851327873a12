// parser.h — Toy source text to syntax tree (SPEC §1–4).
#ifndef LAB_PARSER_H
#define LAB_PARSER_H

#include "ast.h"
#include "diag.h"
#include "source.h"

// Parses a whole program. Always returns a tree (partial when there were
// errors); every lexical and syntax error is reported into `sink` with
// recovery, so `sink->count == 0` means the program parsed cleanly.
// Also reports duplicate item names and a missing `fn main`.
Program *parse_program(Source *src, DiagSink *sink);

// Prints the tree in a readable indented form (debugging; `lab parse`).
void ast_dump(Program *p, FILE *out);

#endif
