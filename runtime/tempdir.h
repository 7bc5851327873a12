// tempdir.h — the lab's temporary directories (a native build's, the scratch
// of compare, profile and trace) are removed when the command ends, and
// also when a signal stops it: Ctrl-C, SIGTERM, SIGHUP. Without that, every
// interrupted build left its C and objects in the cache and every stopped
// compare its folder in /tmp. gcc's driver does the same with its files.
#ifndef LAB_TEMPDIR_H
#define LAB_TEMPDIR_H

// Removes dir and everything in it (links themselves, never what they point
// to) and forgets it if it was tracked. Async-signal-safe apart from the
// forgetting: only system calls, no allocation.
void rt_remove_tree(const char *dir);
// Remembers dir (made by this process) to be removed if a signal stops the
// process before rt_remove_tree or rt_untrack_temp forgets it. A full table
// (more than 32 at once) tracks nothing more.
void rt_track_temp(const char *dir);
// Forgets dir without removing it (it was renamed into place).
void rt_untrack_temp(const char *dir);
// Installs the handler for SIGINT, SIGTERM and SIGHUP, unless the signal is
// ignored (a background job's SIGINT): it removes the tracked directories,
// then lets the signal end the process as it would have. Call once, from
// the main thread, before any other thread starts.
void rt_remove_dirs_on_signals(void);

#endif
