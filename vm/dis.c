// dis.c — `lab dis`: a bytecode listing in the manner of Python's dis module.
//
//   Disassembly of fib (line 1): 1 argument, 1 slot, max stack 3
//     2           0 LOAD                      0 (n)
//                 3 CONST                     0 (2)
//                 6 LT
//                 7 JUMP_IF_FALSE             4 (to 14)
//
// Columns: source line (printed when it changes), byte offset, opcode,
// operand(s), and what the operand means. `lab dis --costs` adds, after `#`,
// what the instruction costs in the Python model (vm/opcodes.h): ALLOC for
// an object allocated, and the increfs and decrefs it performs.

#include <stdbool.h>
#include <string.h>

#include "builtins.h"
#include "code.h"
#include "print.h"

// Set for the duration of a --costs listing.
static bool show_costs;

static const char *slot_name(Function *f, int slot) {
  return slot >= 0 && slot < f->nlocals ? f->slot_names[slot] : "?";
}

static void const_repr(RtBuf *b, Function *f, int i) {
  if (i < 0 || i >= f->nconsts) {
    rtbuf_puts(b, "?");
    return;
  }
  print_to(b, f->consts[i], false);
}

static const char *plural(int n, const char *word, const char *words) { return n == 1 ? word : words; }

// Prints one instruction; returns the offset of the next.
static int dis_instruction(BcProgram *p, Function *f, int off, int *last_line, FILE *out) {
  uint8_t op = f->code[off];
  const uint8_t *a = f->code + off + 1;
  int next = off + 1 + bc_opinfo[op].operand_bytes;
  RtBuf arg, meaning;
  rtbuf_init(&arg);
  rtbuf_init(&meaning);
  switch ((OpCode)op) {
    case OP_CONST:
      rtbuf_printf(&arg, "%d", bc_read16(a));
      const_repr(&meaning, f, bc_read16(a));
      break;
    case OP_LOAD: case OP_LOAD_CHECKED: case OP_STORE: case OP_CLEAR: case OP_INCR:
    case OP_LOAD_LOAD: case OP_LOAD_CONST: case OP_STORE_LOAD:  // A is the first one's local
      rtbuf_printf(&arg, "%d", bc_read16(a));
      rtbuf_puts(&meaning, slot_name(f, bc_read16(a)));
      break;
    case OP_ROT:
      rtbuf_printf(&arg, "%d", a[0]);
      break;
    case OP_JUMP: case OP_JUMP_IF_FALSE: case OP_JUMP_IF_FALSE_OR_POP:
    case OP_JUMP_IF_TRUE_OR_POP: case OP_MATCH_SOME:
      rtbuf_printf(&arg, "%d", bc_read16(a));
      rtbuf_printf(&meaning, "to %d", next + bc_read16(a));
      break;
    case OP_LOOP:
      rtbuf_printf(&arg, "%d", bc_read16(a));
      rtbuf_printf(&meaning, "to %d", next - bc_read16(a));
      break;
    case OP_CALL:
    case OP_CALL_NATIVE: {
      int fn = bc_read16(a), n = a[2];
      rtbuf_printf(&arg, "%d %d", fn, n);
      rtbuf_printf(&meaning, "%s, %d %s", fn < p->nfns ? p->fns[fn]->name : "?", n, plural(n, "arg", "args"));
      break;
    }
    case OP_SPAWN: {
      int fn = bc_read16(a), n = a[2];
      rtbuf_printf(&arg, "%d %d", fn, n);
      if (fn == SPAWN_DONE) rtbuf_puts(&meaning, "(value already computed)");
      else rtbuf_printf(&meaning, "%s, %d %s", fn < p->nfns ? p->fns[fn]->name : "?", n, plural(n, "arg", "args"));
      break;
    }
    case OP_CALL_BUILTIN:
      rtbuf_printf(&arg, "%d %d", a[0], a[1]);
      rtbuf_printf(&meaning, "%s, %d %s", a[0] < BI_COUNT ? rt_builtins[a[0]].name : "?", a[1],
                   plural(a[1], "arg", "args"));
      break;
    case OP_CALL_METHOD:
      rtbuf_printf(&arg, "%d %d %d", a[0], a[1], bc_read16(a + 2));
      rtbuf_printf(&meaning, ".%s, %d %s", a[0] < MT_COUNT ? rt_method_name(a[0]) : "(unknown)",
                   a[1], plural(a[1], "arg", "args"));
      break;
    case OP_BUILD_LIST: case OP_BUILD_MAP: case OP_BUILD_TUPLE:
      rtbuf_printf(&arg, "%d", bc_read16(a));
      break;
    case OP_BUILD_STRUCT: {
      int s = bc_read16(a);
      rtbuf_printf(&arg, "%d", s);
      if (s < p->nshapes) {
        StructShape *sh = &p->shapes[s];
        rtbuf_printf(&meaning, "%s {", sh->def->name->data);
        for (int i = 0; i < sh->n; i++) rtbuf_printf(&meaning, "%s%s", i ? ", " : " ", sh->names[i]->data);
        rtbuf_puts(&meaning, " }");
      }
      break;
    }
    case OP_GET_FIELD: case OP_SET_FIELD: case OP_GET_FIELD_CACHED:
      rtbuf_printf(&arg, "%d", bc_read16(a));
      if (bc_read16(a) < f->nconsts) rtbuf_printf(&meaning, ".%s", ((StrObj *)f->consts[bc_read16(a)])->data);
      break;
    case OP_TUPLE_GET:
      rtbuf_printf(&arg, "%d", bc_read16(a));
      rtbuf_printf(&meaning, ".%d", bc_read16(a));
      break;
    case OP_FOR_ITER:
      rtbuf_printf(&arg, "%d %d", bc_read16(a), bc_read16(a + 2));
      rtbuf_printf(&meaning, "%s, to %d", slot_name(f, bc_read16(a)), next + bc_read16(a + 2));
      break;
    case OP_FOR_RANGE:
      rtbuf_printf(&arg, "%d %d", bc_read16(a), bc_read16(a + 2));
      rtbuf_printf(&meaning, "%s < %s, to %d", slot_name(f, bc_read16(a)), slot_name(f, bc_read16(a) + 1),
                   next + bc_read16(a + 2));
      break;
    case OP_RAISE:
      rtbuf_printf(&arg, "%d %d", a[0], bc_read16(a + 1));
      rtbuf_printf(&meaning, "%s: ", a[0] < RT_ERROR_COUNT ? rt_error_name(a[0]) : "?");
      if (bc_read16(a + 1) < f->nconsts) print_to(&meaning, f->consts[bc_read16(a + 1)], true);
      break;
    default:
      break;
  }
  int line = f->lines[off];
  RtBuf text;
  rtbuf_init(&text);
  if (line != *last_line) {
    if (off) fputc('\n', out);
    rtbuf_printf(&text, "%4d", line);
    *last_line = line;
  } else {
    rtbuf_puts(&text, "    ");
  }
  if (arg.len) rtbuf_printf(&text, " %9d %-22s %8s", off, bc_opinfo[op].name, arg.data);
  else rtbuf_printf(&text, " %9d %s", off, bc_opinfo[op].name);
  if (meaning.len) rtbuf_printf(&text, " (%s)", meaning.data);
  if (show_costs) {
    while (text.len < 64) rtbuf_putc(&text, ' ');
    rtbuf_printf(&text, " # %s", bc_opinfo[op].costs);
  }
  fprintf(out, "%s\n", text.data);
  rtbuf_free(&text);
  rtbuf_free(&arg);
  rtbuf_free(&meaning);
  return next;
}

static void dis_function(BcProgram *p, Function *f, FILE *out) {
  fprintf(out, "Disassembly of %s (line %d): %d %s, %d %s, max stack %d\n", f->name, f->line, f->arity,
          plural(f->arity, "argument", "arguments"), f->nlocals, plural(f->nlocals, "slot", "slots"),
          f->max_stack);
  if (f->nlocals) {
    fprintf(out, "  slots:");
    for (int i = 0; i < f->nlocals; i++) fprintf(out, " %d=%s", i, f->slot_names[i]);
    fputc('\n', out);
  }
  int last_line = -1;
  for (int off = 0; off < f->len;) off = dis_instruction(p, f, off, &last_line, out);
  fputc('\n', out);
}

int bc_disassemble(BcProgram *p, FILE *out, const char *only_fn, bool costs) {
  int shown = 0;
  show_costs = costs;
  for (int i = 0; i < p->nfns; i++) {
    if (only_fn && strcmp(only_fn, p->fns[i]->name) != 0) continue;
    dis_function(p, p->fns[i], out);
    shown++;
  }
  return shown > 0;
}
