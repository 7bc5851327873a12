// view.h — `lab view FILE [-o OUT.html] [--mode=M] [-n RUNS] [-- ARGS…]`: one
// self-contained page with source, bytecode and C side by side and each
// line's costs (compiler/lab/view.c, docs/view.md).
#ifndef LAB_VIEW_H
#define LAB_VIEW_H

#include "embedded.h"

// The page's HTML, CSS and JavaScript (compiler/lab/view/), carried inside
// ./lab (build/gen/view_embed.c).
extern const LabEmbeddedFile lab_view_files[];
extern const int lab_view_count;

// argv holds the arguments after `view`. Returns the exit code.
int cmd_view(int argc, char **argv);

#endif
