// cleanup.c — see cleanup.h.
#include "cleanup.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

enum { NSLOTS = 32, PATH_CAP = 4096, MAX_DEPTH = 64, NGROUPS = 16 };

// The tracked paths: a slot is FREE, being WRITTEN by the thread that
// claimed it, or IN_USE; the handler reads only IN_USE ones, so never a path
// being written. Slots are claimed and freed by compare-and-swap, as the
// groups' are: no lock, which a handler could not take.
enum { FREE, WRITTEN, IN_USE };
static char paths[NSLOTS][PATH_CAP];
static atomic_int state[NSLOTS];
static atomic_int groups[NGROUPS];  // 0: a free slot
static pid_t owner;  // a forked child (before its exec) removes nothing

// What getdents64 returns (linux_dirent64): readdir allocates, which a
// signal handler may not.
struct lx_dirent {
  uint64_t ino;
  int64_t off;
  unsigned short reclen;
  unsigned char type;
  char name[];
};

static bool dot_or_dotdot(const char *n) { return n[0] == '.' && (!n[1] || (n[1] == '.' && !n[2])); }

// Removes parent/name: a file or link at once, a directory after all it
// holds. Entries removed while the directory is read can be passed over, so
// it is read again while a reading removes something. True when it is gone.
static bool remove_at(int parent, const char *name, int depth) {
  if (unlinkat(parent, name, 0) == 0 || errno == ENOENT) return true;
  if (depth > MAX_DEPTH) return false;
  int fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return false;
  for (bool removed = true; removed;) {
    removed = false;
    _Alignas(8) char buf[2048];
    long n;
    while ((n = syscall(SYS_getdents64, fd, buf, sizeof buf)) > 0) {
      for (long off = 0; off < n;) {
        struct lx_dirent *e = (struct lx_dirent *)(buf + off);
        off += e->reclen;
        if (!dot_or_dotdot(e->name) && remove_at(fd, e->name, depth + 1)) removed = true;
      }
    }
    if (removed && lseek(fd, 0, SEEK_SET) != 0) break;
  }
  close(fd);
  return unlinkat(parent, name, AT_REMOVEDIR) == 0 || errno == ENOENT;
}

void rt_untrack_temp(const char *dir) {
  for (int i = 0; i < NSLOTS; i++) {
    int in_use = IN_USE;
    if (atomic_load(&state[i]) == IN_USE && strcmp(paths[i], dir) == 0 &&
        atomic_compare_exchange_strong(&state[i], &in_use, FREE))
      return;
  }
}

void rt_remove_tree(const char *dir) {
  remove_at(AT_FDCWD, dir, 0);
  rt_untrack_temp(dir);
}

void rt_track_temp(const char *dir) {
  size_t n = strlen(dir);
  if (n >= PATH_CAP) return;
  for (int i = 0; i < NSLOTS; i++) {
    int free_slot = FREE;
    if (!atomic_compare_exchange_strong(&state[i], &free_slot, WRITTEN)) continue;
    memcpy(paths[i], dir, n + 1);
    atomic_store(&state[i], IN_USE);
    return;
  }
}

bool rt_make_temp_dir(char *tmpl) {
  if (!mkdtemp(tmpl)) return false;
  rt_track_temp(tmpl);
  return true;
}

void rt_track_group(int pgid) {
  for (int i = 0; i < NGROUPS; i++) {
    int free_slot = 0;
    if (atomic_compare_exchange_strong(&groups[i], &free_slot, pgid)) return;
  }
}

void rt_untrack_group(int pgid) {
  for (int i = 0; i < NGROUPS; i++) {
    int g = pgid;
    if (atomic_compare_exchange_strong(&groups[i], &g, 0)) return;
  }
}

static void on_signal(int sig) {
  if (getpid() == owner) {
    for (int i = 0; i < NGROUPS; i++) {
      int g = atomic_load(&groups[i]);
      if (g > 0) kill(-g, SIGKILL);  // before the directories they write into
    }
    for (int i = 0; i < NSLOTS; i++)
      if (atomic_load(&state[i]) == IN_USE) remove_at(AT_FDCWD, paths[i], 0);
  }
  // Blocked while this handler runs, the signal is delivered again as it
  // returns, and now does what it would have done.
  signal(sig, SIG_DFL);
  raise(sig);
}

void rt_cleanup_on_signals(void) {
  owner = getpid();
  static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
  for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++) {
    struct sigaction old;
    if (sigaction(sigs[i], NULL, &old) != 0 || old.sa_handler == SIG_IGN) continue;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(sigs[i], &sa, NULL);
  }
}
