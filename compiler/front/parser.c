// parser.c — recursive-descent parser from tokens to the syntax tree
// (SPEC §3–4; grammar rules above each function, chibicc style): the token
// stream, errors and their recovery, statements and items. Types,
// expressions and patterns are in parser_expr.c; parser_int.h is what the
// two share.
//
// Error recovery. The first error in a statement is reported and puts the
// parser in "panic" mode: further errors are discarded until the statement
// (or match arm, or item) is resynchronized — skipping to a `;` or `}` at the
// brace depth of the enclosing block, to a statement keyword, or to an item
// keyword. Errors that leave the parse position sane (L0103, L0105, L0106)
// are reported without panicking. So five broken statements give five
// errors and one broken statement gives one.
//
// Nesting: every construct that recurses (blocks, parenthesized and nested
// expressions, prefix operators, types, `else if`) counts one level; more
// than MAX_DEPTH levels is L0109. Each link of a binary-operator or postfix
// chain (`1 + 1 + … + 1`, `s.clone().clone()…`) is parsed by a loop but
// builds one level of a left-deep tree that later passes walk recursively,
// so levels plus links are bounded too, by the larger MAX_CHAIN (L0112):
// together they bound the C stack used here and in every later pass (the
// `lab` command gives them 256 MB: compiler/lab/bigstack.h). MAX_CHAIN is what the
// native pipeline compiles in seconds: the C compiler is superlinear on a
// 2,000-deep nest of calls (about 20 s at -O2), which C generation could
// flatten into statements.
#include <stdarg.h>

#include "format.h"
#include "parser_int.h"
#include "xalloc.h"

// ---- tokens ------------------------------------------------------------------------

char *ps_tok_text(Parser *p, Token *t) {
  return ast_strndup(p->prog, p->src->text + t->span.off, (size_t)t->span.len);
}

static bool is_item_kw(TokenKind k) {
  return k == TK_FN || k == TK_STRUCT || k == TK_ENUM || k == TK_CONST;
}

static bool is_stmt_kw(TokenKind k) {
  return k == TK_LET || k == TK_IF || k == TK_WHILE || k == TK_FOR || k == TK_RETURN ||
         k == TK_MATCH || k == TK_BREAK || k == TK_CONTINUE;
}

// ---- errors --------------------------------------------------------------------------

static DiagSink *sink(Parser *p) { return p->panicking ? &p->trash : p->sink; }

