// parser.h — Toy source text to syntax tree (SPEC §1–4).
#ifndef LAB_PARSER_H
#define LAB_PARSER_H

#include "ast.h"
#include "diag.h"

// Reads a whole file. Returns NULL and sets errno when it cannot be read.
Source *source_read(const char *path);
// Wraps text already in memory (copied). `path` is what diagnostics print.
Source *source_from_string(const char *path, const char *text, size_t len);
void source_free(Source *src);
// Whether the text is a binary file rather than source: a known binary
// signature (ELF, UTF-16 …) or a NUL byte in its first SOURCE_SNIFF bytes.
// If so, writes what it looks like into why ("an ELF file") and returns true.
enum { SOURCE_SNIFF = 8192 };
bool source_is_binary(const Source *src, char *why, size_t n);

// Parses a whole program. Always returns a tree (partial when there were
// errors); every lexical and syntax error is reported into `sink` with
// recovery, so `sink->count == 0` means the program parsed cleanly.
// Also reports duplicate item names and a missing `fn main`.
Program *parse_program(Source *src, DiagSink *sink);

// Prints the tree in a readable indented form (debugging; `lab parse`).
void ast_dump(Program *p, FILE *out);

#endif
