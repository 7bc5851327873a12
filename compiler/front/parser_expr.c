// parser_expr.c — the parser's types, expressions and patterns (SPEC §2,
// §4: operators and their precedence, literals, the patterns of `match`),
// recursive descent with the grammar rule above each function. Statements,
// items and error recovery are in parser.c.
#include "parser_int.h"

// ---- types ---------------------------------------------------------------------------------

static TypeExpr *new_type(Parser *p, TypeExprKind k, Span sp) {
  TypeExpr *t = ast_alloc(p->prog, sizeof(TypeExpr));
  t->kind = k;
  t->span = sp;
  return t;
}

// type = ident | "thread" "[" type "]" | "[" type "]" | "{" type ":" type "}"
//      | "(" (type ("," type)* ","?)? ")" | "?" type | "&" "mut"? type
TypeExpr *ps_parse_type(Parser *p) {
  Span start = peek(p, 0)->span;
  if (!ps_enter(p)) return new_type(p, TE_NAME, start);
  TypeExpr *t;
  switch (kind(p)) {
  case TK_IDENT: {
    Token *tk = peek(p, 0);
    bool thread = tk->span.len == 6 && memcmp(p->src->text + tk->span.off, "thread", 6) == 0 &&
                  peek(p, 1)->kind == TK_LBRACKET;
    if (thread) {
      advance(p);
      advance(p);
      t = new_type(p, TE_THREAD, start);
      t->elem = ps_parse_type(p);
      ps_expect(p, TK_RBRACKET);
    } else {
      t = new_type(p, TE_NAME, start);
      t->name = ps_tok_text(p, tk);
      advance(p);
    }
    break;
  }
  case TK_LBRACKET:
    advance(p);
    t = new_type(p, TE_LIST, start);
    t->elem = ps_parse_type(p);
    ps_expect(p, TK_RBRACKET);
    break;
  case TK_LBRACE:
    advance(p);
    t = new_type(p, TE_MAP, start);
    t->key = ps_parse_type(p);
    if (ps_expect(p, TK_COLON)) t->elem = ps_parse_type(p);
    ps_expect(p, TK_RBRACE);
    break;
  case TK_LPAREN: {
    advance(p);
    Vec items = VEC(TypeExpr *);
    bool comma = false;
    while (!at(p, TK_RPAREN) && !at(p, TK_EOF) && !p->panicking) {
      TypeExpr *e = ps_parse_type(p);
      ps_vec_push(&items, &e);
      if (!accept(p, TK_COMMA)) {
        if (!at(p, TK_RPAREN)) ps_fail_list(p, TK_RPAREN);
        break;
      }
      comma = true;
    }
    ps_expect(p, TK_RPAREN);
    if (items.n == 1 && !comma) {  // `(T)` is just T
      t = ((TypeExpr **)items.data)[0];
      free(items.data);
      break;
    }
    t = new_type(p, TE_TUPLE, start);
    t->items = ps_vec_done(p, &items, &t->nitems);
    break;
  }
  case TK_QUESTION:
    advance(p);
    t = new_type(p, TE_OPTION, start);
    t->elem = ps_parse_type(p);
    break;
  case TK_AMP:
  case TK_AMPAMP: {
    bool twice = at(p, TK_AMPAMP);  // `&&T` is `& &T`
    advance(p);
    bool mut = accept(p, TK_MUT);
    TypeExpr *inner = new_type(p, mut ? TE_REFMUT : TE_REF, start);
    inner->elem = ps_parse_type(p);
    if (twice) {
      t = new_type(p, TE_REF, start);
      t->elem = inner;
    } else {
      t = inner;
    }
    break;
  }
  default:
    ps_fail_expected(p, "type", "expected type", false);
    t = new_type(p, TE_NAME, start);
    break;
  }
  t->span = span_prev(p, start);
  ps_leave(p);
  return t;
}

// ---- expressions --------------------------------------------------------------------------

static Node *parse_expr(Parser *p);
static Node *parse_unary(Parser *p);

// An expression parsed with struct and map literals allowed or not
// (Rust's rule for `if`/`while`/`match`/`for` heads).
Node *ps_parse_expr_ctx(Parser *p, bool no_struct) {
  bool saved = p->no_struct;
  p->no_struct = no_struct;
  Node *n = parse_expr(p);
  p->no_struct = saved;
  return n;
}

