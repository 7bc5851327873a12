// embedded.h — the native runtime's source files, carried inside the lab
// binary (generated into build/gen/rt_embed.c by compiler/tools/embed.c from
// the list in runtime/native/FILES).
#ifndef LAB_EMBEDDED_H
#define LAB_EMBEDDED_H

typedef struct LabEmbeddedFile {
  const char *name;   // the file's name, e.g. "toyrt.h"
  const char *data;
  long len;
} LabEmbeddedFile;

extern const LabEmbeddedFile lab_embedded_files[];
extern const int lab_embedded_count;

#endif
