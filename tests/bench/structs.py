# Benchmark twin of structs.toy: 2,000 particles moved 250 steps, each step
# building new instances from the old ones' attributes (a plain class, so
# each instance has a __dict__, as Toy's default --struct-fields=dict).
class Particle:
    def __init__(self, x, y, vx, vy):
        self.x = x
        self.y = y
        self.vx = vx
        self.vy = vy


def main():
    ps = []
    for i in range(2000):
        ps.append(Particle(i, 0, i % 7 - 3, i % 5 - 2))
    for step in range(250):
        nxt = []
        for p in ps:
            nxt.append(Particle(p.x + p.vx, p.y + p.vy, p.vx, p.vy))
        ps = nxt
    total = 0
    for p in ps:
        total += p.x * 3 + p.y
    print(total)


main()