// Reports without panicking: the parse position is still sane.
Diag *ps_error_at(Parser *p, const char *code, Span sp, const char *fmt, ...) {
  char buf[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  return diag_error(sink(p), code, sp, "%s", buf);
}

// How a found token is named in messages: "`foo`", "keyword `let`", "end of file".
static void describe(Parser *p, Token *t, char *buf, size_t n) {
  switch (t->kind) {
  case TK_EOF: snprintf(buf, n, "end of file"); return;
  case TK_IDENT: case TK_INT: case TK_FLOAT: case TK_STR: {
    const char *s = p->src->text + t->span.off;
    int len = t->span.len;
    const char *nl = memchr(s, '\n', (size_t)len);
    if (nl) len = (int)(nl - s);
    if (len > 40) {
      snprintf(buf, n, "`%.*s...`", (int)rt_utf8_floor(s, 37), s);
    } else snprintf(buf, n, "`%.*s`", len, s);
    for (char *c = buf; *c; c++)  // keep messages printable (the text may hold control bytes)
      if ((unsigned char)*c < 0x20 || *c == 0x7f) *c = '?';
    return;
  }
  default:
    if (t->kind >= TK_FN && t->kind <= TK_SOME) snprintf(buf, n, "keyword %s", tok_spelling(t->kind));
    else snprintf(buf, n, "%s", tok_spelling(t->kind));
  }
}

// `break` and `continue` need an enclosing loop (rustc's E0268; a syntax-level
// rule, so both modes report it before anything runs).
static void check_in_loop(Parser *p, Node *n) {
  if (p->loops > 0) return;
  bool brk = n->kind == ND_BREAK;
  Span kw = n->span;
  kw.len = brk ? 5 : 8;  // the keyword, not the `;`
  Diag *d = ps_error_at(p, "L0110", kw, "`%s` outside of a loop", brk ? "break" : "continue");
  if (d) diag_primary(d, "cannot `%s` outside of a loop", brk ? "break" : "continue");
}

// A loop body: `break` and `continue` are allowed inside it.
static Node *parse_loop_body(Parser *p) {
  p->loops++;
  Node *body = ps_parse_block(p);
  p->loops--;
  return body;
}

// Is the source text at off the two characters c c (`++`, `--`)?
static bool doubled(Parser *p, int off, char c) {
  return off >= 0 && (size_t)off + 1 < p->src->len && p->src->text[off] == c && p->src->text[off + 1] == c;
}

// Is token i the identifier w? (What Toy leaves out of Rust is mostly
// spelled with identifiers: `loop`, `impl`, `use`, `f"…"`.)
bool ps_at_word(Parser *p, int i, const char *w) {
  Token *t = peek(p, i);
  size_t n = strlen(w);
  return t->kind == TK_IDENT && (size_t)t->span.len == n && memcmp(p->src->text + t->span.off, w, n) == 0;
}

// Is the previous token the word w?
static bool prev_is(Parser *p, const char *w) {
  size_t n = strlen(w);
  return (size_t)p->prev.len == n && memcmp(p->src->text + p->prev.off, w, n) == 0;
}

// Does a `//` comment that reads like the rest of an expression follow an
// operand on its line (`7 // 2;`: Python's integer division)? It starts with
// a digit or `(`, or ends the statement (`x // n;`), unlike a remark.
static bool division_comment(Parser *p, Token *t) {
  if (p->prev.len == 0 || t->span.line <= p->prev.line) return false;  // the comment took the line's rest
  TokenKind k = p->prev_kind;  // an operand ends there
  if (k != TK_IDENT && k != TK_INT && k != TK_FLOAT && k != TK_RPAREN && k != TK_RBRACKET) return false;
  const char *text = p->src->text, *end = text + p->src->len, *c = text + p->prev.off + p->prev.len;
  while (c < end && (*c == ' ' || *c == '\t')) c++;
  if (end - c < 3 || c[0] != '/' || c[1] != '/') return false;
  for (c += 2; c < end && (*c == ' ' || *c == '\t'); c++) {}
  const char *eol = c < end ? memchr(c, '\n', (size_t)(end - c)) : NULL, *e = eol ? eol : end;
  while (e > c && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r')) e--;
  return e > c && ((*c >= '0' && *c <= '9') || *c == '(' || e[-1] == ';' || e[-1] == ')');
}

// A help for habits from Python, C and JavaScript that stop the parser, as
// rustc recognizes `and`, `or`, `not` and `++`: what Toy writes instead.
static void habit_help(Parser *p, Diag *d, Token *t, const char *what) {
  bool brace = strcmp(what, tok_spelling(TK_LBRACE)) == 0, semi = strcmp(what, tok_spelling(TK_SEMI)) == 0;
  if (ps_at_word(p, 0, "and") || ps_at_word(p, 0, "or"))
    diag_help(d, "`%s` is not a logical operator: use `%s`", ps_at_word(p, 0, "and") ? "and" : "or",
              ps_at_word(p, 0, "and") ? "&&" : "||");
  else if (prev_is(p, "not"))
    diag_help(d, "`not` is not an operator: use `!` for logical negation");
  else if (t->kind == TK_EQ && brace)
    diag_help(d, "to compare, use `==` (`=` assigns)");
  else if (t->kind == TK_COLON && brace)
    diag_help(d, "a block is written in braces, with no `:` before it: `if x > 0 { … }`");
  else if (t->kind == TK_COLON && semi && p->prev_kind == TK_IDENT)
    diag_help(d, "to declare a variable, write `let name: int = …;`");
  else if (doubled(p, t->span.off, '+') || doubled(p, t->span.off - 1, '+'))
    diag_help(d, "Toy has no `++` operator: write `x += 1`");
  else if (p->prev.len == 1 && (doubled(p, p->prev.off, '-') || doubled(p, p->prev.off - 1, '-')))
    diag_help(d, "Toy has no `--` operator: write `x -= 1`");
  else if (doubled(p, t->span.off, '*') || doubled(p, t->span.off - 1, '*'))
    diag_help(d, "Toy has no `**` operator: multiply (`x * x`), or write a loop");
  else if (division_comment(p, t))
    diag_help(d, "`//` starts a comment in Toy: integer division is `/`, which truncates on two ints");
  else if (prev_is(p, "elif"))
    diag_help(d, "Toy writes it `else if`");
  else if (prev_is(p, "switch"))
    diag_help(d, "Toy has no `switch`: use `match x { 1 => { … } _ => { … } }`");
  else if (prev_is(p, "print"))
    diag_help(d, "`print` is a function: `print(…)`");
  else if (t->kind == TK_IF && semi)
    diag_help(d, "`if` is a statement in Toy, not an expression: declare the variable (`let y: int;`), then "
                 "assign it in each branch");
  else if (t->kind == TK_LPAREN && prev_is(p, "for"))
    diag_help(d, "Toy's counting loop is `for i in 0..n { … }`");
  else if (t->kind == TK_COMMA && strcmp(what, tok_spelling(TK_IN)) == 0)
    diag_help(d, "a `for` loop has one variable (Toy has no destructuring): `for k in m.keys() { … m[k] … }`, "
                 "or `for i in 0..v.len() { … v[i] … }`");
  else if (t->kind == TK_STR && prev_is(p, "\"\""))
    diag_help(d, "Toy has no triple-quoted strings: a \"…\" string may span lines");
}

// Reports "expected WHAT, found TOKEN" and panics. `label` goes under the
// caret. A missing closer or separator at the end of a line is pointed at
// just after the previous token, as rustc does for a missing `;`.
Diag *ps_fail_expected(Parser *p, const char *what, const char *label, bool closer) {
  Token *t = peek(p, 0);
  Diag *d;
  if ((t->kind == TK_EOF && (p->lx.eof_error || p->eof_reported)) || p->lex_err[0]) {
    // The lexer has just complained about this spot; one error is enough.
    d = diag_error(&p->trash, "L0100", t->span, "suppressed");
  } else {
    char found[96];
    describe(p, t, found, sizeof found);
    if (closer && p->prev.len > 0 && t->span.line > p->prev.line) {
      Span after = source_span_after(p->src, p->prev, p->prev.off + p->prev.len, 0);  // a string may span lines
      d = ps_error_at(p, "L0100", after, "expected %s, found %s", what, found);
      diag_primary(d, "%s", label);
      diag_label(d, t->span, "unexpected token");
    } else {
      d = ps_error_at(p, "L0100", t->span, "expected %s, found %s", what, found);
      diag_primary(d, "%s", label);
    }
    if (t->kind == TK_EOF && !p->panicking) p->eof_reported = true;
    if (t->kind == TK_HASH) diag_help(d, "`#` begins an attribute before a function (`#[native]`); comments start with `//`");
    else if (strcmp(what, "item") != 0) habit_help(p, d, t, what);  // the items' own helps: parse_program
  }
  p->panicking = true;
  return d;
}

static bool is_closer(TokenKind k) {
  return k == TK_SEMI || k == TK_RPAREN || k == TK_RBRACKET || k == TK_RBRACE || k == TK_COMMA;
}

// Consumes a `k` or reports "expected `k`, found ...".
bool ps_expect(Parser *p, TokenKind k) {
  if (accept(p, k)) return true;
  if (!p->panicking) {
    char label[64];
    snprintf(label, sizeof label, "expected %s", tok_spelling(k));
    ps_fail_expected(p, tok_spelling(k), label, is_closer(k));
  }
  p->panicking = true;
  return false;
}

// "expected one of `,` or `)`" for a list that goes on or closes.
void ps_fail_list(Parser *p, TokenKind close) {
  if (p->panicking) return;
  char what[64];
  snprintf(what, sizeof what, "one of `,` or %s", tok_spelling(close));
  char label[80];
  snprintf(label, sizeof label, "expected %s", what);
  ps_fail_expected(p, what, label, true);
}

// L0109 once per outermost construct: recovery resumes inside the nest,
// where the next level down would be too deep again.
bool ps_enter(Parser *p) {
  if (p->depth >= MAX_DEPTH) {
    if (!p->panicking && !p->too_deep) {
      p->too_deep = true;
      Diag *d = ps_error_at(p, "L0109", peek(p, 0)->span, "nesting too deep");
      if (2 * p->else_ifs > p->depth) {  // mostly a long chain of `else if`
        diag_primary(d, "more than %d nested levels, %d of them `else if`s", MAX_DEPTH, p->else_ifs);
        diag_note(d, "each `else if` nests the next `if` inside the `else` before it");
        diag_help(d, "a long chain of `else if` is clearer as a `match`, a lookup in a list or map, or functions");
      } else {
        diag_primary(d, "more than %d nested levels", MAX_DEPTH);
        diag_help(d, "split the code into smaller expressions or functions");
      }
    }
    p->panicking = true;
    return false;
  }
  p->depth++;
  return true;
}

void ps_leave(Parser *p) {
  if (--p->depth == 0) p->too_deep = false;
}

// A chain of `len` left-deep links (binary or postfix operators) is too long.
bool ps_chain_too_deep(Parser *p, int len) {
  if (p->depth + len <= MAX_CHAIN) return false;
  if (!p->panicking) {
    Diag *d = ps_error_at(p, "L0112", p->prev, "expression too long");
    diag_primary(d, "more than %d operators in one expression", MAX_CHAIN);
    diag_help(d, "split the expression with `let` bindings");
  }
  p->panicking = true;
  return true;
}

// ---- allocation ------------------------------------------------------------------------

Node *ps_new_node(Parser *p, NodeKind k, Span sp) {
  Node *n = ast_alloc(p->prog, sizeof(Node));
  n->kind = k;
  n->span = sp;
  return n;
}

void ps_vec_push(Vec *v, const void *x) {
  if (v->n == v->cap) {
    v->cap = v->cap ? v->cap * 2 : 4;
    v->data = rt_xrealloc(v->data, (size_t)v->cap * v->elem);
  }
  memcpy(v->data + (size_t)v->n * v->elem, x, v->elem);
  v->n++;
}

void *ps_vec_done(Parser *p, Vec *v, int *n) {
  *n = v->n;
  void *r = NULL;
  if (v->n) {
    r = ast_alloc(p->prog, (size_t)v->n * v->elem);
    memcpy(r, v->data, (size_t)v->n * v->elem);
  }
  free(v->data);
  v->data = NULL;
  return r;
}

Node *ps_dummy(Parser *p) {
  Node *n = ps_new_node(p, ND_INT, peek(p, 0)->span);
  return n;
}

// ---- statements ------------------------------------------------------------------------------

static Node *parse_stmt(Parser *p);

// Can token kind k begin a statement (or end the block)?
static bool starts_stmt(TokenKind k) {
  return k == TK_IDENT || is_stmt_kw(k) || is_item_kw(k) || k == TK_LBRACE || k == TK_RBRACE ||
         k == TK_EOF;
}

// Skips to where the next statement (or arm, with `comma`) can start, after
// an error inside a block whose braces nest `level` deep: past a `;` (or
// `,`), or to a `}` closing that block, a statement keyword, an item keyword,
// or the end of a nested `{ ... }` group followed by a statement's start.
// `(` and `[` opened while skipping hide their `;` and `,` (`[0; n]`).
static void sync(Parser *p, int level, bool comma) {
  if (p->braces == level && (p->prev_kind == TK_SEMI || (comma && p->prev_kind == TK_COMMA))) {
    p->panicking = false;  // the statement ended cleanly after all
    return;
  }
  int nest = 0;
  while (!at(p, TK_EOF)) {
    TokenKind k = kind(p);
    if (is_item_kw(k)) break;
    if (p->braces <= level) {
      if (nest == 0 && (k == TK_SEMI || (comma && k == TK_COMMA))) {
        advance(p);
        break;
      }
      if (k == TK_RBRACE) break;
      if (is_stmt_kw(k) && !(k == TK_IF && p->prev_kind == TK_ELSE)) break;
    }
    if (k == TK_LPAREN || k == TK_LBRACKET) nest++;
    else if ((k == TK_RPAREN || k == TK_RBRACKET) && nest > 0) nest--;
    advance(p);
    if (k == TK_RBRACE && p->braces == level && starts_stmt(kind(p))) break;
  }
  p->panicking = false;
}

// block = "{" stmt* "}"
// The indentation (leading blanks) of the line holding offset off; *first
// says whether only blanks precede off on it. -1 when the line starts more
// than 256 bytes before off: the guess is for lines people write, and each
// block's close stays O(1), however long a generated line is.
static int line_indent(Parser *p, int off, bool *first) {
  const char *text = p->src->text;
  int start = off, k;
  while (start > 0 && text[start - 1] != '\n')
    if (off - --start > 256) return -1;
  for (k = start; (size_t)k < p->src->len && (text[k] == ' ' || text[k] == '\t'); k++) {}
  *first = k >= off;
  return k - start;
}

// An unclosed `{`: labelled, with rustc's guess at which block is missing
// its `}` — one whose `}` is indented unlike its `{` line.
static void unclosed_labels(Parser *p, Diag *d, Span open) {
  diag_label(d, open, "unclosed delimiter");
  if (p->odd_open.len == 0) return;
  diag_label(d, p->odd_open, "this delimiter might not be properly closed...");
  diag_label(d, p->odd_close, "...as it matches this but it has different indentation");
}

Node *ps_parse_block(Parser *p) {
  Token *t = peek(p, 0);
  Span start = t->span;
  Node *n = ps_new_node(p, ND_BLOCK, start);
  if (!ps_enter(p)) return n;
  if (!ps_expect(p, TK_LBRACE)) {
    ps_leave(p);
    return n;
  }
  int level = p->braces;
  Vec items = VEC(Node *);
  while (!at(p, TK_RBRACE) && !at(p, TK_EOF) && !is_item_kw(kind(p))) {
    Token *before = peek(p, 0);
    int off = before->span.off;
    if (accept(p, TK_SEMI)) continue;  // an empty statement
    Node *s = parse_stmt(p);
    if (s) ps_vec_push(&items, &s);
    if (p->panicking) sync(p, level, false);
    if (peek(p, 0)->span.off == off && !at(p, TK_EOF) && !at(p, TK_RBRACE)) advance(p);  // always progress
  }
  if (at(p, TK_EOF) && p->unclosed >= 0) {
    // One error for the whole file, with every unclosed `{` labelled (when
    // that error is among the DIAG_MAX kept).
    if (p->unclosed < p->sink->count) diag_label(&p->sink->diags[p->unclosed], start, "unclosed delimiter");
    p->panicking = true;
  } else if (at(p, TK_EOF) && !p->lx.eof_error && !p->eof_reported && !p->panicking) {
    p->unclosed = p->sink->count;
    Diag *d = ps_error_at(p, "L0101", peek(p, 0)->span, "this file contains an unclosed delimiter");
    unclosed_labels(p, d, start);
    p->panicking = true;
  } else if (is_item_kw(kind(p)) && !p->panicking) {
    unclosed_labels(p, ps_fail_expected(p, tok_spelling(TK_RBRACE), "expected `}`", true), start);
  } else if (ps_expect(p, TK_RBRACE) && p->odd_open.len == 0) {
    // Where rustc looks for the block that lacks its `}`, if one turns out to.
    bool first, unused;
    int in_close = line_indent(p, p->prev.off, &first), in_open = in_close >= 0 && first ? line_indent(p, start.off, &unused) : -1;
    if (in_open >= 0 && in_close != in_open) p->odd_open = start, p->odd_close = p->prev;
  }
  n->items = ps_vec_done(p, &items, &n->nitems);
  n->span = span_prev(p, start);
  n->end_line = p->prev.line;
  ps_leave(p);
  return n;
}

static bool is_place(Node *n) {
  return n->kind == ND_NAME || n->kind == ND_INDEX || n->kind == ND_FIELD || n->kind == ND_TUPLE_INDEX;
}

static bool is_assign_op(TokenKind k) {
  return k == TK_EQ || k == TK_PLUS_EQ || k == TK_MINUS_EQ || k == TK_STAR_EQ || k == TK_SLASH_EQ ||
         k == TK_PERCENT_EQ;
}

// simple = expr (assign_op expr)?     — the statement's `;` is the caller's
static Node *parse_simple(Parser *p) {
  Node *e = ps_parse_expr_ctx(p, false);
  if (p->panicking) return NULL;
  Token *t = peek(p, 0);
  if (is_assign_op(t->kind)) {
    TokenKind op = t->kind;
    Span op_span = t->span;
    advance(p);
    if (!is_place(e)) {
      Diag *d = ps_error_at(p, "L0106", op_span, "invalid left-hand side of assignment");
      diag_label(d, e->span, "cannot assign to this expression");
      diag_help(d, "only a variable, `v[i]`, `m[k]`, `s.f` or `t.0` can be assigned to");
    }
    Node *n = ps_new_node(p, ND_ASSIGN, e->span);
    n->op = op;
    n->lhs = e;
    n->rhs = ps_parse_expr_ctx(p, false);
    n->span = span_prev(p, e->span);
    return n;
  }
  Node *n = ps_new_node(p, ND_EXPR_STMT, e->span);
  n->lhs = e;
  return n;
}

// if = "if" expr block ("else" (if | block))?
static Node *parse_if(Parser *p) {
  Span start = peek(p, 0)->span;
  Node *n = ps_new_node(p, ND_IF, start);
  if (!ps_enter(p)) return n;
  advance(p);
  n->cond = ps_parse_expr_ctx(p, true);
  n->then = ps_parse_block(p);
  if (!p->panicking && accept(p, TK_ELSE)) {
    if (at(p, TK_IF)) p->else_ifs++, n->els = parse_if(p), p->else_ifs--;
    else n->els = ps_parse_block(p);
  }
  n->span = span_prev(p, start);
  ps_leave(p);
  return n;
}

// arm = pattern "=>" (block ","? | ("return" expr? | "break" | "continue" | simple) ("," | before "}"))
static Node *parse_arm(Parser *p) {
  Span start = peek(p, 0)->span;
  Node *n = ps_new_node(p, ND_ARM, start);
  n->pat = ps_parse_pattern(p);
  if (p->panicking || !ps_expect(p, TK_FATARROW)) return n;
  if (at(p, TK_LBRACE)) {
    n->body = ps_parse_block(p);
    accept(p, TK_COMMA);
  } else {
    // `Pat => expr,` is a block of one statement.
    Node *b = ps_new_node(p, ND_BLOCK, peek(p, 0)->span);
    Token *t = peek(p, 0);
    Node *s;
    if (t->kind == TK_RETURN || t->kind == TK_BREAK || t->kind == TK_CONTINUE) {
      TokenKind k = t->kind;
      s = ps_new_node(p, k == TK_RETURN ? ND_RETURN : k == TK_BREAK ? ND_BREAK : ND_CONTINUE, t->span);
      advance(p);
      if (k == TK_RETURN && !at(p, TK_COMMA) && !at(p, TK_RBRACE)) s->lhs = ps_parse_expr_ctx(p, false);
      s->span = span_prev(p, s->span);
      if (k != TK_RETURN) check_in_loop(p, s);
    } else {
      s = parse_simple(p);
    }
    if (s) {
      b->items = ast_alloc(p->prog, sizeof(Node *));
      b->items[0] = s;
      b->nitems = 1;
      b->span = span_prev(p, b->span);
    }
    b->end_line = p->prev.line;
    n->body = b;
    if (!p->panicking && !accept(p, TK_COMMA) && !at(p, TK_RBRACE)) ps_fail_list(p, TK_RBRACE);
  }
  n->span = span_prev(p, start);
  return n;
}

// match = "match" expr "{" arm* "}"
static Node *parse_match(Parser *p) {
  Span start = peek(p, 0)->span;
  Node *n = ps_new_node(p, ND_MATCH, start);
  advance(p);
  n->lhs = ps_parse_expr_ctx(p, true);
  if (!ps_expect(p, TK_LBRACE)) return n;
  int level = p->braces;
  Vec arms = VEC(Node *);
  while (!at(p, TK_RBRACE) && !at(p, TK_EOF) && !is_item_kw(kind(p))) {
    int off = peek(p, 0)->span.off;
    Node *a = parse_arm(p);
    ps_vec_push(&arms, &a);
    if (p->panicking) sync(p, level, true);
    if (peek(p, 0)->span.off == off && !at(p, TK_EOF) && !at(p, TK_RBRACE)) advance(p);
  }
  ps_expect(p, TK_RBRACE);
  n->items = ps_vec_done(p, &arms, &n->nitems);
  n->span = span_prev(p, start);
  return n;
}

// stmt = "let" "mut"? ident (":" type)? ("=" expr)? ";"
//      | if | "while" expr block | "for" ident "in" expr (".." expr)? block
//      | "break" ";" | "continue" ";" | "return" expr? ";" | match | block
//      | simple ";"
static Node *parse_stmt(Parser *p) {
  Token *t = peek(p, 0);
  Span start = t->span;
  Node *n;
  switch (t->kind) {
  case TK_LET: {
    advance(p);
    n = ps_new_node(p, ND_LET, start);
    n->is_mut = accept(p, TK_MUT);
    Token *name = peek(p, 0);
    if (name->kind != TK_IDENT) {
      Diag *d = ps_fail_expected(p, "identifier", "expected a variable name", false);
      if (name->kind == TK_LPAREN || name->kind == TK_LBRACKET)
        diag_help(d, "Toy has no destructuring in `let`: bind the whole value, then take its parts, "
                     "`let t = (1, 2); let a = t.0;`, or use `match`");
      return n;
    }
    n->name = ps_tok_text(p, name);
    n->name_span = name->span;
    advance(p);
    if (accept(p, TK_COLON)) n->type = ps_parse_type(p);
    if (!p->panicking && accept(p, TK_EQ)) n->lhs = ps_parse_expr_ctx(p, false);
    if (!p->panicking && !at(p, TK_SEMI) && !n->lhs)
      ps_fail_expected(p, n->type ? "one of `=` or `;`" : "one of `:`, `=` or `;`",
                    n->type ? "expected one of `=` or `;`" : "expected one of 3 possible tokens", true);
    else
      ps_expect(p, TK_SEMI);
    n->span = span_prev(p, start);
    return n;
  }
  case TK_IF:
    return parse_if(p);
  case TK_WHILE:
    advance(p);
    n = ps_new_node(p, ND_WHILE, start);
    n->cond = ps_parse_expr_ctx(p, true);
    n->body = parse_loop_body(p);
    n->span = span_prev(p, start);
    return n;
  case TK_FOR: {
    advance(p);
    n = ps_new_node(p, ND_FOR_IN, start);
    Token *name = peek(p, 0);
    if (name->kind != TK_IDENT) {
      ps_fail_expected(p, "identifier", "expected a loop variable", false);
      return n;
    }
    n->name = ps_tok_text(p, name);
    n->name_span = name->span;
    advance(p);
    if (!ps_expect(p, TK_IN)) return n;
    n->lhs = ps_parse_expr_ctx(p, true);
    if (accept(p, TK_DOTDOT)) {
      n->kind = ND_FOR_RANGE;
      n->rhs = ps_parse_expr_ctx(p, true);
    }
    n->body = parse_loop_body(p);
    n->span = span_prev(p, start);
    return n;
  }
  case TK_BREAK:
  case TK_CONTINUE:
    advance(p);
    n = ps_new_node(p, t->kind == TK_BREAK ? ND_BREAK : ND_CONTINUE, start);
    check_in_loop(p, n);
    ps_expect(p, TK_SEMI);
    n->span = span_prev(p, start);
    return n;
  case TK_RETURN:
    advance(p);
    n = ps_new_node(p, ND_RETURN, start);
    if (!at(p, TK_SEMI)) n->lhs = ps_parse_expr_ctx(p, false);
    ps_expect(p, TK_SEMI);
    n->span = span_prev(p, start);
    return n;
  case TK_MATCH:
    return parse_match(p);
  case TK_LBRACE:
    return ps_parse_block(p);
  default:
    if (ps_at_word(p, 0, "loop") && peek(p, 1)->kind == TK_LBRACE) {
      // Not a struct literal `loop { … }`: Rust's loop, which Toy spells
      // `while true`. Parsed as that, so the body is checked too.
      Diag *d = ps_error_at(p, "L0100", t->span, "Toy has no `loop`");
      diag_primary(d, "not a keyword in Toy");
      diag_help(d, "write `while true { … }` and leave it with `break`");
      advance(p);
      n = ps_new_node(p, ND_WHILE, start);
      n->cond = ps_new_node(p, ND_BOOL, t->span);
      n->cond->bval = true;
      n->body = parse_loop_body(p);
      n->span = span_prev(p, start);
      return n;
    }
    n = parse_simple(p);
    if (!n) return NULL;
    ps_expect(p, TK_SEMI);
    n->span = span_prev(p, start);
    return n;
  }
}

// ---- items ---------------------------------------------------------------------------------------

// An identifier naming the item being declared; NULL (panicking) if missing.
static char *item_name(Parser *p, Span *span, const char *what) {
  Token *t = peek(p, 0);
  if (t->kind != TK_IDENT) {
    char label[64];
    snprintf(label, sizeof label, "expected %s name", what);
    ps_fail_expected(p, "identifier", label, false);
    *span = t->span;
    return NULL;
  }
  char *s = ps_tok_text(p, t);
  *span = t->span;
  advance(p);
  return s;
}

// fn = "fn" ident "(" (param ("," param)* ","?)? ")" ("->" type)? block
// param = "mut"? ident (":" type)?
static void parse_fn(Parser *p, Item *it) {
  it->kind = IT_FN;
  FnDecl *fn = &it->fn;
  advance(p);
  fn->name = item_name(p, &fn->span, "function");
  if (fn->name && at(p, TK_LT)) {
    Diag *d = ps_fail_expected(p, "`(`", "expected `(`", false);
    diag_help(d, "Toy has no generics: write one function per type, `fn max_int(a: int, b: int) -> int`");
    return;
  }
  if (!fn->name || !ps_expect(p, TK_LPAREN)) return;
  Vec params = VEC(Param);
  while (!at(p, TK_RPAREN) && !at(p, TK_EOF) && !p->panicking) {
    Param pa = {0};
    pa.is_mut = accept(p, TK_MUT);
    Token *t = peek(p, 0);
    if (t->kind != TK_IDENT) {
      ps_fail_expected(p, "identifier", "expected a parameter name", false);
      break;
    }
    pa.name = ps_tok_text(p, t);
    pa.span = t->span;
    advance(p);
    if (accept(p, TK_COLON)) pa.type = ps_parse_type(p);
    ps_vec_push(&params, &pa);
    if (!accept(p, TK_COMMA)) {
      if (!at(p, TK_RPAREN)) ps_fail_list(p, TK_RPAREN);
      break;
    }
  }
  fn->params = ps_vec_done(p, &params, &fn->nparams);
  if (!ps_expect(p, TK_RPAREN)) return;
  if (accept(p, TK_ARROW)) fn->ret = ps_parse_type(p);
  if (p->panicking) return;
  if (!at(p, TK_LBRACE)) {
    ps_fail_expected(p, fn->ret ? "`{`" : "one of `->` or `{`", fn->ret ? "expected `{`" : "expected one of `->` or `{`",
                  false);
    return;
  }
  fn->body = ps_parse_block(p);
}

// struct = "struct" ident "{" (ident ":" type ("," ident ":" type)* ","?)? "}"
static void parse_struct(Parser *p, Item *it) {
  it->kind = IT_STRUCT;
  StructDecl *st = &it->st;
  advance(p);
  st->name = item_name(p, &st->span, "struct");
  if (!st->name || !ps_expect(p, TK_LBRACE)) return;
  Vec fields = VEC(FieldDecl);
  while (!at(p, TK_RBRACE) && !at(p, TK_EOF) && !p->panicking) {
    FieldDecl f = {0};
    f.name = item_name(p, &f.span, "field");
    if (!f.name || !ps_expect(p, TK_COLON)) break;
    f.type = ps_parse_type(p);
    ps_vec_push(&fields, &f);
    if (!accept(p, TK_COMMA)) {
      if (!at(p, TK_RBRACE)) ps_fail_list(p, TK_RBRACE);
      break;
    }
  }
  st->fields = ps_vec_done(p, &fields, &st->nfields);
  ps_expect(p, TK_RBRACE);
}

// enum = "enum" ident "{" (ident ("," ident)* ","?)? "}"
static void parse_enum(Parser *p, Item *it) {
  it->kind = IT_ENUM;
  EnumDecl *en = &it->en;
  advance(p);
  en->name = item_name(p, &en->span, "enum");
  if (!en->name || !ps_expect(p, TK_LBRACE)) return;
  Vec names = VEC(char *), spans = VEC(Span);
  while (!at(p, TK_RBRACE) && !at(p, TK_EOF) && !p->panicking) {
    Span sp;
    char *v = item_name(p, &sp, "variant");
    if (!v) break;
    ps_vec_push(&names, &v);
    ps_vec_push(&spans, &sp);
    if (at(p, TK_LPAREN) || at(p, TK_LBRACE)) {
      Diag *d = ps_error_at(p, "L0100", peek(p, 0)->span, "enum variants cannot carry data in Toy");
      diag_primary(d, "expected one of `,` or `}`");
      diag_note(d, "Toy enums have no payloads (SPEC §3); use a struct with an enum field");
      p->panicking = true;
      break;
    }
    if (!accept(p, TK_COMMA)) {
      if (!at(p, TK_RBRACE)) ps_fail_list(p, TK_RBRACE);
      break;
    }
  }
  int k;
  en->variants = ps_vec_done(p, &names, &en->nvariants);
  en->variant_spans = ps_vec_done(p, &spans, &k);
  ps_expect(p, TK_RBRACE);
}

// const = "const" ident (":" type)? "=" expr ";"
static void parse_const(Parser *p, Item *it) {
  it->kind = IT_CONST;
  ConstDecl *cn = &it->cn;
  advance(p);
  cn->name = item_name(p, &cn->span, "constant");
  if (!cn->name) return;
  if (accept(p, TK_COLON)) cn->type = ps_parse_type(p);
  if (p->panicking) return;
  if (!ps_expect(p, TK_EQ)) return;
  cn->value = ps_parse_expr_ctx(p, false);
  ps_expect(p, TK_SEMI);
}

static const char *item_name_of(Item *it, Span *span) {
  switch (it->kind) {
  case IT_FN: *span = it->fn.span; return it->fn.name;
  case IT_STRUCT: *span = it->st.span; return it->st.name;
  case IT_ENUM: *span = it->en.span; return it->en.name;
  case IT_CONST: *span = it->cn.span; return it->cn.name;
  }
  return NULL;
}

static uint32_t hash_str(const char *s) {
  uint32_t h = 2166136261u;
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 16777619u;
  return h;
}

// L0107 for each name defined twice (one hash set: linear in the item count).
static void check_duplicates(Parser *p) {
  Program *prog = p->prog;
  int cap = 16;
  while (cap < prog->nitems * 2) cap *= 2;
  int *slots = rt_xmalloc((size_t)cap * sizeof(int));
  for (int i = 0; i < cap; i++) slots[i] = -1;
  for (int i = 0; i < prog->nitems; i++) {
    Span sp;
    const char *name = item_name_of(prog->items[i], &sp);
    if (!name) continue;
    uint32_t h = hash_str(name) & (uint32_t)(cap - 1);
    for (;; h = (h + 1) & (uint32_t)(cap - 1)) {
      if (slots[h] < 0) {
        slots[h] = i;
        break;
      }
      Span first;
      const char *other = item_name_of(prog->items[slots[h]], &first);
      if (strcmp(other, name) == 0) {
        Diag *d = diag_error(p->sink, "L0107", sp, "the name `%s` is defined multiple times", name);
        diag_primary(d, "`%s` redefined here", name);
        diag_label(d, first, "previous definition here");
        diag_note(d, "functions, structs, enums and constants share one namespace");
        break;
      }
    }
  }
  free(slots);
}

typedef struct Tagged {
  Diag d;
  int idx;
} Tagged;

static int cmp_diag_pos(const void *a, const void *b) {
  const Diag *x = a, *y = b;
  if (x->labels[0].span.off != y->labels[0].span.off)
    return x->labels[0].span.off < y->labels[0].span.off ? -1 : 1;
  return 0;
}

static int cmp_tagged(const void *a, const void *b) {
  const Tagged *x = a, *y = b;
  int c = cmp_diag_pos(&x->d, &y->d);
  if (c) return c;
  return (x->idx > y->idx) - (x->idx < y->idx);
}

// The lexer runs up to two tokens ahead of the parser, so its errors can be
// recorded before a parser error that lies earlier in the file: put them in
// source order (stable: equal positions keep the order they were found in).
static void sort_diags(DiagSink *s, int from) {
  int n = s->count - from;
  if (n < 2) return;
  // Make the sort stable by ordering on (offset, index): insertion sort for
  // the usual handful, qsort on a tagged copy otherwise.
  Diag *d = s->diags + from;
  if (n <= 64) {
    for (int i = 1; i < n; i++) {
      Diag x = d[i];
      int j = i;
      while (j > 0 && cmp_diag_pos(&d[j - 1], &x) > 0) {
        d[j] = d[j - 1];
        j--;
      }
      d[j] = x;
    }
    return;
  }
  Tagged *t = rt_xmalloc((size_t)n * sizeof(Tagged));
  for (int i = 0; i < n; i++) t[i] = (Tagged){d[i], i};
  qsort(t, (size_t)n, sizeof(Tagged), cmp_tagged);
  for (int i = 0; i < n; i++) d[i] = t[i].d;
  free(t);
}

// attribute = "#" "[" "native" ("(" "nogil" ")")? "]", before a fn (the
// hybrid mode's: docs/spec.md). Sets fn's flags; false after an error.
static bool parse_attribute(Parser *p, FnDecl *fn) {
  Span start = peek(p, 0)->span;
  advance(p);
  if (!ps_expect(p, TK_LBRACKET)) return false;
  Token *t = peek(p, 0);
  if (t->kind != TK_IDENT) {
    ps_fail_expected(p, "identifier", "expected an attribute name", false);
    return false;
  }
  const char *name = ps_tok_text(p, t);
  if (strcmp(name, "native") != 0) {
    Diag *d = ps_error_at(p, "L0113", t->span, "unknown attribute `%s`", name);
    diag_primary(d, "not an attribute Toy knows");
    diag_help(d, "Toy has one attribute, before a function: `#[native]` or `#[native(nogil)]`");
    p->panicking = true;
    return false;
  }
  advance(p);
  fn->native = true;
  if (accept(p, TK_LPAREN)) {
    Token *a = peek(p, 0);
    const char *arg = a->kind == TK_IDENT ? ps_tok_text(p, a) : NULL;
    if (!arg || strcmp(arg, "nogil") != 0) {
      Diag *d = ps_error_at(p, "L0113", a->span, "unknown argument of `#[native]`");
      diag_primary(d, "expected `nogil`");
      diag_help(d, "`#[native(nogil)]` runs the function without the GIL in --mode=hybrid");
      p->panicking = true;
      return false;
    }
    advance(p);
    fn->nogil = true;
    if (!ps_expect(p, TK_RPAREN)) return false;
  }
  if (!ps_expect(p, TK_RBRACKET)) return false;
  fn->attr_span = span_prev(p, start);
  return true;
}

// program = item* EOF
// item = attribute? fn | struct | enum | const
Program *parse_program(Source *src, DiagSink *out) {
  Parser ps;
  memset(&ps, 0, sizeof ps);
  Parser *p = &ps;
  int first_diag = out->count;
  p->unclosed = -1;
  p->src = src;
  p->sink = out;
  diag_init(&p->trash, src);
  p->prog = rt_xcalloc(1, sizeof(Program));
  p->prog->src = src;
  lex_init(&p->lx, src, out);

  Vec items = VEC(Item *);
  while (!at(p, TK_EOF)) {
    Item *it = ast_alloc(p->prog, sizeof(Item));
    p->odd_open = p->odd_close = (Span){0};
    switch (kind(p)) {
    case TK_HASH: {
      FnDecl attrs = {0};
      if (!parse_attribute(p, &attrs)) {
        it = NULL;
        break;
      }
      if (!at(p, TK_FN)) {
        Diag *d = ps_error_at(p, "L0113", attrs.attr_span, "an attribute must come before a function");
        diag_primary(d, "not followed by `fn`");
        diag_help(d, "write `#[native]` on the line before `fn name(…)`");
        p->panicking = true;
        it = NULL;
        break;
      }
      parse_fn(p, it);
      it->fn.native = attrs.native;
      it->fn.nogil = attrs.nogil;
      it->fn.attr_span = attrs.attr_span;
      break;
    }
    case TK_FN: parse_fn(p, it); break;
    case TK_STRUCT: parse_struct(p, it); break;
    case TK_ENUM: parse_enum(p, it); break;
    case TK_CONST: parse_const(p, it); break;
    default: {
      bool impl = ps_at_word(p, 0, "impl"), trait = ps_at_word(p, 0, "trait");
      bool use = ps_at_word(p, 0, "use") || ps_at_word(p, 0, "mod") || ps_at_word(p, 0, "import");
      Diag *d = ps_fail_expected(p, "item", "expected `fn`, `struct`, `enum` or `const`", false);
      if (is_stmt_kw(kind(p))) diag_note(d, "statements belong inside a function body");
      else if (impl || trait) {
        diag_help(d, "Toy has no `impl` blocks, methods or traits: write a function that takes the struct, "
                     "`fn area(s: &Shape) -> float { … }`, and call it, `area(&s)`");
        // Skip the whole block up to its `}` (consumed below): the methods
        // inside would each be one more error.
        while (!at(p, TK_EOF) && !at(p, TK_LBRACE)) advance(p);
        for (int depth = 0; !at(p, TK_EOF); advance(p)) {
          depth += at(p, TK_LBRACE) - at(p, TK_RBRACE);
          if (depth == 0) break;
        }
      }
      else if (use)
        diag_help(d, "a Toy program is one file, without modules: there is nothing to import, "
                     "and the builtins (`print`, `read_file`, …) need no `use`");
      else if (ps_at_word(p, 0, "def") || ps_at_word(p, 0, "function") || ps_at_word(p, 0, "func"))
        diag_help(d, "a function is declared with `fn`: `fn name(x: int) -> int { … }`");
      else if (ps_at_word(p, 0, "class"))
        diag_help(d, "Toy has no classes: a `struct` holds the data (`struct P { x: int }`), and functions take "
                     "it (`fn show(p: &P) { … }`)");
      advance(p);
      it = NULL;
    }
    }
    if (it && item_name_of(it, &(Span){0}) != NULL) ps_vec_push(&items, &it);
    if (p->panicking) {
      while (!at(p, TK_EOF) && !is_item_kw(kind(p)) && !at(p, TK_HASH)) advance(p);
      p->panicking = false;
    }
  }
  p->prog->items = ps_vec_done(p, &items, &p->prog->nitems);
  while (p->nlook > 0) {  // the EOF token (and any look-ahead) owns no more strings
    free(p->look[--p->nlook].sval);
  }

  sort_diags(out, first_diag);
  check_duplicates(p);
  if (!ast_find_fn(p->prog, "main")) {
    Span end = peek(p, 0)->span;
    Diag *d = diag_error(out, "L0108", end, "`main` function not found in `%s`", src->path);
    diag_primary(d, "consider adding a `main` function here");
    diag_help(d, "every program starts at `fn main() { ... }`");
  }
  diag_free(&p->trash);
  return p->prog;
}