// args = (expr ("," expr)* ","?)? ")"   — the "(" is already consumed
static void parse_args(Parser *p, Node *n, TokenKind close) {
  Vec items = VEC(Node *);
  while (!at(p, close) && !at(p, TK_EOF) && !p->panicking) {
    Node *e = ps_parse_expr_ctx(p, false);
    ps_vec_push(&items, &e);
    if (!accept(p, TK_COMMA)) {
      if (!at(p, close)) ps_fail_list(p, close);
      break;
    }
  }
  ps_expect(p, close);
  n->items = ps_vec_done(p, &items, &n->nitems);
}

// map = "{" (expr ":" expr ("," expr ":" expr)* ","?)? "}"
static Node *parse_map(Parser *p) {
  Node *n = ps_new_node(p, ND_MAP, peek(p, 0)->span);
  advance(p);
  Vec keys = VEC(Node *), vals = VEC(Node *);
  while (!at(p, TK_RBRACE) && !at(p, TK_EOF) && !p->panicking) {
    Node *k = ps_parse_expr_ctx(p, false);
    Node *v = NULL;
    if (ps_expect(p, TK_COLON)) v = ps_parse_expr_ctx(p, false);
    else v = ps_dummy(p);
    ps_vec_push(&keys, &k);
    ps_vec_push(&vals, &v);
    if (!accept(p, TK_COMMA)) {
      if (!at(p, TK_RBRACE)) ps_fail_list(p, TK_RBRACE);
      break;
    }
  }
  ps_expect(p, TK_RBRACE);
  int nv;
  n->items = ps_vec_done(p, &keys, &n->nitems);
  n->values = ps_vec_done(p, &vals, &nv);
  n->span = span_prev(p, n->span);
  return n;
}

// struct_lit = ident "{" (ident (":" expr)? ("," ident (":" expr)?)* ","?)? "}"
// The shorthand `P { x }` means `P { x: x }`, as in Rust.
static Node *parse_struct_lit(Parser *p, Token *name) {
  Node *n = ps_new_node(p, ND_STRUCT_LIT, name->span);
  n->name = ps_tok_text(p, name);
  n->name_span = name->span;
  advance(p);  // the name
  advance(p);  // `{`
  Vec fields = VEC(char *), spans = VEC(Span), vals = VEC(Node *);
  while (!at(p, TK_RBRACE) && !at(p, TK_EOF) && !p->panicking) {
    Token *f = peek(p, 0);
    if (f->kind != TK_IDENT) {
      ps_fail_expected(p, "field name", "expected field name", false);
      break;
    }
    char *fname = ps_tok_text(p, f);
    Span fspan = f->span;
    advance(p);
    Node *v;
    if (accept(p, TK_COLON)) {
      v = ps_parse_expr_ctx(p, false);
    } else {
      v = ps_new_node(p, ND_NAME, fspan);
      v->name = fname;
      v->name_span = fspan;
    }
    ps_vec_push(&fields, &fname);
    ps_vec_push(&spans, &fspan);
    ps_vec_push(&vals, &v);
    if (!accept(p, TK_COMMA)) {
      if (!at(p, TK_RBRACE)) ps_fail_list(p, TK_RBRACE);
      break;
    }
  }
  ps_expect(p, TK_RBRACE);
  int k;
  n->fields = ps_vec_done(p, &fields, &k);
  n->field_spans = ps_vec_done(p, &spans, &k);
  n->items = ps_vec_done(p, &vals, &n->nitems);
  n->span = span_prev(p, n->span);
  return n;
}

