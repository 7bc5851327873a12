// ast.c — the syntax tree's arena, name look-ups and the debugging dump
// (see ast.h and parser.h).
//
// The arena is a list of chunks with a bump pointer: allocation is a pointer
// increment, and ast_free() releases the whole tree at once. Memory comes back
// zeroed, so a new Node has every optional field NULL/0/false.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ast.h"
#include "parser.h"
#include "suggest.h"
#include "tokens.h"
#include "xalloc.h"

#define CHUNK_SIZE (64 * 1024)

typedef struct Chunk {
  struct Chunk *next;
  size_t used, cap;
  max_align_t data[];
} Chunk;

struct Arena {
  Chunk *head;
};

void *ast_alloc(Program *p, size_t size) {
  if (!p->arena) p->arena = rt_xcalloc(1, sizeof(Arena));
  Arena *a = p->arena;
  size_t align = sizeof(max_align_t);
  size = (size + align - 1) / align * align;
  if (size == 0) size = align;
  Chunk *c = a->head;
  if (!c || c->cap - c->used < size) {
    size_t cap = size > CHUNK_SIZE / 4 ? size : CHUNK_SIZE;
    Chunk *n = rt_xcalloc(1, sizeof(Chunk) + cap);
    n->cap = cap;
    if (c && size > CHUNK_SIZE / 4) {
      // A big block gets its own chunk behind the current one, so the
      // current chunk's free space is not wasted.
      n->next = c->next;
      c->next = n;
      n->used = size;
      return n->data;
    }
    n->next = c;
    a->head = c = n;
  }
  void *r = (char *)c->data + c->used;
  c->used += size;
  return r;
}

char *ast_strndup(Program *p, const char *s, size_t n) {
  char *d = ast_alloc(p, n + 1);
  if (n) memcpy(d, s, n);
  d[n] = '\0';
  return d;
}

void ast_free(Program *p) {
  if (!p) return;
  if (p->arena) {
    Chunk *c = p->arena->head;
    while (c) {
      Chunk *next = c->next;
      free(c);
      c = next;
    }
    free(p->arena);
  }
  free(p);
}

// ---- look-ups --------------------------------------------------------------------

const char *ast_call_hint(const Source *src, const Node *call, char *out, size_t size) {
  char args[2][64];
  const char *argv[2] = {args[0], args[1]};
  for (int i = 0; i < call->nitems && i < 2; i++) source_text(src, call->items[i]->span, args[i], sizeof args[i]);
  return suggest_call(call->name, call->nitems, argv, out, size);
}

const char *ast_item_name(const Item *it) {
  switch (it->kind) {
  case IT_FN: return it->fn.name;
  case IT_STRUCT: return it->st.name;
  case IT_ENUM: return it->en.name;
  case IT_CONST: return it->cn.name;
  }
  return NULL;
}

static Item *find_item(Program *p, ItemKind kind, const char *name) {
  for (int i = 0; i < p->nitems; i++) {
    Item *it = p->items[i];
    if (it->kind != kind) continue;
    const char *n = ast_item_name(it);
    if (n && strcmp(n, name) == 0) return it;
  }
  return NULL;
}

FnDecl *ast_find_fn(Program *p, const char *name) {
  Item *it = find_item(p, IT_FN, name);
  return it ? &it->fn : NULL;
}

StructDecl *ast_find_struct(Program *p, const char *name) {
  Item *it = find_item(p, IT_STRUCT, name);
  return it ? &it->st : NULL;
}

EnumDecl *ast_find_enum(Program *p, const char *name) {
  Item *it = find_item(p, IT_ENUM, name);
  return it ? &it->en : NULL;
}

ConstDecl *ast_find_const(Program *p, const char *name) {
  Item *it = find_item(p, IT_CONST, name);
  return it ? &it->cn : NULL;
}

// ---- dump ------------------------------------------------------------------------
//
// One node per line, indented two spaces per level, each ending with its
// position:  `binary + @3:13`.

static void dump_str(FILE *out, const char *s, size_t n) {
  fputc('"', out);
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    switch (c) {
    case '\n': fputs("\\n", out); break;
    case '\t': fputs("\\t", out); break;
    case '\r': fputs("\\r", out); break;
    case '\\': fputs("\\\\", out); break;
    case '"': fputs("\\\"", out); break;
    default:
      if (c < 0x20 || c == 0x7f) fprintf(out, "\\x%02x", c);
      else fputc(c, out);
    }
  }
  fputc('"', out);
}

