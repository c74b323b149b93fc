//! The shell interpreter on the course's observable-job script (10 items, JSON log lines, metrics
//! file, `awk` summary): the budget is 2 ms per run, native.

use batchlab_core::rng::Rng;
use batchlab_core::shell::ShellWorkload;
use batchlab_core::workload::{ContainerStart, Workload};
use criterion::{criterion_group, criterion_main, Criterion};

fn observable_start() -> ContainerStart {
    let script = include_str!("../tests/fixtures/shell/observable.sh");
    ContainerStart {
        pod_name: "observable-processor-x7k2p".into(),
        namespace: "default".into(),
        container_name: "processor".into(),
        image: "busybox:1.35".into(),
        command: vec!["sh".into(), "-c".into()],
        args: vec![script.into()],
        env: Vec::new(),
        started_at_unix_ms: 1_795_976_403_000,
        attempt: 0,
        memory_limit_bytes: Some(256 << 20),
        cpu_limit_millis: Some(200),
        mounts: Vec::new(),
        max_duration_ms: 3_600_000,
        sigterm_at_ms: None,
    }
}

fn bench(c: &mut Criterion) {
    let start = observable_start();
    c.bench_function("shell/observable_job_10_items", |b| {
        b.iter(|| ShellWorkload.run(&start, &mut Rng::new(7)))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
