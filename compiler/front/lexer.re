// lexer.re — the Toy lexer (SPEC §1), a re2c specification. The Makefile turns
// it into build/gen/lexer.c with `re2c -W`; edit this file, never the output.
//
// Three scanners share the definitions below: the main one (tokens), one for
// the inside of `//` comments and one for the inside of string literals. The
// text ends with a NUL sentinel (Source guarantees it) and re2c's `$` rule
// fires only at the real end (YYLIMIT), so a NUL byte inside the file falls
// into the `*` rule and is reported like any other bad byte (L0104).
//
// UTF-8 is checked where it may appear (strings and comments) by the `u8`
// definition, which matches exactly the well-formed sequences of the Unicode
// standard (no overlongs, no surrogates, nothing above U+10FFFF). Anything
// else is invalid UTF-8: one error per run of bad bytes, then scanning goes on.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lexer.h"
#include "format.h"
#include "xalloc.h"

/*!re2c
  re2c:define:YYCTYPE = "unsigned char";
  re2c:define:YYCURSOR = cur;
  re2c:define:YYMARKER = mar;
  re2c:define:YYLIMIT = lim;
  re2c:yyfill:enable = 0;
  re2c:eof = 0;

  tail = [\x80-\xbf];
  u8 = [\xc2-\xdf] tail
     | "\xe0" [\xa0-\xbf] tail | [\xe1-\xec\xee\xef] tail tail | "\xed" [\x80-\x9f] tail
     | "\xf0" [\x90-\xbf] tail tail | [\xf1-\xf3] tail tail tail | "\xf4" [\x80-\x8f] tail tail;
  hexd = [0-9a-fA-F];
  ident = [A-Za-z_][A-Za-z0-9_]*;
  dec = [0-9][0-9_]*;
  hex = "0x" [0-9a-fA-F_]*;
  exp = [eE] [+-]? [0-9_]* [0-9] [0-9_]*;
  float = dec "." [0-9][0-9_]* exp? | dec exp;
*/

// ---- token spellings and keywords (from tokens.h) ------------------------------

static const char *const plain_spelling[] = {
#define PLAIN(kind, s) s,
    TOKEN_KINDS(PLAIN, PLAIN)
#undef PLAIN
};
static const char *const quoted_spelling[] = {
#define QUOTED(kind, s) "`" s "`",
    TOKEN_KINDS(QUOTED, QUOTED)
#undef QUOTED
};

const char *tok_spelling(TokenKind k) {
  if ((int)k < 0 || k >= TK_COUNT) return "invalid token";
  return k <= TK_STR ? plain_spelling[k] : quoted_spelling[k];
}

static const struct {
  const char *word;
  TokenKind kind;
} keywords[] = {
#define NOT_KEYWORD(kind, s)
#define KEYWORD(kind, s) {s, kind},
    TOKEN_KINDS(NOT_KEYWORD, KEYWORD)
#undef NOT_KEYWORD
#undef KEYWORD
};

static TokenKind ident_kind(const unsigned char *s, size_t n) {
  for (size_t i = 0; i < sizeof keywords / sizeof keywords[0]; i++)
    if (strlen(keywords[i].word) == n && memcmp(keywords[i].word, s, n) == 0) return keywords[i].kind;
  return TK_IDENT;
}

// ---- helpers -------------------------------------------------------------------

typedef const unsigned char *Ptr;

void lex_init(Lexer *lx, Source *src, DiagSink *sink) {
  lx->src = src;
  lx->sink = sink;
  lx->cur = src->text;
  lx->lim = src->text + src->len;
  lx->line_start = src->text;
  lx->line = 1;
  lx->col_line = lx->col_at = NULL;
  lx->col = 1;
  lx->prev = TK_EOF;
  lx->eof_error = false;
  if (src->len >= 3 && memcmp(src->text, "\xef\xbb\xbf", 3) == 0) lx->cur += 3;  // a UTF-8 BOM, as rustc skips it
}

static int off_of(Lexer *lx, Ptr p) { return (int)((const char *)p - lx->src->text); }

// The column of p on the line that starts at ls, in characters (source.h).
// It counts from the last position asked for on the same line (back to a
// token's start after an error inside it), so a line costs time linear in
// its length however many tokens it holds. Every position asked for starts
// a character, so the counts add up.
static int col_of(Lexer *lx, const char *ls, Ptr p) {
  const char *q = (const char *)p;
  if (lx->col_line != ls) lx->col_line = lx->col_at = ls, lx->col = 1;
  if (q >= lx->col_at) lx->col += (int)rt_utf8_chars(lx->col_at, (size_t)(q - lx->col_at));
  else lx->col -= (int)rt_utf8_chars(q, (size_t)(lx->col_at - q));
  lx->col_at = q;
  return lx->col;
}