// primary = int | float | str | "true" | "false" | "None" | "Some" "(" expr ")"
//         | ident "(" args | ident "::" ident | ident "{" fields "}" | ident
//         | "(" ")" | "(" expr ")" | "(" expr "," (expr ("," expr)* ","?)? ")"
//         | "[" "]" | "[" expr ";" expr "]" | "[" expr ("," expr)* ","? "]"
//         | map | "spawn" ident "(" args
static Node *parse_primary(Parser *p) {
  Token *t = peek(p, 0);
  Span start = t->span;
  Node *n;
  switch (t->kind) {
  case TK_INT:
    n = ps_new_node(p, ND_INT, start);
    n->ival = t->ival;
    if (t->ival < 0) {  // the literal 2^63 without a minus sign before it
      Diag *d = ps_error_at(p, "L0103", start, "integer literal is too large");
      diag_primary(d, "does not fit in `int` (i64)");
      diag_note(d, "only `-9223372036854775808` may be written with this many digits");
      n->ival = 0;
    }
    advance(p);
    return n;
  case TK_FLOAT:
    n = ps_new_node(p, ND_FLOAT, start);
    n->fval = t->fval;
    advance(p);
    return n;
  case TK_STR:
    n = ps_new_node(p, ND_STR, start);
    n->sval = ast_strndup(p->prog, t->sval ? t->sval : "", t->slen);
    n->slen = t->slen;
    advance(p);
    return n;
  case TK_TRUE:
  case TK_FALSE:
    n = ps_new_node(p, ND_BOOL, start);
    n->bval = t->kind == TK_TRUE;
    advance(p);
    return n;
  case TK_NONE:
    advance(p);
    return ps_new_node(p, ND_NONE, start);
  case TK_SOME:
    advance(p);
    n = ps_new_node(p, ND_SOME, start);
    if (ps_expect(p, TK_LPAREN)) {
      n->lhs = ps_parse_expr_ctx(p, false);
      ps_expect(p, TK_RPAREN);
    } else {
      n->lhs = ps_dummy(p);
    }
    n->span = span_prev(p, start);
    return n;
  case TK_IDENT: {
    TokenKind next = peek(p, 1)->kind;
    if (next == TK_STR && peek(p, 1)->span.off == t->span.off + t->span.len && t->span.len <= 2) {
      // f"…" (Python), b"…", r"…": a prefix glued to a string literal.
      Diag *d = ps_error_at(p, "L0100", span_to(t->span, peek(p, 1)->span), "Toy has no prefixed strings");
      diag_primary(d, "a prefix before a string literal");
      if (ps_at_word(p, 0, "f"))
        diag_help(d, "Toy has no f-strings: join the parts with `+` and `str()`, `\"total: \" + str(total)`");
      advance(p);
      advance(p);
      return ps_dummy(p);
    }
    if (next == TK_LPAREN) {
      n = ps_new_node(p, ND_CALL, start);
      n->name = ps_tok_text(p, t);
      n->name_span = start;
      advance(p);
      advance(p);
      parse_args(p, n, TK_RPAREN);
      n->span = span_prev(p, start);
      return n;
    }
    if (next == TK_COLONCOLON) {
      n = ps_new_node(p, ND_PATH, start);
      n->enum_name = ps_tok_text(p, t);
      advance(p);
      advance(p);
      Token *v = peek(p, 0);
      if (v->kind != TK_IDENT) {
        ps_fail_expected(p, "identifier", "expected a variant name", false);
        n->name = ast_strndup(p->prog, "", 0);
        return n;
      }
      n->name = ps_tok_text(p, v);
      n->name_span = v->span;
      advance(p);
      n->span = span_prev(p, start);
      return n;
    }
    if (next == TK_LBRACE && !p->no_struct) return parse_struct_lit(p, t);
    if (next == TK_LBRACE && peek(p, 2)->kind == TK_IDENT && peek(p, 3)->kind == TK_COLON) {
      // `if p == P { x: 1 } { ... }`: say so, and parse the literal anyway.
      Diag *d = ps_error_at(p, "L0100", t->span, "struct literals are not allowed here");
      diag_primary(d, "in an `if`, `while`, `match` or `for` head");
      diag_help(d, "surround the struct literal with parentheses: `(%.*s { ... })`", t->span.len,
                p->src->text + t->span.off);
      return parse_struct_lit(p, t);
    }
    n = ps_new_node(p, ND_NAME, start);
    n->name = ps_tok_text(p, t);
    n->name_span = start;
    advance(p);
    return n;
  }
  case TK_LPAREN: {
    advance(p);
    bool saved = p->no_struct;
    p->no_struct = false;
    Vec items = VEC(Node *);
    bool comma = false;
    while (!at(p, TK_RPAREN) && !at(p, TK_EOF) && !p->panicking) {
      Node *e = parse_expr(p);
      ps_vec_push(&items, &e);
      if (!accept(p, TK_COMMA)) {
        if (!at(p, TK_RPAREN)) ps_fail_list(p, TK_RPAREN);
        break;
      }
      comma = true;
    }
    p->no_struct = saved;
    ps_expect(p, TK_RPAREN);
    if (items.n == 1 && !comma) {  // `(e)` is just e
      n = ((Node **)items.data)[0];
      free(items.data);
      return n;
    }
    n = ps_new_node(p, ND_TUPLE, start);
    n->items = ps_vec_done(p, &items, &n->nitems);
    n->span = span_prev(p, start);
    return n;
  }
  case TK_LBRACKET: {
    advance(p);
    bool saved = p->no_struct;
    p->no_struct = false;
    n = ps_new_node(p, ND_LIST, start);
    if (!at(p, TK_RBRACKET)) {
      Node *first = parse_expr(p);
      if (accept(p, TK_SEMI)) {
        n->kind = ND_LIST_REPEAT;
        n->lhs = first;
        n->rhs = parse_expr(p);
        ps_expect(p, TK_RBRACKET);
      } else {
        Vec items = VEC(Node *);
        ps_vec_push(&items, &first);
        while (accept(p, TK_COMMA) && !at(p, TK_RBRACKET) && !p->panicking) {
          Node *e = parse_expr(p);
          ps_vec_push(&items, &e);
        }
        if (!at(p, TK_RBRACKET)) ps_fail_list(p, TK_RBRACKET);
        ps_expect(p, TK_RBRACKET);
        n->items = ps_vec_done(p, &items, &n->nitems);
      }
    } else {
      advance(p);
    }
    p->no_struct = saved;
    n->span = span_prev(p, start);
    return n;
  }
  case TK_LBRACE:
    if (p->no_struct) break;
    return parse_map(p);
  case TK_SPAWN: {
    advance(p);
    n = ps_new_node(p, ND_SPAWN, start);
    Token *f = peek(p, 0);
    if (f->kind != TK_IDENT || peek(p, 1)->kind != TK_LPAREN) {
      ps_fail_expected(p, "a function call after `spawn`", "expected `name(args)`", false);
      n->lhs = ps_dummy(p);
      return n;
    }
    Node *call = ps_new_node(p, ND_CALL, f->span);
    call->name = ps_tok_text(p, f);
    call->name_span = f->span;
    advance(p);
    advance(p);
    parse_args(p, call, TK_RPAREN);
    call->span = span_prev(p, call->span);
    n->lhs = call;
    n->span = span_prev(p, start);
    return n;
  }
  default:
    break;
  }
  Diag *d = ps_fail_expected(p, "expression", "expected expression", false);
  if (t->kind == TK_PIPE || t->kind == TK_PIPEPIPE)
    diag_help(d, "Toy has no closures: write a named function, `fn add_one(x: int) -> int { return x + 1; }`, "
                 "and call it");
  else if (t->kind == TK_IF || t->kind == TK_MATCH)
    diag_note(d, "`if` and `match` are statements in Toy, not expressions");
  else if (t->kind == TK_LBRACE)
    diag_help(d, "a map or struct literal in a condition must be in parentheses");
  return ps_dummy(p);
}

