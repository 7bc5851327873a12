# Benchmark twin of hello.toy: interpreter start-up cost.
print("Hello, world!")
