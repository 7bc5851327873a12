// Twin of nbody.toy in Rust: 5 bodies, N steps. Like the Toy program, the
// bodies are seven growable lists (Vec<f64>, filled by push) passed to
// energy as slices, so every x[i] is a bounds-checked index, as in native
// mode (fixed [f64; 5] arrays would let rustc drop the checks at compile
// time, which Toy's lists cannot).
fn energy(x: &[f64], y: &[f64], z: &[f64], vx: &[f64], vy: &[f64], vz: &[f64], m: &[f64]) -> f64 {
    let mut e = 0.0;
    for i in 0..5 {
        e += 0.5 * m[i] * (vx[i] * vx[i] + vy[i] * vy[i] + vz[i] * vz[i]);
        for j in i + 1..5 {
            let dx = x[i] - x[j];
            let dy = y[i] - y[j];
            let dz = z[i] - z[j];
            e -= m[i] * m[j] / (dx * dx + dy * dy + dz * dz).sqrt();
        }
    }
    e
}

fn main() {
    let n: i64 = std::env::args().nth(1).map_or(100, |s| s.parse().unwrap());
    let (mut x, mut y, mut z) = (Vec::new(), Vec::new(), Vec::new());
    let (mut vx, mut vy, mut vz) = (Vec::new(), Vec::new(), Vec::new());
    let mut m = Vec::new();
    for i in 0..5 {
        let f = i as f64;
        x.push(f * 1.5);
        y.push(f * 0.5 - 1.0);
        z.push(f * 0.1);
        vx.push(0.0);
        vy.push(f * 0.2);
        vz.push(0.01 * f);
        m.push(1.0 / (f + 1.0));
    }
    let dt = 0.001;
    println!("{}", (energy(&x, &y, &z, &vx, &vy, &vz, &m) * 1e9) as i64);
    for _ in 0..n {
        for i in 0..5 {
            for j in i + 1..5 {
                let dx = x[i] - x[j];
                let dy = y[i] - y[j];
                let dz = z[i] - z[j];
                let d2 = dx * dx + dy * dy + dz * dz + 0.01;
                let mag = dt / (d2 * d2.sqrt());
                let mi = m[i] * mag;
                let mj = m[j] * mag;
                vx[i] -= dx * mj;
                vy[i] -= dy * mj;
                vz[i] -= dz * mj;
                vx[j] += dx * mi;
                vy[j] += dy * mi;
                vz[j] += dz * mi;
            }
        }
        for i in 0..5 {
            x[i] += dt * vx[i];
            y[i] += dt * vy[i];
            z[i] += dt * vz[i];
        }
    }
    println!("{}", (energy(&x, &y, &z, &vx, &vy, &vz, &m) * 1e9) as i64);
}
