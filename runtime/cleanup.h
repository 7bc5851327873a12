// cleanup.h — what a lab stopped by a signal (Ctrl-C, SIGTERM, SIGHUP) must
// not leave behind. Its temporary directories (a native build's, the
// scratch of compare, profile and trace) are removed when the command ends,
// and by the handler when a signal stops it; without that, every
// interrupted build left its C and objects in the cache and every stopped
// compare its folder in /tmp (gcc's driver does the same with its files).
// And the C compilers it is running are stopped: a lab killed alone left
// gcc compiling for seconds into a directory no longer there.
#ifndef LAB_CLEANUP_H
#define LAB_CLEANUP_H

#include <stdbool.h>

// Removes dir and everything in it (links themselves, never what they point
// to) and forgets it if it was tracked. Async-signal-safe apart from the
// forgetting: only system calls, no allocation.
void rt_remove_tree(const char *dir);
// Remembers dir (made by this process) to be removed if a signal stops the
// process before rt_remove_tree or rt_untrack_temp forgets it. A full table
// (more than 32 at once) tracks nothing more.
void rt_track_temp(const char *dir);
// mkdtemp(tmpl), and the directory made tracked: false (errno set) when
// it could not be made.
bool rt_make_temp_dir(char *tmpl);
// Forgets dir without removing it (it was renamed into place).
void rt_untrack_temp(const char *dir);
// Remembers a child that leads its own process group (a C compiler and the
// programs it starts), to be killed, group and all, if a signal stops the
// process before rt_untrack_group forgets it. At most 16 at once.
void rt_track_group(int pgid);
void rt_untrack_group(int pgid);
// Installs the handler for SIGINT, SIGTERM and SIGHUP, unless the signal is
// ignored (a background job's SIGINT): it kills the tracked groups, removes
// the tracked directories, then lets the signal end the process as it
// would have. Call once, from
// the main thread, before any other thread starts.
void rt_cleanup_on_signals(void);

#endif
