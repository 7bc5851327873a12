# Benchmark twin of sum.toy: build a 10-million-int list with append in a for
# loop, then sum it with a loop (not the builtin sum(), which would skip the
# interpreter loop the Toy version pays for).
def main():
    v = []
    for i in range(10_000_000):
        v.append(i)
    total = 0
    for x in v:
        total += x
    print(total)


main()
