" Vim syntax file
" Language:    Toy (the lab's teaching language; SPEC §1)
" Maintainer:  the lab (docs/editors/README.md)
" Filenames:   *.toy
"
" Install: copy to ~/.vim/syntax/toy.vim and add to ~/.vimrc
"   autocmd BufRead,BufNewFile *.toy setfiletype toy

if exists("b:current_syntax")
  finish
endif

syn keyword toyKeyword      fn let mut const struct enum spawn return
syn keyword toyConditional  if else match
syn keyword toyRepeat       while for in break continue
syn keyword toyBoolean      true false
syn keyword toyConstant     None Some
" Matches, not keywords: a keyword would win over the toyBuiltin match below
syn match   toyType         "\<\(int\|float\|bool\|str\|thread\)\>"
syn keyword toyBuiltin      print args read_file read_line clock sleep gc assert panic sqrt abs min max

" Numbers: 123, 1_000_000, 0xff; 1.5, 1e9, 2.5e-3
syn match   toyNumber       "\<0x[0-9A-Fa-f_]\+\>"
syn match   toyNumber       "\<[0-9][0-9_]*\>"
syn match   toyFloat        "\<[0-9][0-9_]*\.[0-9][0-9_]*\([eE][+-]\=[0-9_]\+\)\=\>"
syn match   toyFloat        "\<[0-9][0-9_]*[eE][+-]\=[0-9_]\+\>"

" Strings with the escapes \n \t \r \\ \" \0 \xHH \u{HHHH}
syn match   toyEscape       contained "\\\([ntr\\\"0]\|x[0-9A-Fa-f]\{2}\|u{[0-9A-Fa-f]\{1,6}}\)"
syn region  toyString       start=+"+ skip=+\\\\\|\\"+ end=+"+ contains=toyEscape

" User types start with a capital letter (Point, Status::Paid)
syn match   toyUserType     "\<[A-Z][A-Za-z0-9_]*\>"
syn match   toyFunction     "\<[a-z_][A-Za-z0-9_]*\ze\s*("
" int, float and str are types, and builtin functions when called
syn match   toyBuiltin      "\<\(int\|float\|str\)\ze\s*("

" Operators (defined before comments, so that `//` starts a comment)
syn match   toyOperator     "&mut\>\|[-+*/%=<>!&|^]=\=\|&&\|||\|<<\|>>\|=>\|\.\."

" The test runner's directives inside comments (docs/testing.md)
syn match   toyDirective    contained "\<\(expect\|expect runtime error\|expect stderr\|error\|interp expect\|args\|stdin\|flags\|mode\|leaks\|exit\|cmd\|env\):"
syn keyword toyTodo         contained TODO FIXME XXX NOTE
syn match   toyComment      "//.*$" contains=toyTodo,toyDirective

hi def link toyKeyword      Keyword
hi def link toyConditional  Conditional
hi def link toyRepeat       Repeat
hi def link toyBoolean      Boolean
hi def link toyConstant     Constant
hi def link toyType         Type
hi def link toyUserType     Type
hi def link toyBuiltin      Function
hi def link toyFunction     Function
hi def link toyNumber       Number
hi def link toyFloat        Float
hi def link toyString       String
hi def link toyEscape       SpecialChar
hi def link toyComment      Comment
hi def link toyTodo         Todo
hi def link toyDirective    PreProc
hi def link toyOperator     Operator

let b:current_syntax = "toy"