// postfix = primary ("(" args | "[" expr "]" | "." ident ("(" args)? | "." int)*
static Node *parse_postfix(Parser *p) {
  Node *n = parse_primary(p);
  Span start = n->span;
  for (int chain = 1; !p->panicking; chain++) {
    TokenKind k = kind(p);
    if (k != TK_LBRACKET && k != TK_DOT && k != TK_LPAREN) break;
    if (ps_chain_too_deep(p, chain)) break;
    if (k == TK_LBRACKET) {
      advance(p);
      Node *ix = ps_new_node(p, ND_INDEX, start);
      ix->lhs = n;
      ix->rhs = ps_parse_expr_ctx(p, false);
      if (at(p, TK_DOTDOT) && !p->panicking) {
        Diag *d = ps_fail_expected(p, "`]`", "expected `]`", true);
        diag_help(d, "Toy has no slices: copy the items you need in a loop, "
                     "`for i in 1..3 { part.push(v[i]); }`, or borrow the whole list, `&v`");
      }
      ps_expect(p, TK_RBRACKET);
      ix->span = span_prev(p, start);
      n = ix;
    } else if (k == TK_LPAREN) {
      // Only a plain name can be called, and that case was handled by primary.
      Diag *d = ps_error_at(p, "L0100", n->span, "only a function name can be called");
      diag_primary(d, "this is not a function name");
      diag_note(d, "functions are not values in Toy: a call names a function directly (SPEC §4)");
      advance(p);
      Node *junk = ps_new_node(p, ND_CALL, start);
      parse_args(p, junk, TK_RPAREN);
    } else {
      advance(p);
      Token *f = peek(p, 0);
      if (f->kind == TK_INT) {
        Node *ti = ps_new_node(p, ND_TUPLE_INDEX, start);
        ti->lhs = n;
        ti->ival = f->ival;
        for (int i = 0; i < f->span.len; i++) {
          char c = p->src->text[f->span.off + i];
          if (c < '0' || c > '9') {
            Diag *d = ps_error_at(p, "L0100", f->span, "invalid tuple index");
            diag_primary(d, "expected a plain decimal number like `0`");
            break;
          }
        }
        advance(p);
        ti->span = span_prev(p, start);
        n = ti;
      } else if (f->kind == TK_IDENT) {
        char *name = ps_tok_text(p, f);
        Span nspan = f->span;
        advance(p);
        Node *m;
        if (accept(p, TK_LPAREN)) {
          m = ps_new_node(p, ND_METHOD, start);
          parse_args(p, m, TK_RPAREN);
        } else {
          m = ps_new_node(p, ND_FIELD, start);
        }
        m->lhs = n;
        m->name = name;
        m->name_span = nspan;
        m->span = span_prev(p, start);
        n = m;
      } else {
        ps_fail_expected(p, "field name or tuple index after `.`", "expected identifier or integer", false);
        break;
      }
    }
  }
  return n;
}