static void dump_type(FILE *out, const TypeExpr *t) {
  if (!t) {
    fputs("<?>", out);
    return;
  }
  switch (t->kind) {
  case TE_NAME: fputs(t->name ? t->name : "<?>", out); break;
  case TE_LIST: fputc('[', out); dump_type(out, t->elem); fputc(']', out); break;
  case TE_MAP:
    fputc('{', out);
    dump_type(out, t->key);
    fputs(": ", out);
    dump_type(out, t->elem);
    fputc('}', out);
    break;
  case TE_TUPLE:
    fputc('(', out);
    for (int i = 0; i < t->nitems; i++) {
      if (i) fputs(", ", out);
      dump_type(out, t->items[i]);
    }
    if (t->nitems == 1) fputc(',', out);
    fputc(')', out);
    break;
  case TE_OPTION: fputc('?', out); dump_type(out, t->elem); break;
  case TE_REF: fputc('&', out); dump_type(out, t->elem); break;
  case TE_REFMUT: fputs("&mut ", out); dump_type(out, t->elem); break;
  case TE_THREAD: fputs("thread[", out); dump_type(out, t->elem); fputc(']', out); break;
  }
}

static void indent(FILE *out, int n) {
  for (int i = 0; i < n; i++) fputs("  ", out);
}

static void at(FILE *out, Span s) { fprintf(out, " @%d:%d\n", s.line, s.col); }

static void dump_pattern(FILE *out, const Pattern *pat, int ind) {
  indent(out, ind);
  if (!pat) {
    fputs("<missing pattern>\n", out);
    return;
  }
  switch (pat->kind) {
  case PAT_WILD: fputs("pat _", out); break;
  case PAT_INT: fprintf(out, "pat %lld", (long long)pat->ival); break;
  case PAT_STR: fputs("pat ", out); dump_str(out, pat->sval, pat->slen); break;
  case PAT_BOOL: fprintf(out, "pat %s", pat->bval ? "true" : "false"); break;
  case PAT_NONE: fputs("pat None", out); break;
  case PAT_SOME: fprintf(out, "pat Some(%s)", pat->name ? pat->name : "_"); break;
  case PAT_VARIANT: fprintf(out, "pat %s::%s", pat->enum_name, pat->name); break;
  }
  at(out, pat->span);
}

static void dump_node(FILE *out, const Node *n, int ind);

// An operator as written: `+` rather than tok_spelling's "`+`".
static void dump_op(FILE *out, const char *what, int op) {
  const char *s = tok_spelling((TokenKind)op);
  size_t n = strlen(s);
  if (n >= 2 && s[0] == '`') fprintf(out, "%s %.*s", what, (int)(n - 2), s + 1);
  else fprintf(out, "%s %s", what, s);
}

static void dump_items(FILE *out, const Node *n, int ind) {
  for (int i = 0; i < n->nitems; i++) dump_node(out, n->items[i], ind);
}

static void dump_node(FILE *out, const Node *n, int ind) {
  indent(out, ind);
  if (!n) {
    fputs("<missing>\n", out);
    return;
  }
  switch (n->kind) {
  case ND_INT: fprintf(out, "int %lld", (long long)n->ival); break;
  case ND_FLOAT: fprintf(out, "float %.17g", n->fval); break;
  case ND_STR: fputs("str ", out); dump_str(out, n->sval, n->slen); break;
  case ND_BOOL: fputs(n->bval ? "bool true" : "bool false", out); break;
  case ND_NONE: fputs("none", out); break;
  case ND_SOME: fputs("some", out); break;
  case ND_NAME: fprintf(out, "name %s", n->name); break;
  case ND_PATH: fprintf(out, "path %s::%s", n->enum_name, n->name); break;
  case ND_LIST: fputs("list", out); break;
  case ND_LIST_REPEAT: fputs("list-repeat", out); break;
  case ND_MAP: fputs("map", out); break;
  case ND_TUPLE: fputs("tuple", out); break;
  case ND_STRUCT_LIT: fprintf(out, "struct-lit %s", n->name); break;
  case ND_UNARY: dump_op(out, "unary", n->op); break;
  case ND_BINARY: dump_op(out, "binary", n->op); break;
  case ND_CALL: fprintf(out, "call %s", n->name); break;
  case ND_METHOD: fprintf(out, "method .%s", n->name); break;
  case ND_INDEX: fputs("index", out); break;
  case ND_FIELD: fprintf(out, "field .%s", n->name); break;
  case ND_TUPLE_INDEX: fprintf(out, "tuple-index .%lld", (long long)n->ival); break;
  case ND_SPAWN: fputs("spawn", out); break;
  case ND_LET:
    fprintf(out, "let %s%s", n->is_mut ? "mut " : "", n->name);
    if (n->type) {
      fputs(": ", out);
      dump_type(out, n->type);
    }
    break;
  case ND_ASSIGN: dump_op(out, "assign", n->op); break;
  case ND_EXPR_STMT: fputs("expr-stmt", out); break;
  case ND_IF: fputs("if", out); break;
  case ND_WHILE: fputs("while", out); break;
  case ND_FOR_RANGE: fprintf(out, "for-range %s", n->name); break;
  case ND_FOR_IN: fprintf(out, "for-in %s", n->name); break;
  case ND_BREAK: fputs("break", out); break;
  case ND_CONTINUE: fputs("continue", out); break;
  case ND_RETURN: fputs("return", out); break;
  case ND_MATCH: fputs("match", out); break;
  case ND_ARM: fputs("arm", out); break;
  case ND_BLOCK: fputs("block", out); break;
  }
  at(out, n->span);

  switch (n->kind) {
  case ND_MAP:
    for (int i = 0; i < n->nitems; i++) {
      dump_node(out, n->items[i], ind + 1);
      dump_node(out, n->values[i], ind + 2);
    }
    break;
  case ND_STRUCT_LIT:
    for (int i = 0; i < n->nitems; i++) {
      indent(out, ind + 1);
      fprintf(out, "field %s", n->fields[i]);
      at(out, n->field_spans[i]);
      dump_node(out, n->items[i], ind + 2);
    }
    break;
  case ND_LIST: case ND_TUPLE: case ND_CALL: case ND_BLOCK: case ND_MATCH:
    if (n->kind == ND_MATCH) dump_node(out, n->lhs, ind + 1);
    dump_items(out, n, ind + 1);
    break;
  case ND_METHOD:
    dump_node(out, n->lhs, ind + 1);
    dump_items(out, n, ind + 1);
    break;
  case ND_SOME: case ND_UNARY: case ND_FIELD: case ND_TUPLE_INDEX: case ND_SPAWN:
  case ND_EXPR_STMT:
    dump_node(out, n->lhs, ind + 1);
    break;
  case ND_LET: case ND_RETURN:
    if (n->lhs) dump_node(out, n->lhs, ind + 1);
    break;
  case ND_LIST_REPEAT: case ND_BINARY: case ND_INDEX: case ND_ASSIGN:
    dump_node(out, n->lhs, ind + 1);
    dump_node(out, n->rhs, ind + 1);
    break;
  case ND_IF:
    dump_node(out, n->cond, ind + 1);
    dump_node(out, n->then, ind + 1);
    if (n->els) dump_node(out, n->els, ind + 1);
    break;
  case ND_WHILE:
    dump_node(out, n->cond, ind + 1);
    dump_node(out, n->body, ind + 1);
    break;
  case ND_FOR_RANGE:
    dump_node(out, n->lhs, ind + 1);
    dump_node(out, n->rhs, ind + 1);
    dump_node(out, n->body, ind + 1);
    break;
  case ND_FOR_IN:
    dump_node(out, n->lhs, ind + 1);
    dump_node(out, n->body, ind + 1);
    break;
  case ND_ARM:
    dump_pattern(out, n->pat, ind + 1);
    dump_node(out, n->body, ind + 1);
    break;
  default:
    break;
  }
}

