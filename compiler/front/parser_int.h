// parser_int.h — what the parser's two files share (parser.c: tokens,
// errors, statements and items; parser_expr.c: types, expressions and
// patterns). Private to compiler/front/parser*.c; parser.h is the interface.
// parser.c's opening comment says how errors recover and what bounds the
// nesting (MAX_DEPTH, MAX_CHAIN).
#ifndef LAB_PARSER_INT_H
#define LAB_PARSER_INT_H

#include <stdlib.h>
#include <string.h>

#include "lexer.h"
#include "parser.h"

#define MAX_DEPTH 1000
#define MAX_CHAIN 2000

typedef struct Parser {
  Lexer lx;
  Source *src;
  DiagSink *sink;
  DiagSink trash;     // errors discarded while panicking land here
  Program *prog;
  Token look[4];      // look[0] is the current token
  bool lex_err[4];    // the lexer reported an error just before look[i]
  int nlook;
  Span prev;          // the last consumed token
  TokenKind prev_kind;
  bool panicking;
  bool no_struct;     // in an `if`/`while`/`match`/`for` head: no struct or map literals
  int depth;          // nesting levels (MAX_DEPTH)
  int else_ifs;       // how many of them are `else if`s
  bool too_deep;      // L0109 reported, and depth not yet back to 0
  int loops;          // enclosing `while`/`for` bodies: `break` needs one
  int braces;         // `{` consumed minus `}` consumed
  int unclosed;       // index in sink of the "unclosed delimiter" error, or -1
  Span odd_open;      // in this item, the first block whose `}` is indented
  Span odd_close;     //   unlike the line of its `{` (len 0: none), and that `}`
  bool eof_reported;  // an error already said "found end of file": one is enough
} Parser;

// ---- tokens (inline: the parser's hot path) ----------------------------------------

static inline Token *peek(Parser *p, int i) {
  while (p->nlook <= i) {
    int before = p->sink->total;
    p->look[p->nlook] = lex_next(&p->lx);
    p->lex_err[p->nlook++] = p->sink->total != before;
  }
  return &p->look[i];
}

static inline TokenKind kind(Parser *p) { return peek(p, 0)->kind; }
static inline bool at(Parser *p, TokenKind k) { return kind(p) == k; }

static inline void advance(Parser *p) {
  Token *t = peek(p, 0);
  if (t->kind == TK_EOF) return;
  if (t->kind == TK_LBRACE) p->braces++;
  if (t->kind == TK_RBRACE) p->braces--;
  p->prev = t->span;
  p->prev_kind = t->kind;
  free(t->sval);
  memmove(&p->look[0], &p->look[1], (size_t)(p->nlook - 1) * sizeof(Token));
  memmove(&p->lex_err[0], &p->lex_err[1], (size_t)(p->nlook - 1) * sizeof(bool));
  p->nlook--;
}

static inline bool accept(Parser *p, TokenKind k) {
  if (!at(p, k)) return false;
  advance(p);
  return true;
}

// From a to the end of b (or of a, if that is later).
static inline Span span_to(Span a, Span b) {
  int end = b.off + b.len;
  if (end < a.off + a.len) end = a.off + a.len;
  a.len = end - a.off;
  return a;
}

// From `a` to the end of the last consumed token.
static inline Span span_prev(Parser *p, Span a) { return span_to(a, p->prev); }

// A growable array built in malloc'd memory and moved into the arena when done.
typedef struct Vec {
  char *data;
  int n, cap;
  size_t elem;
} Vec;

#define VEC(T) {NULL, 0, 0, sizeof(T)}

// ---- parser.c ------------------------------------------------------------------------

char *ps_tok_text(Parser *p, Token *t);                // the token's text, in the arena
bool ps_at_word(Parser *p, int i, const char *w);      // is token i the identifier w?
// Reports without panicking: the parse position is still sane.
Diag *ps_error_at(Parser *p, const char *code, Span sp, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
// "expected WHAT, found TOKEN", `label` under the caret; panics.
Diag *ps_fail_expected(Parser *p, const char *what, const char *label, bool closer);
bool ps_expect(Parser *p, TokenKind k);                // consumes a `k` or reports it missing
void ps_fail_list(Parser *p, TokenKind close);         // "expected one of `,` or `)`"
bool ps_enter(Parser *p);                              // one nesting level more (L0109 past MAX_DEPTH)
void ps_leave(Parser *p);
bool ps_chain_too_deep(Parser *p, int len);            // L0112 past MAX_CHAIN
Node *ps_new_node(Parser *p, NodeKind k, Span sp);
void ps_vec_push(Vec *v, const void *x);
void *ps_vec_done(Parser *p, Vec *v, int *n);          // moves v into the arena; *n its length
Node *ps_dummy(Parser *p);                             // a placeholder where parsing failed
Node *ps_parse_block(Parser *p);

// ---- parser_expr.c -----------------------------------------------------------------

TypeExpr *ps_parse_type(Parser *p);
// An expression, with struct and map literals allowed or not (an `if`,
// `while`, `match` or `for` head).
Node *ps_parse_expr_ctx(Parser *p, bool no_struct);
Pattern *ps_parse_pattern(Parser *p);

#endif
