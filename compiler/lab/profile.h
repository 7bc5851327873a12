// profile.h — `lab profile FILE [--mode=interp|native|both] [--top N] [--json]
// [-- ARGS…]`: each source line's costs in both models (compiler/lab/profile.c,
// docs/profile.md).
#ifndef LAB_PROFILE_H
#define LAB_PROFILE_H

// argv holds the arguments after `profile`. Returns the exit code.
int cmd_profile(int argc, char **argv);

#endif