// unary = ("-" | "!" | "&" "mut"? | "&&" "mut"?) unary | postfix
static Node *parse_unary(Parser *p) {
  Token *t = peek(p, 0);
  Span start = t->span;
  TokenKind k = t->kind;
  if (k != TK_MINUS && k != TK_BANG && k != TK_AMP && k != TK_AMPAMP) return parse_postfix(p);
  if (!ps_enter(p)) return ps_dummy(p);
  // `-9223372036854775808`: the one literal that needs its minus sign (docs/semantics.md).
  if (k == TK_MINUS && peek(p, 1)->kind == TK_INT && peek(p, 1)->ival == INT64_MIN) {
    TokenKind after = peek(p, 2)->kind;
    if (after != TK_DOT && after != TK_LBRACKET && after != TK_LPAREN) {
      advance(p);
      Node *n = ps_new_node(p, ND_INT, start);
      n->ival = INT64_MIN;
      advance(p);
      n->span = span_prev(p, start);
      ps_leave(p);
      return n;
    }
  }
  advance(p);
  Node *n = ps_new_node(p, ND_UNARY, start);
  n->op = k;
  if (k == TK_AMP || k == TK_AMPAMP) {
    n->op = accept(p, TK_MUT) ? TK_AMP_MUT : TK_AMP;
    if (k == TK_AMPAMP) {  // `&&e` is `& &e`
      Node *inner = n;
      inner->lhs = parse_unary(p);
      inner->span = span_prev(p, start);
      inner->span.off++, inner->span.col++, inner->span.len--;
      n = ps_new_node(p, ND_UNARY, start);
      n->op = TK_AMP;
      n->lhs = inner;
      n->span = span_prev(p, start);
      ps_leave(p);
      return n;
    }
  }
  n->lhs = parse_unary(p);
  n->span = span_prev(p, start);
  ps_leave(p);
  return n;
}

static int binary_prec(TokenKind k) {
  switch (k) {
  case TK_PIPEPIPE: return 1;
  case TK_AMPAMP: return 2;
  case TK_EQEQ: case TK_NE: case TK_LT: case TK_LE: case TK_GT: case TK_GE: return 3;
  case TK_PIPE: return 4;
  case TK_CARET: return 5;
  case TK_AMP: return 6;
  case TK_SHL: case TK_SHR: return 7;
  case TK_PLUS: case TK_MINUS: return 8;
  case TK_STAR: case TK_SLASH: case TK_PERCENT: return 9;
  default: return 0;
  }
}

