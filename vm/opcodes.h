// opcodes.h — the bytecode instruction set, defined once (Wren's habit).
//
// OPCODE(name, operand bytes, stack effect, meaning, costs). The compiler
// uses the operand size and stack effect to emit code and size frames, the
// dispatch loop in vm.c builds its jump table from it, and `lab dis` prints
// the meaning — and with --costs, what the instruction costs in the Python
// model: which allocations (ALLOC), increfs and decrefs it performs. Operands are little-endian: A is the first operand, B the second.
// "u16" operands are two bytes, "u8" one byte; jumps are u16 offsets counted
// from the end of the instruction. A stack effect of 99 means "computed by
// the compiler" (calls and builders pop a variable number of values).
#ifndef LAB_OPCODES_H
#define LAB_OPCODES_H

#define OPCODES(OPCODE)                                                                     \
  OPCODE(CONST, 2, +1, "push consts[A]", "incref")                                                    \
  OPCODE(NONE, 0, +1, "push None", "none (immortal)")                                                          \
  OPCODE(TRUE, 0, +1, "push true", "none (immortal)")                                                          \
  OPCODE(FALSE, 0, +1, "push false", "none (immortal)")                                                        \
  OPCODE(POP, 0, -1, "drop the top of the stack", "decref")                                            \
  OPCODE(DUP, 0, +1, "push the top of the stack again", "incref")                                      \
  OPCODE(DUP2, 0, +2, "push the top two values again, in order", "incref x2")                             \
  OPCODE(ROT, 1, 0, "move the value A places below the top up to the top", "none")                   \
  OPCODE(LOAD, 2, +1, "push local A", "incref")                                                        \
  OPCODE(LOAD_CHECKED, 2, +1, "push local A; error if it was never assigned", "incref")                \
  OPCODE(STORE, 2, -1, "pop into local A, releasing its old value", "decref the old value")                          \
  OPCODE(CLEAR, 2, 0, "release local A and mark it unassigned", "decref the old value")                              \
  OPCODE(ADD, 0, -1, "a + b", "ALLOC int/float/str (ints -5..256 cached); decref x2")                                                                \
  OPCODE(SUB, 0, -1, "a - b", "ALLOC int/float (ints -5..256 cached); decref x2")                                                                \
  OPCODE(MUL, 0, -1, "a * b", "ALLOC int/float (ints -5..256 cached); decref x2")                                                                \
  OPCODE(DIV, 0, -1, "a / b", "ALLOC int/float (ints -5..256 cached); decref x2")                                                                \
  OPCODE(MOD, 0, -1, "a % b", "ALLOC int/float (ints -5..256 cached); decref x2")                                                                \
  OPCODE(BAND, 0, -1, "a & b", "ALLOC int (ints -5..256 cached); decref x2")                                                               \
  OPCODE(BOR, 0, -1, "a | b", "ALLOC int (ints -5..256 cached); decref x2")                                                                \
  OPCODE(BXOR, 0, -1, "a ^ b", "ALLOC int (ints -5..256 cached); decref x2")                                                               \
  OPCODE(SHL, 0, -1, "a << b", "ALLOC int (ints -5..256 cached); decref x2")                                                               \
  OPCODE(SHR, 0, -1, "a >> b", "ALLOC int (ints -5..256 cached); decref x2")                                                               \
  OPCODE(EQ, 0, -1, "a == b", "decref x2 (bools are immortal)")                                                                \
  OPCODE(NE, 0, -1, "a != b", "decref x2 (bools are immortal)")                                                                \
  OPCODE(LT, 0, -1, "a < b", "decref x2 (bools are immortal)")                                                                 \
  OPCODE(LE, 0, -1, "a <= b", "decref x2 (bools are immortal)")                                                                \
  OPCODE(GT, 0, -1, "a > b", "decref x2 (bools are immortal)")                                                                 \
  OPCODE(GE, 0, -1, "a >= b", "decref x2 (bools are immortal)")                                                                \
  OPCODE(NEG, 0, 0, "-a", "ALLOC int/float (ints -5..256 cached); decref")                                                                    \
  OPCODE(NOT, 0, 0, "!a (logical for bool, bitwise for int)", "ALLOC int for !int; decref")                                \
  OPCODE(JUMP, 2, 0, "jump forward A bytes", "none")                                                 \
  OPCODE(LOOP, 2, 0, "jump back A bytes (a loop's back edge)", "none")                               \
  OPCODE(JUMP_IF_FALSE, 2, -1, "pop; jump forward A if it is falsy", "decref (bools are immortal)")                         \
  OPCODE(JUMP_IF_FALSE_OR_POP, 2, -1, "jump forward A keeping the top if falsy, else pop it", "decref when it pops") \
  OPCODE(JUMP_IF_TRUE_OR_POP, 2, -1, "jump forward A keeping the top if truthy, else pop it", "decref when it pops") \
  OPCODE(CALL, 3, 99, "call function A with B arguments", "push a frame: the arguments become its slots, no copies")                                    \
  OPCODE(CALL_NATIVE, 3, 99, "call #[native] function A with B arguments through the hybrid boundary (docs/hybrid.md)", "convert each argument to a native value (copies: no ALLOC), run compiled code, convert the result (ALLOC); decref each argument") \
  OPCODE(CALL_BUILTIN, 2, 99, "call builtin A with B arguments", "decref each argument; the result may be an ALLOC")                             \
  OPCODE(CALL_METHOD, 4, 99, "call method A (name: consts[C]) on B arguments + receiver", "decref receiver and arguments; the result may be an ALLOC")    \
  OPCODE(RETURN, 0, -1, "return the top of the stack", "decref every slot of the frame")                                       \
  OPCODE(RETURN_NONE, 0, 0, "return None", "decref every slot of the frame")                                                   \
  OPCODE(BUILD_LIST, 2, 99, "pop A values into a new list", "ALLOC list + item array; the items move in")                                  \
  OPCODE(LIST_REPEAT, 0, -1, "[a; n]: a list of n copies of a", "ALLOC list; n-1 deep copies (ALLOC each)")                              \
  OPCODE(BUILD_MAP, 2, 99, "pop A key/value pairs into a new map", "ALLOC map + table; incref keys and values, decref x2A")                           \
  OPCODE(BUILD_TUPLE, 2, 99, "pop A values into a new tuple", "ALLOC tuple; the items move in")                                \
  OPCODE(BUILD_STRUCT, 2, 99, "pop the fields of struct literal shape A into a new instance", "ALLOC instance + field hash table (like __dict__): every field set, a copy of the struct's key table, the values moved in; else incref each field") \
  OPCODE(SOME, 0, 0, "Some(a)", "ALLOC Some box; the value moves in")                                                              \
  OPCODE(INDEX, 0, -1, "a[b]", "incref the element; decref x2")                                                               \
  OPCODE(STORE_INDEX, 0, -3, "a[b] = c", "incref new, decref old; decref x3")                                                     \
  OPCODE(GET_FIELD, 2, 0, "a.consts[A]", "hash lookup; incref the field, decref the instance")                                                     \
  OPCODE(SET_FIELD, 2, -2, "a.consts[A] = b", "hash lookup; incref new, decref old, decref x2")                                                \
  OPCODE(TUPLE_GET, 2, 0, "a.A (tuple element)", "incref the item; decref the tuple")                                             \
  OPCODE(GET_ITER, 0, 0, "replace a list or map by an iterator over it", "ALLOC iterator; decref the list")                     \
  OPCODE(FOR_ITER, 4, +1, "push the next item of the iterator in local A, or jump forward B", "incref the item") \
  OPCODE(FOR_RANGE, 4, +1, "if local A < local A+1 push local A, else jump forward B", "incref the counter")       \
  OPCODE(INCR, 2, 0, "local A += 1 (a range loop's counter)", "ALLOC int (ints <= 256 cached); decref the old")                                \
  OPCODE(MATCH_SOME, 2, 0, "if a is Some(x) replace it by x, else pop it and jump forward A", "incref the payload; decref the box") \
  OPCODE(SPAWN, 3, 99, "start function A with B arguments on a new thread (A = 0xffff: wrap the value on top, a builtin call already made)", "ALLOC thread handle; the stack's references to the arguments move to the thread")                \
  OPCODE(RAISE, 3, 0, "raise runtime error kind A with message consts[B]", "none")                       \
  /* Specialized forms (PEP 659, vm/specialize.c): written over ADD, SUB, MUL, LT, LE, GT, GE,   */ \
  /* GET_FIELD and INDEX after their warm-up; each guards its operands and goes back on a miss.  */ \
  OPCODE(ADD_INT, 0, -1, "a + b, specialized for two ints", "ALLOC int (ints -5..256 cached); decref x2") \
  OPCODE(ADD_FLOAT, 0, -1, "a + b, specialized for two floats", "ALLOC float; decref x2")                \
  OPCODE(SUB_INT, 0, -1, "a - b, specialized for two ints", "ALLOC int (ints -5..256 cached); decref x2") \
  OPCODE(SUB_FLOAT, 0, -1, "a - b, specialized for two floats", "ALLOC float; decref x2")                \
  OPCODE(MUL_INT, 0, -1, "a * b, specialized for two ints", "ALLOC int (ints -5..256 cached); decref x2") \
  OPCODE(MUL_FLOAT, 0, -1, "a * b, specialized for two floats", "ALLOC float; decref x2")                \
  OPCODE(LT_INT, 0, -1, "a < b, specialized for two ints", "decref x2")                                   \
  OPCODE(LT_FLOAT, 0, -1, "a < b, specialized for two floats", "decref x2")                               \
  OPCODE(LE_INT, 0, -1, "a <= b, specialized for two ints", "decref x2")                                  \
  OPCODE(LE_FLOAT, 0, -1, "a <= b, specialized for two floats", "decref x2")                              \
  OPCODE(GT_INT, 0, -1, "a > b, specialized for two ints", "decref x2")                                   \
  OPCODE(GT_FLOAT, 0, -1, "a > b, specialized for two floats", "decref x2")                               \
  OPCODE(GE_INT, 0, -1, "a >= b, specialized for two ints", "decref x2")                                  \
  OPCODE(GE_FLOAT, 0, -1, "a >= b, specialized for two floats", "decref x2")                              \
  OPCODE(GET_FIELD_CACHED, 2, 0, "a.consts[A], the field's place in the instance cached", "incref the field, decref the instance (no hash lookup)") \
  OPCODE(INDEX_LIST_INT, 0, -1, "a[b], specialized for a list and an int", "incref the element; decref x2") \
  OPCODE(DIV_FLOAT, 0, -1, "a / b, specialized for two floats", "ALLOC float; decref x2")                \
  OPCODE(STORE_INDEX_LIST_INT, 0, -3, "a[b] = c, specialized for a list and an int", "decref old; decref x2") \
  OPCODE(LOAD_LOAD, 2, +1, "LOAD A, then the LOAD after it, in one dispatch (a superinstruction)", "incref x2") \
  OPCODE(LOAD_CONST, 2, +1, "LOAD A, then the CONST after it, in one dispatch (a superinstruction)", "incref x2") \
  OPCODE(STORE_LOAD, 2, -1, "STORE A, then the LOAD after it, in one dispatch (a superinstruction)", "decref the old value; incref")

typedef enum {
#define OPCODE_ENUM_ENTRY(name, operands, effect, doc, costs) OP_##name,
  OPCODES(OPCODE_ENUM_ENTRY)
#undef OPCODE_ENUM_ENTRY
  OP_COUNT
} OpCode;

typedef struct OpInfo {
  const char *name;
  int operand_bytes;
  int stack_effect;
  const char *doc;
  const char *costs;
} OpInfo;

extern const OpInfo bc_opinfo[OP_COUNT];

#endif
