#!/bin/sh
# tests/editors/check.sh — checks the editor definitions of docs/editors/:
# the TextMate grammar and the VS Code files are valid JSON (python3), and
# the Vim syntax file loads without an error and colours a sample as
# expected (vim). A missing tool skips its check. Run: sh tests/editors/check.sh
set -u
fail=0
if command -v python3 >/dev/null 2>&1; then
  for f in docs/editors/vscode-toy/syntaxes/toy.tmLanguage.json docs/editors/vscode-toy/package.json \
           docs/editors/vscode-toy/language-configuration.json; do
    python3 -m json.tool "$f" >/dev/null || { echo "FAIL $f is not valid JSON"; fail=1; }
  done
else
  echo "skip: no python3 to check the JSON files"
fi
if command -v vim >/dev/null 2>&1; then
  out=$(mktemp)
  vim -u NONE -N -es -c 'syntax on' -c 'edit examples/lessons/ownership.toy' -c 'set filetype=' \
    -c 'source docs/editors/toy.vim' \
    -c "call writefile(map([[16, 1], [16, 14], [16, 23], [28, 30], [28, 40], [34, 5], [34, 25]], 'synIDattr(synID(v:val[0], v:val[1], 1), \"name\")'), '$out')" \
    -c 'qa!' </dev/null >/dev/null 2>&1
  got=$(tr '\n' ' ' <"$out")
  rm -f "$out"
  want="toyKeyword toyUserType toyType toyString toyBuiltin toyBuiltin toyComment "
  [ "$got" = "$want" ] || { echo "FAIL docs/editors/toy.vim: got [$got], want [$want]"; fail=1; }
else
  echo "skip: no vim to check docs/editors/toy.vim"
fi
[ $fail -eq 0 ] && echo "editors: ok"
exit $fail
