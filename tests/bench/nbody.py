# Twin of nbody.toy: 5 bodies, N steps; floats in lists, as in the Toy program.
import math
import sys


def energy(x, y, z, vx, vy, vz, m):
    e = 0.0
    for i in range(5):
        e += 0.5 * m[i] * (vx[i] * vx[i] + vy[i] * vy[i] + vz[i] * vz[i])
        for j in range(i + 1, 5):
            dx = x[i] - x[j]
            dy = y[i] - y[j]
            dz = z[i] - z[j]
            e -= m[i] * m[j] / math.sqrt(dx * dx + dy * dy + dz * dz)
    return e


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    x, y, z, vx, vy, vz, m = [], [], [], [], [], [], []
    for i in range(5):
        f = float(i)
        x.append(f * 1.5)
        y.append(f * 0.5 - 1.0)
        z.append(f * 0.1)
        vx.append(0.0)
        vy.append(f * 0.2)
        vz.append(0.01 * f)
        m.append(1.0 / (f + 1.0))
    dt = 0.001
    print(int(energy(x, y, z, vx, vy, vz, m) * 1e9))
    for s in range(n):
        for i in range(5):
            for j in range(i + 1, 5):
                dx = x[i] - x[j]
                dy = y[i] - y[j]
                dz = z[i] - z[j]
                d2 = dx * dx + dy * dy + dz * dz + 0.01
                mag = dt / (d2 * math.sqrt(d2))
                mi = m[i] * mag
                mj = m[j] * mag
                vx[i] -= dx * mj
                vy[i] -= dy * mj
                vz[i] -= dz * mj
                vx[j] += dx * mi
                vy[j] += dy * mi
                vz[j] += dz * mi
        for i in range(5):
            x[i] += dt * vx[i]
            y[i] += dt * vy[i]
            z[i] += dt * vz[i]
    print(int(energy(x, y, z, vx, vy, vz, m) * 1e9))


main()
