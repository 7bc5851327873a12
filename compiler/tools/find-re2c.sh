#!/bin/sh
# Prints the path of a usable re2c, installing Debian's package when it is
# missing and we are allowed to (root, or password-less sudo). The lexer is
# generated from compiler/front/lexer.re, so the build cannot go on without it.
if command -v re2c >/dev/null 2>&1; then command -v re2c; exit 0; fi
echo "re2c not found: installing Debian's re2c package..." >&2
if [ "$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo -n"; else SUDO=none; fi
if [ "$SUDO" != none ] && command -v apt-get >/dev/null 2>&1; then
  { $SUDO apt-get install -y -qq re2c || { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq re2c; }; } >&2
fi
if command -v re2c >/dev/null 2>&1; then command -v re2c; exit 0; fi
echo "error: re2c is required to build the lexer; install it (apt-get install re2c) or set RE2C=/path/to/re2c" >&2
exit 1
