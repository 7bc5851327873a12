// Twin of nbody.toy in Rust: 5 bodies, N steps, plain f64 arrays.
struct S { x: [f64; 5], y: [f64; 5], z: [f64; 5], vx: [f64; 5], vy: [f64; 5], vz: [f64; 5], m: [f64; 5] }

fn energy(s: &S) -> f64 {
    let mut e = 0.0;
    for i in 0..5 {
        e += 0.5 * s.m[i] * (s.vx[i] * s.vx[i] + s.vy[i] * s.vy[i] + s.vz[i] * s.vz[i]);
        for j in i + 1..5 {
            let dx = s.x[i] - s.x[j];
            let dy = s.y[i] - s.y[j];
            let dz = s.z[i] - s.z[j];
            e -= s.m[i] * s.m[j] / (dx * dx + dy * dy + dz * dz).sqrt();
        }
    }
    e
}

fn main() {
    let n: i64 = std::env::args().nth(1).map_or(100, |s| s.parse().unwrap());
    let mut s = S { x: [0.0; 5], y: [0.0; 5], z: [0.0; 5], vx: [0.0; 5], vy: [0.0; 5], vz: [0.0; 5], m: [0.0; 5] };
    for i in 0..5 {
        let f = i as f64;
        s.x[i] = f * 1.5;
        s.y[i] = f * 0.5 - 1.0;
        s.z[i] = f * 0.1;
        s.vy[i] = f * 0.2;
        s.vz[i] = 0.01 * f;
        s.m[i] = 1.0 / (f + 1.0);
    }
    let dt = 0.001;
    println!("{}", (energy(&s) * 1e9) as i64);
    for _ in 0..n {
        for i in 0..5 {
            for j in i + 1..5 {
                let dx = s.x[i] - s.x[j];
                let dy = s.y[i] - s.y[j];
                let dz = s.z[i] - s.z[j];
                let d2 = dx * dx + dy * dy + dz * dz + 0.01;
                let mag = dt / (d2 * d2.sqrt());
                let mi = s.m[i] * mag;
                let mj = s.m[j] * mag;
                s.vx[i] -= dx * mj;
                s.vy[i] -= dy * mj;
                s.vz[i] -= dz * mj;
                s.vx[j] += dx * mi;
                s.vy[j] += dy * mi;
                s.vz[j] += dz * mi;
            }
        }
        for i in 0..5 {
            s.x[i] += dt * s.vx[i];
            s.y[i] += dt * s.vy[i];
            s.z[i] += dt * s.vz[i];
        }
    }
    println!("{}", (energy(&s) * 1e9) as i64);
}