// A span from p to q; p must lie on the current line.
static Span span_here(Lexer *lx, Ptr p, Ptr q) {
  return (Span){off_of(lx, p), (int)(q - p), lx->line, col_of(lx, lx->line_start, p)};
}

static bool is_name_char(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// Reports the bad byte at p (NUL, stray control character, invalid UTF-8 or
// a character that starts no token) and returns where scanning resumes.
static Ptr bad_char(Lexer *lx, Ptr p, bool in_text) {
  Ptr lim = (Ptr)lx->lim;
  if (*p == 0) {
    Diag *d = diag_error(lx->sink, "L0104", span_here(lx, p, p + 1), "null character in source");
    diag_primary(d, "NUL byte");
    diag_help(d, "Toy source must be UTF-8 text; a NUL byte usually means the file is UTF-16 or binary");
    return p + 1;
  }
  int n = (int)rt_utf8_len(p, (size_t)(lim - p));
  if (n == 0) {
    Ptr q = p + 1;
    while (q < lim && *q != 0 && rt_utf8_len(q, (size_t)(lim - q)) == 0) q++;
    Diag *d = diag_error(lx->sink, "L0104", span_here(lx, p, q), "invalid UTF-8 in source (byte 0x%02x)", *p);
    diag_primary(d, "not UTF-8");
    diag_help(d, "save the file as UTF-8");
    return q;
  }
  // 'abc' (Python's and C's quotes): one error for the whole literal.
  if (*p == '\'' && !in_text) {
    Ptr q = p + 1;
    while (q < lim && *q != '\'' && *q != '\n' && q - p < 200) q++;
    if (q < lim && *q == '\'') {
      Diag *d = diag_error(lx->sink, "L0104", span_here(lx, p, q + 1), "strings are written in double quotes");
      diag_primary(d, "single quotes are not part of Toy's syntax");
      bool plain = q - p - 1 <= 60;  // short, valid UTF-8, nothing to escape
      for (Ptr c = p + 1; plain && c < q;) {
        size_t k = rt_utf8_len(c, (size_t)(q - c));
        plain = k > 0 && *c >= 0x20 && *c != 0x7f && *c != '"' && *c != '\\';
        c += k;
      }
      if (plain) diag_help(d, "write it \"%.*s\"", (int)(q - p - 1), (const char *)p + 1);
      return q + 1;
    }
  }
  if (n == 1 && (*p < 0x20 || *p == 0x7f)) {
    Diag *d = diag_error(lx->sink, "L0104", span_here(lx, p, p + 1),
                         "unknown start of token: \\u{%x}", *p);
    diag_primary(d, "control character");
    return p + 1;
  }
  Diag *d = diag_error(lx->sink, "L0104", span_here(lx, p, p + n), "unknown start of token: %.*s", n,
                       (const char *)p);
  diag_primary(d, "this character is not part of Toy's syntax");
  // In a name (`café`, `größe`): Toy's identifiers are ASCII, as Rust's were
  // before 1.53, and as C's are in practice.
  Ptr start = (Ptr)lx->src->text;
  bool in_name = (p > start && is_name_char(p[-1])) || (p + n < lim && is_name_char(p[n]));
  if (n > 1 && in_name)
    diag_help(d, "names are ASCII letters, digits and `_`: spell this one in ASCII (`cafe` for `café`); "
                 "non-ASCII characters may appear only in strings and comments");
  else if (n > 1)
    diag_help(d, "non-ASCII characters may appear only in strings and comments");
  return p + n;
}

// ---- comments --------------------------------------------------------------------

// Skips the body of a `//` comment; returns the newline (or the end) after it.
static Ptr skip_comment(Lexer *lx, Ptr cur) {
  Ptr lim = (Ptr)lx->lim, mar, tok;
  (void)mar;
  for (;;) {
    tok = cur;
    /*!re2c
      "\n" { return tok; }
      $ { return tok; }
      [^\n\x00\x80-\xff]+ { continue; }
      u8 { continue; }
      * { cur = bad_char(lx, tok, true); continue; }
    */
  }
}

// ---- strings ---------------------------------------------------------------------

// A literal's decoded bytes are built in an RtBuf (runtime/format.h).
static void buf_byte(RtBuf *b, unsigned c) { rtbuf_putc(b, (char)c); }

static unsigned hexval(unsigned c) {
  return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}

static void put_utf8(RtBuf *b, uint32_t c) {
  if (c < 0x80) {
    buf_byte(b, c);
  } else if (c < 0x800) {
    buf_byte(b, 0xc0 | (c >> 6));
    buf_byte(b, 0x80 | (c & 0x3f));
  } else if (c < 0x10000) {
    buf_byte(b, 0xe0 | (c >> 12));
    buf_byte(b, 0x80 | ((c >> 6) & 0x3f));
    buf_byte(b, 0x80 | (c & 0x3f));
  } else {
    buf_byte(b, 0xf0 | (c >> 18));
    buf_byte(b, 0x80 | ((c >> 12) & 0x3f));
    buf_byte(b, 0x80 | ((c >> 6) & 0x3f));
    buf_byte(b, 0x80 | (c & 0x3f));
  }
}

static void bad_escape(Lexer *lx, Ptr p, Ptr q, const char *msg, const char *label) {
  Diag *d = diag_error(lx->sink, "L0102", span_here(lx, p, q), "%s", msg);
  diag_primary(d, "%s", label);
}

// Scans a string literal whose opening quote is at `open` (cur is after it).
// Fills t->sval/slen with the decoded bytes; returns the position after the
// closing quote (or the end of the text, after reporting L0101).
static Ptr lex_string(Lexer *lx, Ptr open, Token *t) {
  Ptr cur = open + 1, lim = (Ptr)lx->lim, mar, tok;
  Span open_span = span_here(lx, open, open + 1);
  RtBuf b = {0};
  rtbuf_put(&b, "", 0);  // never NULL: an empty literal is ""
  for (;;) {
    tok = cur;
    /*!re2c
      "\"" { break; }
      "\\n" { buf_byte(&b, '\n'); continue; }
      "\\t" { buf_byte(&b, '\t'); continue; }
      "\\r" { buf_byte(&b, '\r'); continue; }
      "\\\\" { buf_byte(&b, '\\'); continue; }
      "\\\"" { buf_byte(&b, '"'); continue; }
      "\\0" { buf_byte(&b, 0); continue; }
      "\\x" [0-7] hexd { buf_byte(&b, hexval(tok[2]) * 16 + hexval(tok[3])); continue; }
      "\\x" hexd hexd {
        bad_escape(lx, tok, cur, "out of range hex escape", "must be a character in the range [\\x00-\\x7f]");
        continue;
      }
      "\\x" { bad_escape(lx, tok, cur, "numeric character escape is too short", "expected two hex digits"); continue; }
      "\\u{" hexd+ "}" {
        if (cur - tok > 10) {
          bad_escape(lx, tok, cur, "overlong unicode escape", "must have at most 6 hex digits");
          continue;
        }
        uint32_t c = 0;
        for (Ptr q = tok + 3; *q != '}'; q++) c = c * 16 + hexval(*q);
        if (c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) {
          bad_escape(lx, tok, cur, "invalid unicode character escape",
                     c > 0x10ffff ? "invalid escape: beyond U+10FFFF" : "invalid escape: a surrogate");
          continue;
        }
        put_utf8(&b, c);
        continue;
      }
      "\\u" { bad_escape(lx, tok, cur, "incorrect unicode escape sequence", "expected `\\u{HHHH}`"); continue; }
      "\\" [\x21-\x7e] {
        Diag *d = diag_error(lx->sink, "L0102", span_here(lx, tok, cur), "unknown character escape: `%c`", tok[1]);
        diag_primary(d, "unknown character escape");
        diag_help(d, "the escapes are \\n \\t \\r \\\\ \\\" \\0 \\xHH \\u{HHHH}; "
                     "for a literal backslash write `\\\\`");
        continue;
      }
      "\\" { bad_escape(lx, tok, cur, "unknown character escape", "unknown character escape"); continue; }
      "\r"? "\n" {  // a line break in the literal: CRLF is one "\n", as rustc and Python read it
        buf_byte(&b, '\n');
        lx->line++;
        lx->line_start = (const char *)cur;
        continue;
      }
      [^\\"\r\n\x00\x80-\xff]+ { rtbuf_put(&b, (const char *)tok, (size_t)(cur - tok)); continue; }
      "\r" { buf_byte(&b, '\r'); continue; }  // a CR alone stays
      u8 { rtbuf_put(&b, (const char *)tok, (size_t)(cur - tok)); continue; }
      $ {
        open_span.len = (int)(lim - open);
        Diag *d = diag_error(lx->sink, "L0101", open_span, "unterminated double quote string");
        diag_primary(d, "this string is never closed");
        diag_help(d, "add a closing `\"`");
        lx->eof_error = true;
        break;
      }
      * { cur = bad_char(lx, tok, true); continue; }
    */
  }
  if (b.oom) rt_out_of_memory();  // a literal cannot be short
  t->sval = b.data;
  t->slen = b.len;
  return cur;
}

// ---- numbers ---------------------------------------------------------------------

// Converts an integer literal's text. Values above 2^63 are reported; 2^63
// itself comes back as INT64_MIN's bits (see lexer.h).
static int64_t int_value(Lexer *lx, Ptr p, Ptr q) {
  bool hex = q - p >= 2 && p[0] == '0' && p[1] == 'x';
  uint64_t v = 0, base = hex ? 16 : 10, limit = (uint64_t)1 << 63;
  bool any = false, over = false;
  for (Ptr s = hex ? p + 2 : p; s < q; s++) {
    if (*s == '_') continue;
    uint64_t dv = hexval(*s);
    any = true;
    if (v > (limit - dv) / base) over = true;
    else v = v * base + dv;
  }
  if (!any) {
    Diag *d = diag_error(lx->sink, "L0103", span_here(lx, p, q), "no valid digits found for number");
    diag_primary(d, "expected hex digits after `0x`");
    return 0;
  }
  if (over) {
    Diag *d = diag_error(lx->sink, "L0103", span_here(lx, p, q), "integer literal is too large");
    diag_primary(d, "does not fit in `int` (i64)");
    diag_note(d, "the largest `int` is 9223372036854775807; use a float literal for larger values");
    return 0;
  }
  return (int64_t)v;  // 2^63 wraps to INT64_MIN on every compiler we support
}

static double float_value(Ptr p, Ptr q) {
  char small[64];
  size_t n = (size_t)(q - p);
  char *buf = n < sizeof small ? small : rt_xmalloc(n + 1);
  size_t k = 0;
  for (Ptr s = p; s < q; s++)
    if (*s != '_') buf[k++] = (char)*s;
  buf[k] = '\0';
  double v = strtod(buf, NULL);
  if (buf != small) free(buf);
  return v;
}

// Where the letters after a number literal begin (`12abc` -> `abc`); never past q.
static Ptr suffix_start(Ptr p, Ptr q) {
  Ptr s = p;
  if (q - s >= 2 && s[0] == '0' && s[1] == 'x') {
    for (s += 2; s < q && ((*s >= '0' && *s <= '9') || ((*s | 0x20) >= 'a' && (*s | 0x20) <= 'f') || *s == '_'); s++) {}
    return s < q ? s : p;
  }
  while (s < q && ((*s >= '0' && *s <= '9') || *s == '_')) s++;
  if (s + 1 < q && *s == '.' && s[1] >= '0' && s[1] <= '9')
    for (s++; s < q && ((*s >= '0' && *s <= '9') || *s == '_'); s++) {}
  if (s < q && (*s == 'e' || *s == 'E')) {
    Ptr e = s + 1;
    if (e < q && (*e == '+' || *e == '-')) e++;
    if (e < q && *e >= '0' && *e <= '9') {
      while (e < q && ((*e >= '0' && *e <= '9') || *e == '_')) e++;
      s = e;
    }
  }
  return s < q ? s : p;
}

// ---- the main scanner --------------------------------------------------------------

Token lex_next(Lexer *lx) {
  Ptr cur = (Ptr)lx->cur, lim = (Ptr)lx->lim, mar, tok;
  Token t;
  memset(&t, 0, sizeof t);
  TokenKind k;
  int tline;
  const char *tline_start;
  for (;;) {
    tok = cur;
    tline = lx->line;
    tline_start = lx->line_start;
    /*!re2c
      $ {
        // Point at the end of the last line rather than at an empty line after it.
        const char *text = lx->src->text;
        int off = (int)lx->src->len, line = lx->line;
        const char *ls = lx->line_start;
        if (off > 0 && text[off - 1] == '\n') {
          off--;
          line--;
          ls = text + off;
          while (ls > text && ls[-1] != '\n') ls--;
        }
        t.kind = TK_EOF;
        t.span = (Span){off, 0, line, 1 + (int)rt_utf8_chars(ls, (size_t)(text + off - ls))};
        lx->cur = (const char *)cur;
        lx->prev = TK_EOF;
        return t;
      }
      [ \t\r\v\f]+ { continue; }
      "\n" { lx->line++; lx->line_start = (const char *)cur; continue; }
      "//" { cur = skip_comment(lx, cur); continue; }

      ident { k = ident_kind(tok, (size_t)(cur - tok)); goto done; }

      hex { t.ival = int_value(lx, tok, cur); k = TK_INT; goto done; }
      dec {
        t.ival = int_value(lx, tok, cur);
        k = TK_INT;
        goto done;
      }
      float {
        if (lx->prev == TK_DOT) {  // `t.0.1`: only the first digits, as an index
          cur = tok;
          while (*cur >= '0' && *cur <= '9') cur++;
          t.ival = int_value(lx, tok, cur);
          k = TK_INT;
          goto done;
        }
        t.fval = float_value(tok, cur);
        k = TK_FLOAT;
        goto done;
      }
      (hex | dec | float) [A-Za-z_][A-Za-z0-9_]* {
        Ptr s = suffix_start(tok, cur);
        Diag *d = diag_error(lx->sink, "L0103", span_here(lx, tok, cur), "invalid suffix `%.*s` for number literal",
                             (int)(cur - s), (const char *)s);
        diag_primary(d, "invalid suffix `%.*s`", (int)(cur - s), (const char *)s);
        diag_help(d, "Toy number literals take no suffix; separate the name with a space or an operator");
        k = TK_INT;
        goto done;
      }

      "\"" {
        cur = lex_string(lx, tok, &t);
        k = TK_STR;
        goto done;
      }

      "(" { k = TK_LPAREN; goto done; }
      ")" { k = TK_RPAREN; goto done; }
      "[" { k = TK_LBRACKET; goto done; }
      "]" { k = TK_RBRACKET; goto done; }
      "{" { k = TK_LBRACE; goto done; }
      "}" { k = TK_RBRACE; goto done; }
      "," { k = TK_COMMA; goto done; }
      ";" { k = TK_SEMI; goto done; }
      ":" { k = TK_COLON; goto done; }
      "::" { k = TK_COLONCOLON; goto done; }
      "." { k = TK_DOT; goto done; }
      ".." { k = TK_DOTDOT; goto done; }
      "->" { k = TK_ARROW; goto done; }
      "=>" { k = TK_FATARROW; goto done; }
      "?" { k = TK_QUESTION; goto done; }
      "#" { k = TK_HASH; goto done; }
      "+" { k = TK_PLUS; goto done; }
      "-" { k = TK_MINUS; goto done; }
      "*" { k = TK_STAR; goto done; }
      "/" { k = TK_SLASH; goto done; }
      "%" { k = TK_PERCENT; goto done; }
      "&" { k = TK_AMP; goto done; }
      "|" { k = TK_PIPE; goto done; }
      "^" { k = TK_CARET; goto done; }
      "<<" { k = TK_SHL; goto done; }
      ">>" { k = TK_SHR; goto done; }
      "&&" { k = TK_AMPAMP; goto done; }
      "||" { k = TK_PIPEPIPE; goto done; }
      "!" { k = TK_BANG; goto done; }
      "=" { k = TK_EQ; goto done; }
      "==" { k = TK_EQEQ; goto done; }
      "!=" { k = TK_NE; goto done; }
      "<" { k = TK_LT; goto done; }
      "<=" { k = TK_LE; goto done; }
      ">" { k = TK_GT; goto done; }
      ">=" { k = TK_GE; goto done; }
      "+=" { k = TK_PLUS_EQ; goto done; }
      "-=" { k = TK_MINUS_EQ; goto done; }
      "*=" { k = TK_STAR_EQ; goto done; }
      "/=" { k = TK_SLASH_EQ; goto done; }
      "%=" { k = TK_PERCENT_EQ; goto done; }

      * { cur = bad_char(lx, tok, false); continue; }
    */
  }
done:
  t.kind = k;
  t.span = (Span){off_of(lx, tok), (int)(cur - tok), tline, col_of(lx, tline_start, tok)};
  lx->cur = (const char *)cur;
  lx->prev = k;
  return t;
}