void ast_dump(Program *p, FILE *out) {
  for (int i = 0; i < p->nitems; i++) {
    Item *it = p->items[i];
    switch (it->kind) {
    case IT_FN:
      if (it->fn.native) fprintf(out, "#[native%s]\n", it->fn.nogil ? "(nogil)" : "");
      fprintf(out, "fn %s(", it->fn.name);
      for (int j = 0; j < it->fn.nparams; j++) {
        Param *pa = &it->fn.params[j];
        fprintf(out, "%s%s%s", j ? ", " : "", pa->is_mut ? "mut " : "", pa->name);
        if (pa->type) {
          fputs(": ", out);
          dump_type(out, pa->type);
        }
      }
      fputc(')', out);
      if (it->fn.ret) {
        fputs(" -> ", out);
        dump_type(out, it->fn.ret);
      }
      at(out, it->fn.span);
      dump_node(out, it->fn.body, 1);
      break;
    case IT_STRUCT:
      fprintf(out, "struct %s", it->st.name);
      at(out, it->st.span);
      for (int j = 0; j < it->st.nfields; j++) {
        fprintf(out, "  field %s: ", it->st.fields[j].name);
        dump_type(out, it->st.fields[j].type);
        at(out, it->st.fields[j].span);
      }
      break;
    case IT_ENUM:
      fprintf(out, "enum %s", it->en.name);
      at(out, it->en.span);
      for (int j = 0; j < it->en.nvariants; j++) {
        fprintf(out, "  variant %s", it->en.variants[j]);
        at(out, it->en.variant_spans[j]);
      }
      break;
    case IT_CONST:
      fprintf(out, "const %s", it->cn.name);
      if (it->cn.type) {
        fputs(": ", out);
        dump_type(out, it->cn.type);
      }
      at(out, it->cn.span);
      dump_node(out, it->cn.value, 1);
      break;
    }
  }
}

bool ast_any(const Node *n, bool (*match)(const Node *n, const void *arg), const void *arg) {
  if (!n) return false;
  if (match(n, arg)) return true;
  if (ast_any(n->lhs, match, arg) || ast_any(n->rhs, match, arg) || ast_any(n->cond, match, arg) ||
      ast_any(n->then, match, arg) || ast_any(n->els, match, arg) || ast_any(n->body, match, arg))
    return true;
  for (int i = 0; i < n->nitems; i++)
    if (ast_any(n->items[i], match, arg) || (n->values && ast_any(n->values[i], match, arg))) return true;
  return false;
}

static bool names_local(const Node *n, const void *local) { return n->kind == ND_NAME && n->local == local; }
bool ast_mentions(const Node *n, const struct Local *local) { return ast_any(n, names_local, local); }
