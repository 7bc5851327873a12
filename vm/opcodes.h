// opcodes.h — the bytecode instruction set, defined once (Wren's habit).
//
// OPCODE(name, operand bytes, stack effect, meaning). The compiler uses the
// operand size and stack effect to emit code and size frames, the dispatch
// loop in vm.c builds its jump table from it, and `lab dis` prints the
// meaning. Operands are little-endian: A is the first operand, B the second.
// "u16" operands are two bytes, "u8" one byte; jumps are u16 offsets counted
// from the end of the instruction. A stack effect of 99 means "computed by
// the compiler" (calls and builders pop a variable number of values).
#ifndef LAB_OPCODES_H
#define LAB_OPCODES_H

#define OPCODES(OPCODE)                                                                     \
  OPCODE(CONST, 2, +1, "push consts[A]")                                                    \
  OPCODE(NONE, 0, +1, "push None")                                                          \
  OPCODE(TRUE, 0, +1, "push true")                                                          \
  OPCODE(FALSE, 0, +1, "push false")                                                        \
  OPCODE(POP, 0, -1, "drop the top of the stack")                                            \
  OPCODE(DUP, 0, +1, "push the top of the stack again")                                      \
  OPCODE(DUP2, 0, +2, "push the top two values again, in order")                             \
  OPCODE(ROT, 1, 0, "move the value A places below the top up to the top")                   \
  OPCODE(LOAD, 2, +1, "push local A")                                                        \
  OPCODE(LOAD_CHECKED, 2, +1, "push local A; error if it was never assigned")                \
  OPCODE(STORE, 2, -1, "pop into local A, releasing its old value")                          \
  OPCODE(CLEAR, 2, 0, "release local A and mark it unassigned")                              \
  OPCODE(ADD, 0, -1, "a + b")                                                                \
  OPCODE(SUB, 0, -1, "a - b")                                                                \
  OPCODE(MUL, 0, -1, "a * b")                                                                \
  OPCODE(DIV, 0, -1, "a / b")                                                                \
  OPCODE(MOD, 0, -1, "a % b")                                                                \
  OPCODE(BAND, 0, -1, "a & b")                                                               \
  OPCODE(BOR, 0, -1, "a | b")                                                                \
  OPCODE(BXOR, 0, -1, "a ^ b")                                                               \
  OPCODE(SHL, 0, -1, "a << b")                                                               \
  OPCODE(SHR, 0, -1, "a >> b")                                                               \
  OPCODE(EQ, 0, -1, "a == b")                                                                \
  OPCODE(NE, 0, -1, "a != b")                                                                \
  OPCODE(LT, 0, -1, "a < b")                                                                 \
  OPCODE(LE, 0, -1, "a <= b")                                                                \
  OPCODE(GT, 0, -1, "a > b")                                                                 \
  OPCODE(GE, 0, -1, "a >= b")                                                                \
  OPCODE(NEG, 0, 0, "-a")                                                                    \
  OPCODE(NOT, 0, 0, "!a (logical for bool, bitwise for int)")                                \
  OPCODE(JUMP, 2, 0, "jump forward A bytes")                                                 \
  OPCODE(LOOP, 2, 0, "jump back A bytes (a loop's back edge)")                               \
  OPCODE(JUMP_IF_FALSE, 2, -1, "pop; jump forward A if it is falsy")                         \
  OPCODE(JUMP_IF_FALSE_OR_POP, 2, -1, "jump forward A keeping the top if falsy, else pop it") \
  OPCODE(JUMP_IF_TRUE_OR_POP, 2, -1, "jump forward A keeping the top if truthy, else pop it") \
  OPCODE(CALL, 3, 99, "call function A with B arguments")                                    \
  OPCODE(CALL_BUILTIN, 2, 99, "call builtin A with B arguments")                             \
  OPCODE(CALL_METHOD, 4, 99, "call method A (name: consts[C]) on B arguments + receiver")    \
  OPCODE(RETURN, 0, -1, "return the top of the stack")                                       \
  OPCODE(RETURN_NONE, 0, 0, "return None")                                                   \
  OPCODE(BUILD_LIST, 2, 99, "pop A values into a new list")                                  \
  OPCODE(LIST_REPEAT, 0, -1, "[a; n]: a list of n copies of a")                              \
  OPCODE(BUILD_MAP, 2, 99, "pop A key/value pairs into a new map")                           \
  OPCODE(BUILD_TUPLE, 2, 99, "pop A values into a new tuple")                                \
  OPCODE(BUILD_STRUCT, 2, 99, "pop the fields of struct literal shape A into a new instance") \
  OPCODE(SOME, 0, 0, "Some(a)")                                                              \
  OPCODE(INDEX, 0, -1, "a[b]")                                                               \
  OPCODE(STORE_INDEX, 0, -3, "a[b] = c")                                                     \
  OPCODE(GET_FIELD, 2, 0, "a.consts[A]")                                                     \
  OPCODE(SET_FIELD, 2, -2, "a.consts[A] = b")                                                \
  OPCODE(TUPLE_GET, 2, 0, "a.A (tuple element)")                                             \
  OPCODE(GET_ITER, 0, 0, "replace a list or map by an iterator over it")                     \
  OPCODE(FOR_ITER, 4, +1, "push the next item of the iterator in local A, or jump forward B") \
  OPCODE(FOR_RANGE, 4, +1, "if local A < local A+1 push local A, else jump forward B")       \
  OPCODE(INCR, 2, 0, "local A += 1 (a range loop's counter)")                                \
  OPCODE(MATCH_SOME, 2, 0, "if a is Some(x) replace it by x, else pop it and jump forward A") \
  OPCODE(SPAWN, 0, 0, "wrap the result of a spawned call in a thread handle")                \
  OPCODE(RAISE, 3, 0, "raise runtime error kind A with message consts[B]")

typedef enum {
#define OPCODE_ENUM_ENTRY(name, operands, effect, doc) OP_##name,
  OPCODES(OPCODE_ENUM_ENTRY)
#undef OPCODE_ENUM_ENTRY
  OP_COUNT
} OpCode;

typedef struct OpInfo {
  const char *name;
  int operand_bytes;
  int stack_effect;
  const char *doc;
} OpInfo;

extern const OpInfo bc_opinfo[OP_COUNT];

#endif
