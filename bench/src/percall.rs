//! Per-call cost: time, allocations and bytes allocated, for each operation and client.
//!
//! For each operation both clients are warmed up, a batch size is chosen so that one batch
//! takes about `batch_ms`, and then `samples` batches of each client, and of aws-sigv4 signing
//! alone, are timed in turn (rotating which goes first) so that a slow-down from another
//! process hits all alike. Each batch gives one µs-per-call sample; the report shows the
//! median and the 10th-90th percentiles of the samples, and the ratio of the medians.

use crate::alloc;
use crate::scenario::common::Op;
use crate::scenario::{official, ours};
use crate::sigv4::Unsigned;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

pub struct Settings {
    pub samples: usize,
    pub batch: Duration,
    pub warm_up: Duration,
    pub alloc_calls: u64,
}

impl Settings {
    pub fn full() -> Self {
        Settings {
            samples: 41,
            batch: Duration::from_millis(40),
            warm_up: Duration::from_millis(500),
            alloc_calls: 2000,
        }
    }

    pub fn quick() -> Self {
        Settings {
            samples: 11,
            batch: Duration::from_millis(10),
            warm_up: Duration::from_millis(100),
            alloc_calls: 200,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Who {
    Ours,
    Official,
}

struct Bench {
    rt: tokio::runtime::Runtime,
    ours: ours::Clients,
    official: official::Clients,
}

impl Bench {
    /// Seconds taken by `n` calls of `op`.
    fn run(&self, who: Who, op: Op, n: u64) -> Result<f64, String> {
        let started = Instant::now();
        match who {
            Who::Ours => self.rt.block_on(async {
                for _ in 0..n {
                    ours::call(&self.ours, op).await?;
                }
                Ok::<_, String>(())
            })?,
            Who::Official => self.rt.block_on(async {
                for _ in 0..n {
                    official::call(&self.official, op).await?;
                }
                Ok::<_, String>(())
            })?,
        }
        Ok(started.elapsed().as_secs_f64())
    }

    /// Calls until `duration` has passed; returns the seconds per call seen.
    fn warm_up(&self, who: Who, op: Op, duration: Duration) -> Result<f64, String> {
        let started = Instant::now();
        let mut calls = 0u64;
        while started.elapsed() < duration {
            self.run(who, op, 10)?;
            calls += 10;
        }
        Ok(started.elapsed().as_secs_f64() / calls as f64)
    }
}

/// Seconds taken by `n` signatures of `request` with aws-sigv4 alone.
fn sign_batch(request: &Unsigned, n: u64) -> Result<f64, String> {
    let started = Instant::now();
    for _ in 0..n {
        std::hint::black_box(request.sign()?);
    }
    Ok(started.elapsed().as_secs_f64())
}

/// Median and percentiles of samples (µs per call).
pub fn summary(samples: &[f64]) -> Value {
    let mut sorted = samples.to_vec();
    sorted.sort_by(f64::total_cmp);
    let at = |q: f64| {
        let position = q * (sorted.len() - 1) as f64;
        let (low, high) = (position.floor() as usize, position.ceil() as usize);
        sorted[low] + (sorted[high] - sorted[low]) * (position - low as f64)
    };
    json!({
        "median": at(0.5),
        "p10": at(0.1),
        "p90": at(0.9),
        "min": sorted[0],
        "max": sorted[sorted.len() - 1],
        "samples": sorted.len(),
    })
}

pub fn run(settings: &Settings) -> Result<Value, String> {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| e.to_string())?;
    let equivalence = crate::scenario::check_equivalence(&rt)?;
    eprintln!("  equivalence: {}", equivalence.summary);
    let bench = Bench { rt, ours: ours::clients(None)?, official: crate::scenario::official_clients(None) };
    let mut results = Vec::new();
    for (op, request) in Op::ALL.into_iter().zip(&equivalence.ours_requests) {
        let unsigned = Unsigned::from_seen(request)?;
        let per_call_ours = bench.warm_up(Who::Ours, op, settings.warm_up)?;
        let per_call_official = bench.warm_up(Who::Official, op, settings.warm_up)?;
        let per_sign = {
            let n = 1000;
            sign_batch(&unsigned, n)? / n as f64
        };
        let batch_size = |per_call: f64| ((settings.batch.as_secs_f64() / per_call).round() as u64).max(1);
        let (n_ours, n_official, n_sign) =
            (batch_size(per_call_ours), batch_size(per_call_official), batch_size(per_sign));
        let mut ours_us = Vec::new();
        let mut official_us = Vec::new();
        let mut sign_us = Vec::new();
        let mut ratios = Vec::new();
        // The three kinds of batch take turns, each first in one sample out of three.
        for i in 0..settings.samples {
            let (mut a, mut b) = (0.0, 0.0);
            for turn in 0..3 {
                match (i + turn) % 3 {
                    0 => a = bench.run(Who::Ours, op, n_ours)? * 1e6 / n_ours as f64,
                    1 => b = bench.run(Who::Official, op, n_official)? * 1e6 / n_official as f64,
                    _ => sign_us.push(sign_batch(&unsigned, n_sign)? * 1e6 / n_sign as f64),
                }
            }
            ours_us.push(a);
            official_us.push(b);
            ratios.push(b / a);
        }
        let signing = summary(&sign_us);
        // Allocations: the same calls with the counting allocator switched on.
        let calls = settings.alloc_calls;
        let (ours_run, ours_allocs, ours_bytes) = alloc::count(|| bench.run(Who::Ours, op, calls));
        ours_run?;
        let (official_run, official_allocs, official_bytes) = alloc::count(|| bench.run(Who::Official, op, calls));
        official_run?;
        let ours_summary = summary(&ours_us);
        let official_summary = summary(&official_us);
        eprintln!(
            "  {}: aws-lite {:.2} µs, official {:.2} µs per call (medians of {} batches of {} / {} calls); aws-sigv4 alone {:.2} µs",
            op.name(),
            ours_summary["median"].as_f64().unwrap_or_default(),
            official_summary["median"].as_f64().unwrap_or_default(),
            settings.samples,
            n_ours,
            n_official,
            signing["median"].as_f64().unwrap_or_default(),
        );
        results.push(json!({
            "op": op.name(),
            "ours_us": ours_summary,
            "official_us": official_summary,
            "pair_ratio": summary(&ratios),
            "sigv4_us": signing,
            "batch_calls": { "ours": n_ours, "official": n_official },
            "ours_allocs_per_call": ours_allocs as f64 / calls as f64,
            "ours_bytes_per_call": ours_bytes as f64 / calls as f64,
            "official_allocs_per_call": official_allocs as f64 / calls as f64,
            "official_bytes_per_call": official_bytes as f64 / calls as f64,
            "alloc_calls": calls,
        }));
    }
    Ok(json!({
        "equivalence": equivalence.summary,
        "ops": results,
        "samples": settings.samples,
        "batch_ms": settings.batch.as_millis() as u64,
        "warm_up_ms": settings.warm_up.as_millis() as u64,
    }))
}

/// `peak <ours|official> <calls>`: makes `calls` calls (the three operations in turn) on one
/// client in this process and prints the process's peak resident set (VmHWM) as JSON.
pub fn peak(who: &str, calls: u64) -> Result<(), String> {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| e.to_string())?;
    // `AWS_LITE_BENCH_OP=<words of the operation name>` profiles that operation alone.
    let only = std::env::var("AWS_LITE_BENCH_OP").ok();
    let chosen: Vec<Op> =
        Op::ALL.iter().copied().filter(|op| only.as_deref().is_none_or(|name| op.name().contains(name))).collect();
    if chosen.is_empty() {
        return Err(format!("AWS_LITE_BENCH_OP={}: no such operation", only.unwrap_or_default()));
    }
    let ops = chosen.into_iter().cycle().take(calls as usize);
    match who {
        "ours" => {
            let clients = ours::clients(None)?;
            rt.block_on(async {
                for op in ops {
                    ours::call(&clients, op).await?;
                }
                Ok::<_, String>(())
            })?;
        }
        "official" => {
            let clients = crate::scenario::official_clients(None);
            rt.block_on(async {
                for op in ops {
                    official::call(&clients, op).await?;
                }
                Ok::<_, String>(())
            })?;
        }
        other => return Err(format!("peak: unknown client `{other}` (ours or official)")),
    }
    let status = std::fs::read_to_string("/proc/self/status").map_err(|e| format!("/proc/self/status: {e}"))?;
    let field = |name: &str| -> Option<u64> {
        status.lines().find(|l| l.starts_with(name))?.split_whitespace().nth(1)?.parse().ok()
    };
    println!(
        "{}",
        json!({ "client": who, "calls": calls, "vm_hwm_kib": field("VmHWM:"), "vm_rss_kib": field("VmRSS:") })
    );
    Ok(())
}
