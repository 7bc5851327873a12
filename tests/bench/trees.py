# Benchmark twin of trees.toy: 64 binary trees of depth 12 built, counted
# and dropped.
class Node:
    def __init__(self, left, right):
        self.left = left
        self.right = right


def make(d):
    if d == 0:
        return Node(None, None)
    return Node(make(d - 1), make(d - 1))


def count(n):
    c = 1
    if n.left is not None:
        c += count(n.left)
    if n.right is not None:
        c += count(n.right)
    return c


def main():
    total = 0
    for i in range(64):
        t = make(12)
        total += count(t)
    print(total)


main()
