// readall.h — reading a whole file or pipe into memory: source files, the
// `read_file` builtin, the grader's files, a child's captured output. One
// loop, with its errors (EINTR retried, ENOMEM when it does not fit); and
// its counterpart, writing a whole buffer.
#ifndef LAB_READALL_H
#define LAB_READALL_H

#include <stddef.h>

// Reads fd from where it stands to its end into a malloc'd buffer with a
// NUL after the last byte. Returns 0, or an errno value: the read's, ENOMEM,
// or EFBIG past `max` bytes. *out and *len are set only on success.
int rt_read_fd(int fd, size_t max, char **out, size_t *len);
// Opens path (read-only, close-on-exec) and reads it whole, as rt_read_fd.
int rt_read_path(const char *path, size_t max, char **out, size_t *len);
// Writes all of s[0..n) to fd (EINTR retried). Returns 0 or the errno value.
int rt_write_fd(int fd, const char *s, size_t n);

#endif
