// tokens.h — the token kinds of Toy (SPEC §1), defined once.
//
// TOKEN(kind, spelling): spelling is what diagnostics print for the token
// ("expected `;`, found `}`"). Keywords are listed with KEYWORD so the lexer
// and the parser's error messages share one list.
#ifndef LAB_TOKENS_H
#define LAB_TOKENS_H

#include "ast.h"

#define TOKEN_KINDS(TOKEN, KEYWORD)                                        \
  TOKEN(TK_EOF, "end of file")                                             \
  TOKEN(TK_ERROR, "invalid token")                                         \
  TOKEN(TK_IDENT, "identifier")                                            \
  TOKEN(TK_INT, "integer literal")                                         \
  TOKEN(TK_FLOAT, "float literal")                                         \
  TOKEN(TK_STR, "string literal")                                          \
  KEYWORD(TK_FN, "fn") KEYWORD(TK_LET, "let") KEYWORD(TK_MUT, "mut")       \
  KEYWORD(TK_CONST, "const") KEYWORD(TK_STRUCT, "struct")                  \
  KEYWORD(TK_ENUM, "enum") KEYWORD(TK_IF, "if") KEYWORD(TK_ELSE, "else")   \
  KEYWORD(TK_WHILE, "while") KEYWORD(TK_FOR, "for") KEYWORD(TK_IN, "in")   \
  KEYWORD(TK_BREAK, "break") KEYWORD(TK_CONTINUE, "continue")              \
  KEYWORD(TK_RETURN, "return") KEYWORD(TK_MATCH, "match")                  \
  KEYWORD(TK_SPAWN, "spawn") KEYWORD(TK_TRUE, "true")                      \
  KEYWORD(TK_FALSE, "false") KEYWORD(TK_NONE, "None")                      \
  KEYWORD(TK_SOME, "Some")                                                 \
  TOKEN(TK_LPAREN, "(") TOKEN(TK_RPAREN, ")")                              \
  TOKEN(TK_LBRACKET, "[") TOKEN(TK_RBRACKET, "]")                          \
  TOKEN(TK_LBRACE, "{") TOKEN(TK_RBRACE, "}")                              \
  TOKEN(TK_COMMA, ",") TOKEN(TK_SEMI, ";") TOKEN(TK_COLON, ":")            \
  TOKEN(TK_COLONCOLON, "::") TOKEN(TK_DOT, ".") TOKEN(TK_DOTDOT, "..")     \
  TOKEN(TK_ARROW, "->") TOKEN(TK_FATARROW, "=>") TOKEN(TK_QUESTION, "?")   \
  TOKEN(TK_HASH, "#")                                                      \
  TOKEN(TK_PLUS, "+") TOKEN(TK_MINUS, "-") TOKEN(TK_STAR, "*")             \
  TOKEN(TK_SLASH, "/") TOKEN(TK_PERCENT, "%")                              \
  TOKEN(TK_AMP, "&") TOKEN(TK_PIPE, "|") TOKEN(TK_CARET, "^")              \
  TOKEN(TK_SHL, "<<") TOKEN(TK_SHR, ">>")                                  \
  TOKEN(TK_AMPAMP, "&&") TOKEN(TK_PIPEPIPE, "||") TOKEN(TK_BANG, "!")      \
  TOKEN(TK_EQ, "=") TOKEN(TK_EQEQ, "==") TOKEN(TK_NE, "!=")                \
  TOKEN(TK_LT, "<") TOKEN(TK_LE, "<=") TOKEN(TK_GT, ">") TOKEN(TK_GE, ">=") \
  TOKEN(TK_PLUS_EQ, "+=") TOKEN(TK_MINUS_EQ, "-=") TOKEN(TK_STAR_EQ, "*=") \
  TOKEN(TK_SLASH_EQ, "/=") TOKEN(TK_PERCENT_EQ, "%=")                      \
  TOKEN(TK_AMP_MUT, "&mut") /* never lexed: ND_UNARY's op for `&mut e` */

typedef enum {
#define TK_ENUM_ENTRY(kind, spelling) kind,
  TOKEN_KINDS(TK_ENUM_ENTRY, TK_ENUM_ENTRY)
#undef TK_ENUM_ENTRY
  TK_COUNT
} TokenKind;

typedef struct Token {
  TokenKind kind;
  Span span;
  int64_t ival;   // TK_INT
  double fval;    // TK_FLOAT
  char *sval;     // TK_STR: decoded bytes (malloc'd by the lexer, owned by the caller);
  size_t slen;    // TK_IDENT: NULL — the name is the span's text
} Token;

// The spelling of a kind, for messages: "`;`", "identifier", "end of file".
const char *tok_spelling(TokenKind k);

#endif