// binary(min) = unary (op binary(prec(op) + 1))*   for ops with prec >= min
// (precedence climbing; all operators are left-associative except the
// comparisons, which do not associate at all: `a < b < c` is L0105)
static Node *parse_binary(Parser *p, int min) {
  Node *lhs = parse_unary(p);
  Span cmp_op = {0, 0, 0, 0};
  bool lhs_is_cmp = false;
  for (int chain = 1; !p->panicking; chain++) {
    Token *t = peek(p, 0);
    int prec = binary_prec(t->kind);
    if (prec == 0 || prec < min) break;
    if (ps_chain_too_deep(p, chain)) break;
    TokenKind op = t->kind;
    Span op_span = t->span;
    advance(p);
    Node *rhs = parse_binary(p, prec + 1);
    if (prec == 3) {
      if (lhs_is_cmp) {
        Diag *d = ps_error_at(p, "L0105", cmp_op, "comparison operators cannot be chained");
        diag_label(d, op_span, "chained here");
        diag_help(d, "split the comparison in two: `a < b && b < c`");
      }
      lhs_is_cmp = true;
      cmp_op = op_span;
    } else {
      lhs_is_cmp = false;
    }
    Node *n = ps_new_node(p, ND_BINARY, span_to(lhs->span, rhs->span));
    n->op = op;
    n->lhs = lhs;
    n->rhs = rhs;
    lhs = n;
  }
  return lhs;
}

// expr = binary(1)
static Node *parse_expr(Parser *p) {
  if (!ps_enter(p)) return ps_dummy(p);
  Node *n = parse_binary(p, 1);
  ps_leave(p);
  return n;
}

// ---- patterns ------------------------------------------------------------------------------

// pattern = "_" | "-"? int | str | "true" | "false" | "None"
//         | "Some" "(" (ident | "_") ")" | ident "::" ident
Pattern *ps_parse_pattern(Parser *p) {
  Pattern *pat = ast_alloc(p->prog, sizeof(Pattern));
  Token *t = peek(p, 0);
  Span start = t->span;
  pat->span = start;
  switch (t->kind) {
  case TK_MINUS:
  case TK_INT: {
    bool neg = t->kind == TK_MINUS;
    if (neg) {
      advance(p);
      t = peek(p, 0);
      if (t->kind != TK_INT) {
        ps_fail_expected(p, "integer literal", "expected integer literal", false);
        return pat;
      }
    }
    pat->kind = PAT_INT;
    uint64_t v = (uint64_t)t->ival;
    if (t->ival == INT64_MIN && !neg) {
      Diag *d = ps_error_at(p, "L0103", t->span, "integer literal is too large");
      diag_primary(d, "does not fit in `int` (i64)");
      v = 0;
    }
    pat->ival = neg ? (int64_t)(0 - v) : (int64_t)v;
    advance(p);
    break;
  }
  case TK_STR:
    pat->kind = PAT_STR;
    pat->sval = ast_strndup(p->prog, t->sval ? t->sval : "", t->slen);
    pat->slen = t->slen;
    advance(p);
    break;
  case TK_TRUE:
  case TK_FALSE:
    pat->kind = PAT_BOOL;
    pat->bval = t->kind == TK_TRUE;
    advance(p);
    break;
  case TK_NONE:
    pat->kind = PAT_NONE;
    advance(p);
    break;
  case TK_SOME: {
    pat->kind = PAT_SOME;
    advance(p);
    if (!ps_expect(p, TK_LPAREN)) return pat;
    Token *b = peek(p, 0);
    if (b->kind != TK_IDENT) {
      ps_fail_expected(p, "identifier or `_`", "expected a name to bind", false);
      return pat;
    }
    if (!(b->span.len == 1 && p->src->text[b->span.off] == '_')) pat->name = ps_tok_text(p, b);
    pat->name_span = b->span;
    advance(p);
    ps_expect(p, TK_RPAREN);
    break;
  }
  case TK_IDENT: {
    if (t->span.len == 1 && p->src->text[t->span.off] == '_') {
      pat->kind = PAT_WILD;
      advance(p);
      break;
    }
    if (peek(p, 1)->kind != TK_COLONCOLON) {
      Diag *d = ps_fail_expected(p, "pattern", "expected pattern", false);
      diag_help(d, "a pattern is `_`, a literal, `None`, `Some(x)` or `Enum::Variant`");
      return pat;
    }
    pat->kind = PAT_VARIANT;
    pat->enum_name = ps_tok_text(p, t);
    advance(p);
    advance(p);
    Token *v = peek(p, 0);
    if (v->kind != TK_IDENT) {
      ps_fail_expected(p, "identifier", "expected a variant name", false);
      return pat;
    }
    pat->name = ps_tok_text(p, v);
    pat->name_span = v->span;
    advance(p);
    break;
  }
  default: {
    Diag *d = ps_fail_expected(p, "pattern", "expected pattern", false);
    diag_help(d, "a pattern is `_`, a literal, `None`, `Some(x)` or `Enum::Variant`");
    return pat;
  }
  }
  pat->span = span_prev(p, start);
  return pat;
}
