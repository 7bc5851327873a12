// Twin of nbody.toy in C: 5 bodies, N steps, plain double arrays.
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static double x[5], y[5], z[5], vx[5], vy[5], vz[5], m[5];

static double energy(void) {
  double e = 0.0;
  for (int i = 0; i < 5; i++) {
    e += 0.5 * m[i] * (vx[i] * vx[i] + vy[i] * vy[i] + vz[i] * vz[i]);
    for (int j = i + 1; j < 5; j++) {
      double dx = x[i] - x[j], dy = y[i] - y[j], dz = z[i] - z[j];
      e -= m[i] * m[j] / sqrt(dx * dx + dy * dy + dz * dz);
    }
  }
  return e;
}

int main(int argc, char **argv) {
  int64_t n = argc > 1 ? atoll(argv[1]) : 100;
  for (int i = 0; i < 5; i++) {
    double f = (double)i;
    x[i] = f * 1.5;
    y[i] = f * 0.5 - 1.0;
    z[i] = f * 0.1;
    vx[i] = 0.0;
    vy[i] = f * 0.2;
    vz[i] = 0.01 * f;
    m[i] = 1.0 / (f + 1.0);
  }
  double dt = 0.001;
  printf("%lld\n", (long long)(energy() * 1e9));
  for (int64_t s = 0; s < n; s++) {
    for (int i = 0; i < 5; i++)
      for (int j = i + 1; j < 5; j++) {
        double dx = x[i] - x[j], dy = y[i] - y[j], dz = z[i] - z[j];
        double d2 = dx * dx + dy * dy + dz * dz + 0.01;
        double mag = dt / (d2 * sqrt(d2));
        double mi = m[i] * mag, mj = m[j] * mag;
        vx[i] -= dx * mj;
        vy[i] -= dy * mj;
        vz[i] -= dz * mj;
        vx[j] += dx * mi;
        vy[j] += dy * mi;
        vz[j] += dz * mi;
      }
    for (int i = 0; i < 5; i++) {
      x[i] += dt * vx[i];
      y[i] += dt * vy[i];
      z[i] += dt * vz[i];
    }
  }
  printf("%lld\n", (long long)(energy() * 1e9));
  return 0;
}
