//! `cargo xtask bench`: aws-lite compared with the official AWS SDK for Rust.
//!
//! ```text
//! aws-lite-bench report --root DIR [--command TEXT] [--skip-build] [--quick]
//!     every figure; writes DIR/BENCHMARKS.md and DIR/target/bench/results.json
//! aws-lite-bench percall [--quick]         per-call time and allocations (JSON on stdout)
//! aws-lite-bench peak ours|official CALLS  VmHWM of this process after CALLS calls (JSON)
//! aws-lite-bench codegen --root DIR [--quick]
//! aws-lite-bench loc --root DIR
//! aws-lite-bench profile --root DIR      perf breakdown of the per-call time and of codegen
//! aws-lite-bench generate MODEL.json...  generates three times in memory (a profiling target)
//! aws-lite-bench fixtures --root DIR
//! aws-lite-bench whole-iot --root DIR [--skip-build]
//!     the whole IoT model generated and built against aws-sdk-iot alone
//! aws-lite-bench render RESULTS.json      prints the BENCHMARKS.md a results file gives
//! ```
//!
//! Every figure comes from the run; nothing here asserts anything about timings.

mod alloc;
mod codegen_time;
mod fixtures;
mod loc;
mod percall;
mod profile;
mod report;
mod scenario;
mod sigv4;
mod whole_iot;

use std::path::PathBuf;
use std::process::ExitCode;

#[global_allocator]
static GLOBAL: alloc::Counting = alloc::Counting;

struct Args {
    root: PathBuf,
    command: String,
    skip_build: bool,
    quick: bool,
    rest: Vec<String>,
}

fn parse(args: &[String]) -> Result<Args, String> {
    let mut parsed = Args {
        root: PathBuf::from(".."),
        command: "cargo xtask bench".to_owned(),
        skip_build: false,
        quick: false,
        rest: Vec::new(),
    };
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "--root" => parsed.root = PathBuf::from(iter.next().ok_or("--root needs a value")?),
            "--command" => parsed.command = iter.next().ok_or("--command needs a value")?.clone(),
            "--skip-build" => parsed.skip_build = true,
            "--quick" => parsed.quick = true,
            other => parsed.rest.push(other.to_owned()),
        }
    }
    Ok(parsed)
}

fn run() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let task = args.first().cloned().unwrap_or_default();
    let parsed = parse(args.get(1..).unwrap_or_default())?;
    let settings = if parsed.quick { percall::Settings::quick() } else { percall::Settings::full() };
    let print = |value: serde_json::Value| {
        println!("{}", serde_json::to_string_pretty(&value).unwrap_or_default());
    };
    match task.as_str() {
        "report" => report::run(&parsed.root, &parsed.command, parsed.skip_build, parsed.quick),
        "percall" => percall::run(&settings).map(print),
        "peak" => {
            let who = parsed.rest.first().ok_or("peak: ours|official CALLS")?;
            let calls = parsed.rest.get(1).and_then(|n| n.parse().ok()).ok_or("peak: CALLS must be a number")?;
            percall::peak(who, calls)
        }
        "codegen" => codegen_time::run(&parsed.root, parsed.quick).map(print),
        "loc" => loc::run(&parsed.root).map(print),
        "generate" => codegen_time::generate_only(&parsed.rest),
        "profile" => {
            print(profile::run(&parsed.root));
            Ok(())
        }
        "fixtures" => fixtures::run(&parsed.root).map(print),
        "whole-iot" => whole_iot::run(&parsed.root, parsed.skip_build).map(print),
        "render" => {
            let path = parsed.rest.first().ok_or("render: give a results JSON file")?;
            let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
            let results: serde_json::Value = serde_json::from_str(&text).map_err(|e| format!("{path}: {e}"))?;
            print!("{}", report::render(&results));
            Ok(())
        }
        _ => Err(
            "usage: aws-lite-bench report|percall|peak|codegen|generate|loc|profile|fixtures|whole-iot [--root DIR] [--quick] [--skip-build]"
                .to_owned(),
        ),
    }
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}
