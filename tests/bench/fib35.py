# Benchmark twin of fib35.toy: recursive fib(35).
def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


print(fib(35))
