// readall.c — see readall.h.
#include "readall.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

int rt_read_fd(int fd, size_t max, char **out, size_t *len) {
  size_t cap = 4096, n = 0;
  char *buf = malloc(cap);
  if (!buf) return ENOMEM;
  for (;;) {
    if (n + 1 == cap) {  // room for the NUL, always
      char *nb = cap <= max / 2 ? realloc(buf, cap * 2) : NULL;
      if (!nb) {
        free(buf);
        return cap <= max / 2 ? ENOMEM : EFBIG;
      }
      buf = nb;
      cap *= 2;
    }
    ssize_t k = read(fd, buf + n, cap - n - 1);
    if (k == 0) break;
    if (k < 0) {
      if (errno == EINTR) continue;
      int e = errno;
      free(buf);
      return e;
    }
    n += (size_t)k;
    if (n > max) {
      free(buf);
      return EFBIG;
    }
  }
  buf[n] = '\0';
  *out = buf;
  *len = n;
  return 0;
}

int rt_write_fd(int fd, const char *s, size_t n) {
  while (n > 0) {
    ssize_t k = write(fd, s, n);
    if (k < 0 && errno == EINTR) continue;
    if (k <= 0) return k < 0 ? errno : EIO;
    s += k;
    n -= (size_t)k;
  }
  return 0;
}

int rt_read_path(const char *path, size_t max, char **out, size_t *len) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return errno;
  int e = rt_read_fd(fd, max, out, len);
  close(fd);
  return e;
}
