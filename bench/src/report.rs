//! `report`: runs every measurement and writes BENCHMARKS.md (and the raw figures as JSON).

use serde_json::{json, Value};
use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

const PEAK_CALLS: u64 = 60_000;

fn command_output(program: &str, args: &[&str]) -> String {
    Command::new(program)
        .args(args)
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default()
}

fn proc_field(file: &str, name: &str) -> Option<String> {
    let text = std::fs::read_to_string(file).ok()?;
    let line = text.lines().find(|l| l.starts_with(name))?;
    Some(line.split_once(':')?.1.trim().to_owned())
}

fn machine() -> Value {
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0);
    let mem_kib: Option<u64> =
        proc_field("/proc/meminfo", "MemTotal").and_then(|v| v.split_whitespace().next()?.parse().ok());
    json!({
        "cores": cores,
        "cpu": proc_field("/proc/cpuinfo", "model name"),
        "mem_kib": mem_kib,
        "kernel": command_output("uname", &["-sr"]),
        "rustc": command_output("rustc", &["--version"]),
        "loadavg": std::fs::read_to_string("/proc/loadavg").unwrap_or_default().split_whitespace().take(3).collect::<Vec<_>>().join(" "),
    })
}

/// Runs this binary's `peak` task in a fresh process.
fn peak(who: &str, calls: u64) -> Result<Value, String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let output = Command::new(exe).args(["peak", who, &calls.to_string()]).output().map_err(|e| e.to_string())?;
    if !output.status.success() {
        return Err(format!("peak {who}: {}", String::from_utf8_lossy(&output.stderr)));
    }
    serde_json::from_slice(&output.stdout).map_err(|e| format!("peak {who}: {e}"))
}

pub fn run(root: &Path, command: &str, skip_build: bool, quick: bool) -> Result<(), String> {
    let root = root.canonicalize().map_err(|e| format!("{}: {e}", root.display()))?;
    let started = Instant::now();
    let date = command_output("date", &["-u", "+%Y-%m-%d %H:%M UTC"]);
    let machine_before = machine();
    eprintln!("bench: per-call time and allocations");
    let settings = if quick { crate::percall::Settings::quick() } else { crate::percall::Settings::full() };
    let percall = crate::percall::run(&settings)?;
    eprintln!("bench: peak memory ({PEAK_CALLS} calls, one process per client)");
    let peaks = json!({
        "ours": peak("ours", PEAK_CALLS)?,
        "official": peak("official", PEAK_CALLS)?,
        "ours_idle": peak("ours", 0)?,
        "official_idle": peak("official", 0)?,
        "ours_first": peak("ours", 3)?,
        "official_first": peak("official", 3)?,
    });
    eprintln!("bench: profile of each client's calls (perf)");
    let profile = crate::profile::run(&root);
    eprintln!("bench: generated lines");
    let loc = crate::loc::run(&root)?;
    eprintln!("bench: codegen time");
    let codegen = crate::codegen_time::run(&root, quick)?;
    let builds = if skip_build {
        Value::Null
    } else {
        eprintln!("bench: clean release builds of the fixtures (about 10 minutes)");
        crate::fixtures::run(&root)?
    };
    eprintln!("bench: the whole IoT model, generated and built against aws-sdk-iot alone");
    let whole_iot = crate::whole_iot::run(&root, skip_build)?;
    let bench_dir = root.join("bench");
    let versions = json!({
        "aws-sdk-personalize": crate::loc::locked_version(&bench_dir, "aws-sdk-personalize"),
        "aws-sdk-iot": crate::loc::locked_version(&bench_dir, "aws-sdk-iot"),
        "aws-smithy-runtime": crate::loc::locked_version(&bench_dir, "aws-smithy-runtime"),
        "aws-smithy-http-client": crate::loc::locked_version(&bench_dir, "aws-smithy-http-client"),
        "aws-sigv4": crate::loc::locked_version(&bench_dir, "aws-sigv4"),
    });
    let results = json!({
        "date": date,
        "command": command,
        "quick": quick,
        "machine": machine_before,
        "loadavg_after": machine()["loadavg"],
        "seconds": started.elapsed().as_secs_f64(),
        "versions": versions,
        "percall": percall,
        "peak": peaks,
        "profile": profile,
        "loc": loc,
        "codegen": codegen,
        "builds": builds,
        "whole_iot": whole_iot,
    });
    let json_path = root.join("target/bench/results.json");
    if let Some(parent) = json_path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| e.to_string())?;
    }
    std::fs::write(&json_path, serde_json::to_string_pretty(&results).unwrap_or_default())
        .map_err(|e| format!("{}: {e}", json_path.display()))?;
    let markdown = render(&results);
    let md_path = root.join("BENCHMARKS.md");
    std::fs::write(&md_path, markdown).map_err(|e| format!("{}: {e}", md_path.display()))?;
    eprintln!(
        "bench: wrote {} and {} in {:.0} s",
        md_path.display(),
        json_path.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------------------------

fn f(value: &Value) -> f64 {
    value.as_f64().unwrap_or(f64::NAN)
}

/// Official ÷ ours, e.g. `6.3×`.
fn ratio(official: f64, ours: f64) -> String {
    if !(official.is_finite() && ours.is_finite()) || ours == 0.0 {
        return "n/a".to_owned();
    }
    let r = official / ours;
    if r >= 10.0 {
        format!("{r:.0}×")
    } else {
        format!("{r:.1}×")
    }
}

fn us(value: f64) -> String {
    if value >= 100.0 {
        format!("{value:.0}")
    } else {
        format!("{value:.1}")
    }
}

fn thousands(n: f64) -> String {
    let n = n.round() as i64;
    let digits = n.abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}

fn mib(bytes: f64) -> String {
    format!("{:.1} MiB", bytes / (1024.0 * 1024.0))
}

fn kib(bytes: f64) -> String {
    format!("{:.1} KiB", bytes / 1024.0)
}

fn duration(seconds: f64) -> String {
    if seconds >= 60.0 {
        format!("{}:{:02} min", (seconds / 60.0).floor() as u64, (seconds % 60.0).round() as u64)
    } else {
        format!("{seconds:.1} s")
    }
}

fn row(out: &mut String, cells: &[String]) {
    let _ = writeln!(out, "| {} |", cells.join(" | "));
}

fn text(value: &Value) -> &str {
    value.as_str().unwrap_or_default()
}

fn list(value: &Value) -> Vec<Value> {
    value.as_array().cloned().unwrap_or_default()
}

fn header(out: &mut String, columns: &[&str], right_aligned: &[bool]) {
    row(out, &columns.iter().map(|c| (*c).to_owned()).collect::<Vec<_>>());
    row(out, &right_aligned.iter().map(|&r| if r { "---:" } else { "---" }.to_owned()).collect::<Vec<_>>());
}

fn min_max(values: &[f64]) -> (f64, f64) {
    values.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| (lo.min(v), hi.max(v)))
}

/// `a` or `a-b` for a range of ratios.
fn ratio_range(values: &[f64]) -> String {
    let (lo, hi) = min_max(values);
    let one = |r: f64| if r >= 10.0 { format!("{r:.0}×") } else { format!("{r:.1}×") };
    if (hi - lo).abs() < 0.05 {
        one(lo)
    } else {
        format!("{}-{}", one(lo).trim_end_matches('×'), one(hi))
    }
}

fn met(yes: bool) -> String {
    if yes { "yes" } else { "**no**" }.to_owned()
}

/// Short time: `321 ms` under a second, `4.3 s` or `2:31 min` above.
fn short_time(seconds: f64) -> String {
    if seconds < 1.0 {
        format!("{:.1} ms", seconds * 1e3)
    } else {
        duration(seconds)
    }
}

/// Per-item ratios: the range, the smallest and its item; `None` if any is missing.
fn worst(pairs: &[(String, f64)]) -> Option<(String, f64, String)> {
    if pairs.is_empty() || pairs.iter().any(|(_, r)| !r.is_finite()) {
        return None;
    }
    let values: Vec<f64> = pairs.iter().map(|(_, r)| *r).collect();
    let (name, min) = pairs.iter().min_by(|a, b| a.1.total_cmp(&b.1)).map(|(n, r)| (n.clone(), *r))?;
    Some((ratio_range(&values), min, name))
}

/// The gap of a ratio that must reach `goal`.
fn ratio_gap(measured: f64, goal: f64) -> String {
    if measured >= goal {
        "none".to_owned()
    } else {
        format!("needs {:.1}× more", goal / measured)
    }
}

/// The gap of a time that must stay under `limit`.
fn time_gap(seconds: f64, limit: f64) -> String {
    if seconds < limit {
        "none".to_owned()
    } else {
        format!("{} over", short_time(seconds - limit))
    }
}

/// A number from `value`, `None` when absent (a skipped measurement).
fn number(value: &Value) -> Option<f64> {
    value.as_f64().filter(|v| v.is_finite())
}

/// The next lever per target: hand-written from the profile notes of section 6 and the build
/// units of sections 3 and 7; they name where to look and state no figure.
const LEVER_PER_CALL: &str = "SHA-256 of the body and the canonical request (with SHA-NI) is the largest single cost left; then the canonical request's assembly, the request's header map copied per attempt, `@pattern` checks and the moves of the call's nested futures";
const LEVER_ALLOCATIONS: &str = "one buffer per request for the URI, headers and body, and borrowed instead of owned strings in serializers and parsers";
const LEVER_FIXTURE_BUILD: &str = "the chain ring -> rustls -> aws-lite-runtime compiles one unit after another at the end of the build: a runtime split so that most of it compiles beside rustls, the HTTPS stack behind a feature for users who bring a transport, and tokio without the features only the credential providers use (`process`, `fs`)";
const LEVER_IOT_BUILD: &str = "the generated crate's own compile is most of it (section 7): less code per operation and shape (restJson1 request `Body` structs, the builders of every structure in `types`, serde derives per structure), then the HTTPS stack and the runtime's place in the build as for the fixture";
const LEVER_IOT_LINES: &str = "the restJson1 request `Body` struct that repeats an input's body members (kept for the official SDK's member order on the wire), and the per-structure builders of `types`";
const LEVER_OP_LINES: &str = "the restJson1 request `Body` struct, which repeats the input's body members in the official SDK's wire order, and the setters shared by the input builder and the fluent builder";
const LEVER_CODEGEN: &str = "emission is the cost (the `syn` re-parse before prettyplease, and the allocator: a trial with mimalloc cut the corpus by about a fifth); print without the re-parse, or emit less code per shape";
const LEVER_PEAK: &str = "less state built with the client and on first use, and a smaller binary to page in";

/// One row of the targets table; `measured: None` is a measurement this run skipped.
struct Target {
    measured: Option<String>,
    target: &'static str,
    met: bool,
    figure: String,
    gap: String,
    lever: &'static str,
}

fn target_row(out: &mut String, t: Target) {
    let (measured, met_cell, gap) = match t.measured {
        Some(m) => (m, met(t.met), t.gap),
        None => ("not measured".to_owned(), "-".to_owned(), "not measured".to_owned()),
    };
    row(out, &[measured, t.target.to_owned(), met_cell, t.figure, format!("{gap}; next lever: {}", t.lever)]);
}

fn render_targets(out: &mut String, r: &Value) {
    let ops = list(&r["percall"]["ops"]);
    let loc_ops = list(&r["loc"]["ops"]);
    let builds = &r["builds"];
    let iot = &r["whole_iot"];
    let cg = &r["codegen"];
    let _ = writeln!(out, "## Targets\n");
    let _ = writeln!(
        out,
        "The project's aims, against this run's figures (one run; ratios are official SDK ÷ aws-lite). \"Gap\" is how far an unmet target is; \"next lever\" is where the profile (section 6) and the build units (sections 3 and 7) point next, written by hand.\n"
    );
    header(out, &["measured", "target", "met", "figure", "gap and next lever"], &[true, true, false, false, false]);

    // Ratios per operation, each of which must reach the target.
    let per_op = |out: &mut String,
                  pairs: Vec<(String, f64)>,
                  goal: f64,
                  target: &'static str,
                  figure: String,
                  lever: &'static str| {
        let found = worst(&pairs);
        let gap = match &found {
            Some((_, min, name)) if *min < goal => format!("{} (worst: {name})", ratio_gap(*min, goal)),
            _ => "none".to_owned(),
        };
        target_row(
            out,
            Target {
                met: found.as_ref().is_some_and(|(_, min, _)| *min >= goal),
                measured: found.map(|(range, _, _)| range),
                target,
                figure,
                gap,
                lever,
            },
        );
    };
    let op_ratio =
        |op: &Value, official: &str, ours: &str| (text(&op["op"]).to_owned(), f(&op[official]) / f(&op[ours]));
    per_op(
        out,
        ops.iter()
            .map(|op| (text(&op["op"]).to_owned(), f(&op["official_us"]["median"]) / f(&op["ours_us"]["median"])))
            .collect(),
        10.0,
        "≥ 10×",
        "per-call time (median), each of the three operations (section 1)".to_owned(),
        LEVER_PER_CALL,
    );
    per_op(
        out,
        ops.iter().map(|op| op_ratio(op, "official_allocs_per_call", "ours_allocs_per_call")).collect(),
        5.0,
        "≥ 5× fewer",
        "allocations per call, each operation (section 2)".to_owned(),
        LEVER_ALLOCATIONS,
    );

    let fixture = number(&builds["official"]["seconds"]).zip(number(&builds["ours"]["seconds"])).map(|(b, a)| b / a);
    target_row(
        out,
        Target {
            measured: fixture.map(|x| ratio_range(&[x])),
            target: "≥ 6× (aim 10×)",
            met: fixture.is_some_and(|x| x >= 6.0),
            figure: "clean release build of the fixture binary making the three calls (section 3)".to_owned(),
            gap: match fixture {
                Some(x) if x < 6.0 => format!("{}, {} for the 10× aim", ratio_gap(x, 6.0), ratio_gap(x, 10.0)),
                Some(x) if x < 10.0 => format!("none; the 10× aim {}", ratio_gap(x, 10.0)),
                _ => "none".to_owned(),
            },
            lever: LEVER_FIXTURE_BUILD,
        },
    );

    let (io, is) = (&iot["ours"], &iot["official"]);
    let iot_build = number(&is["build"]["seconds"]).zip(number(&io["build"]["seconds"])).map(|(b, a)| b / a);
    target_row(
        out,
        Target {
            measured: iot_build.map(|x| ratio_range(&[x])),
            target: "≥ 3×",
            met: iot_build.is_some_and(|x| x >= 3.0),
            figure: "whole IoT model: clean release build of the generated crate against aws-sdk-iot alone (section 7)"
                .to_owned(),
            gap: iot_build.map(|x| ratio_gap(x, 3.0)).unwrap_or_default(),
            lever: LEVER_IOT_BUILD,
        },
    );
    let iot_lines = number(&is["lines"]).zip(number(&io["lines"])).map(|(b, a)| b / a);
    target_row(
        out,
        Target {
            measured: iot_lines.map(|x| ratio_range(&[x])),
            target: "≥ 3× fewer",
            met: iot_lines.is_some_and(|x| x >= 3.0),
            figure: format!(
                "whole IoT model: lines of the crate's `src` (code lines only: {}) (section 7)",
                ratio(f(&is["code_lines"]), f(&io["code_lines"]))
            ),
            gap: iot_lines.map(|x| ratio_gap(x, 3.0)).unwrap_or_default(),
            lever: LEVER_IOT_LINES,
        },
    );

    let code_ratios: Vec<f64> = loc_ops.iter().map(|op| f(&op["official_code"]) / f(&op["ours_code"])).collect();
    per_op(
        out,
        loc_ops.iter().map(|op| op_ratio(op, "official", "ours")).collect(),
        4.0,
        "≥ 4× fewer",
        format!(
            "operation-specific generated lines, each of the three operations (code lines only: {}) (section 4)",
            ratio_range(&code_ratios)
        ),
        LEVER_OP_LINES,
    );

    let (corpus, parallel) = (&cg["corpus"], &cg["corpus_parallel"]);
    let wall = number(&parallel["seconds"]);
    target_row(
        out,
        Target {
            measured: wall.map(short_time),
            target: "< 12 s",
            met: wall.is_some_and(|x| x < 12.0),
            figure: if parallel.is_object() {
                format!(
                    "generating the {}-model AWS corpus, wall clock on all {} cores ({} one model at a time) (section 5)",
                    parallel["models"],
                    parallel["threads"],
                    short_time(f(&corpus["seconds"]))
                )
            } else {
                "generating the AWS corpus, wall clock on all cores (section 5)".to_owned()
            },
            gap: wall.map(|x| time_gap(x, 12.0)).unwrap_or_default(),
            lever: LEVER_CODEGEN,
        },
    );
    for (key, limit, target, figure) in [
        ("project", 0.010, "< 10 ms", "generating the three-operation project model (`model/`), median (section 5)"),
        ("iot", 0.5, "< 0.5 s", "generating the full IoT model, median (section 5)"),
    ] {
        let median = number(&cg[key]["median_s"]);
        target_row(
            out,
            Target {
                measured: median.map(short_time),
                target,
                met: median.is_some_and(|x| x < limit),
                figure: figure.to_owned(),
                gap: median.map(|x| time_gap(x, limit)).unwrap_or_default(),
                lever: LEVER_CODEGEN,
            },
        );
    }

    let peak =
        number(&builds["ours"]["vm_hwm_kib_60000_calls"]).zip(number(&builds["official"]["vm_hwm_kib_60000_calls"]));
    target_row(
        out,
        Target {
            measured: peak.map(|(a, b)| format!("{} ({} / {})", ratio(b, a), mib(a * 1024.0), mib(b * 1024.0))),
            target: "≥ 1× (aws-lite ≤ official)",
            met: peak.is_some_and(|(a, b)| a <= b),
            figure: format!(
                "peak memory (VmHWM) of the fixture binary making {} calls (summary; the fixtures of section 3)",
                thousands(PEAK_CALLS as f64)
            ),
            gap: match peak {
                Some((a, b)) if a > b => format!("{} over", mib((a - b) * 1024.0)),
                _ => "none".to_owned(),
            },
            lever: LEVER_PEAK,
        },
    );
}

pub fn render(r: &Value) -> String {
    let mut out = String::new();
    let m = &r["machine"];
    let v = &r["versions"];
    let command = text(&r["command"]);
    let _ = writeln!(out, "# Benchmarks: aws-lite and the official AWS SDK for Rust\n");
    let _ = writeln!(
        out,
        "Written by `{command}` on {}; every figure below comes from that run. Do not edit this file: rerun the command.\n",
        text(&r["date"])
    );
    if r["quick"].as_bool() == Some(true) {
        let _ = writeln!(out, "**Quick run (`--quick`): few samples; use the figures only as a smoke test.**\n");
    }
    let _ = writeln!(out, "- Command: `{command}` (from the repository root)");
    let _ = writeln!(
        out,
        "- Machine: {} cores ({}), {:.1} GiB memory (MemTotal), {}; load average {} at the start, {} at the end",
        m["cores"],
        m["cpu"].as_str().unwrap_or("unknown CPU"),
        f(&m["mem_kib"]) / (1024.0 * 1024.0),
        text(&m["kernel"]),
        text(&m["loadavg"]),
        text(&r["loadavg_after"])
    );
    let _ = writeln!(out, "- Toolchain: {}", text(&m["rustc"]));
    let _ = writeln!(
        out,
        "- Official SDK: aws-sdk-personalize {}, aws-sdk-iot {} (aws-smithy-runtime {}, aws-sigv4 {}; in-memory HTTP client `aws_smithy_http_client::test_util::infallible_client_fn` from aws-smithy-http-client {})",
        v["aws-sdk-personalize"].as_str().unwrap_or("?"),
        v["aws-sdk-iot"].as_str().unwrap_or("?"),
        v["aws-smithy-runtime"].as_str().unwrap_or("?"),
        v["aws-sigv4"].as_str().unwrap_or("?"),
        v["aws-smithy-http-client"].as_str().unwrap_or("?")
    );
    let _ = writeln!(out, "- Whole run: {}", duration(f(&r["seconds"])));
    let _ = writeln!(out, "- Raw figures: `target/bench/results.json`\n");

    let ops = list(&r["percall"]["ops"]);
    let builds = &r["builds"];
    let loc = &r["loc"];
    let loc_ops = list(&loc["ops"]);
    let services = list(&loc["services"]);
    let cg = &r["codegen"];
    let p = &r["peak"];

    render_targets(&mut out, r);

    // ---- The summary table -------------------------------------------------------------------
    let _ = writeln!(out, "\n## Summary\n");
    let _ = writeln!(
        out,
        "The ratio is official SDK ÷ aws-lite: above 1× the official SDK takes more time, memory, crates or lines.\n"
    );
    header(&mut out, &["official ÷ aws-lite", "figure", "aws-lite", "official SDK"], &[true, false, true, true]);
    for op in &ops {
        let (a, b) = (f(&op["ours_us"]["median"]), f(&op["official_us"]["median"]));
        row(&mut out, &[ratio(b, a), format!("{}: µs per call (median)", text(&op["op"])), us(a), us(b)]);
    }
    for op in &ops {
        let (a, b) = (f(&op["ours_allocs_per_call"]), f(&op["official_allocs_per_call"]));
        row(
            &mut out,
            &[ratio(b, a), format!("{}: allocations per call", text(&op["op"])), format!("{a:.0}"), format!("{b:.0}")],
        );
    }
    for op in &ops {
        let (a, b) = (f(&op["ours_bytes_per_call"]), f(&op["official_bytes_per_call"]));
        row(&mut out, &[ratio(b, a), format!("{}: bytes allocated per call", text(&op["op"])), kib(a), kib(b)]);
    }
    let (a, b) = (f(&p["ours"]["vm_hwm_kib"]), f(&p["official"]["vm_hwm_kib"]));
    row(
        &mut out,
        &[
            ratio(b, a),
            format!("peak memory (VmHWM) of the bench process making {} calls", thousands(PEAK_CALLS as f64)),
            mib(a * 1024.0),
            mib(b * 1024.0),
        ],
    );
    if builds.is_object() {
        let (o, s) = (&builds["ours"], &builds["official"]);
        row(
            &mut out,
            &[
                ratio(f(&s["seconds"]), f(&o["seconds"])),
                "clean `cargo build --release` of the fixture binary".into(),
                duration(f(&o["seconds"])),
                duration(f(&s["seconds"])),
            ],
        );
        row(
            &mut out,
            &[
                ratio(f(&s["compiled"]), f(&o["compiled"])),
                "crates compiled in that build".into(),
                o["compiled"].to_string(),
                s["compiled"].to_string(),
            ],
        );
        row(
            &mut out,
            &[
                ratio(f(&s["binary_bytes"]), f(&o["binary_bytes"])),
                "release binary size".into(),
                mib(f(&o["binary_bytes"])),
                mib(f(&s["binary_bytes"])),
            ],
        );
        if o["stripped_bytes"].is_number() && s["stripped_bytes"].is_number() {
            row(
                &mut out,
                &[
                    ratio(f(&s["stripped_bytes"]), f(&o["stripped_bytes"])),
                    "release binary size, stripped".into(),
                    mib(f(&o["stripped_bytes"])),
                    mib(f(&s["stripped_bytes"])),
                ],
            );
        }
        let (a, b) = (f(&o["vm_hwm_kib_60000_calls"]), f(&s["vm_hwm_kib_60000_calls"]));
        row(
            &mut out,
            &[
                ratio(b, a),
                "peak memory (VmHWM) of the fixture binary making 60,000 calls".into(),
                mib(a * 1024.0),
                mib(b * 1024.0),
            ],
        );
    }
    for op in &loc_ops {
        let (a, b) = (f(&op["ours"]), f(&op["official"]));
        row(
            &mut out,
            &[
                ratio(b, a),
                format!("{}: lines of operation-specific generated code", text(&op["op"])),
                thousands(a),
                thousands(b),
            ],
        );
    }
    for s in &services {
        let (a, b) = (f(&s["ours_types"]), f(&s["official_types"]));
        row(
            &mut out,
            &[
                ratio(b, a),
                format!("{}: lines of the shared types these operations use", text(&s["service"])),
                thousands(a),
                thousands(b),
            ],
        );
    }
    let (ours_total, ours_ops) = (f(&loc["ours_library_lines"]), f(&loc["ours_operations"]));
    let crates = list(&loc["official_crates"]);
    let official_lines: f64 = crates.iter().map(|c| f(&c["lines"])).sum();
    let official_ops: f64 = crates.iter().map(|c| f(&c["operations"])).sum();
    row(
        &mut out,
        &[
            ratio(official_lines / official_ops, ours_total / ours_ops),
            "generated lines per operation, whole crates (section 4)".into(),
            thousands(ours_total / ours_ops),
            thousands(official_lines / official_ops),
        ],
    );
    let (io, is) = (&r["whole_iot"]["ours"], &r["whole_iot"]["official"]);
    if io["build"].is_object() && is["build"].is_object() {
        let (a, b) = (f(&io["build"]["seconds"]), f(&is["build"]["seconds"]));
        row(
            &mut out,
            &[
                ratio(b, a),
                "whole IoT model: clean `cargo build --release`, generated crate against aws-sdk-iot alone (section 7)"
                    .into(),
                duration(a),
                duration(b),
            ],
        );
        let (a, b) = (f(&io["build"]["crate_unit_seconds"]), f(&is["build"]["crate_unit_seconds"]));
        row(
            &mut out,
            &[
                ratio(b, a),
                "whole IoT model: compile time of the crate itself (`aws-lite-iot`, `aws-sdk-iot`)".into(),
                format!("{a:.1} s"),
                format!("{b:.1} s"),
            ],
        );
    }
    if io["lines"].is_number() && is["lines"].is_number() {
        let (a, b) = (f(&io["lines"]), f(&is["lines"]));
        row(
            &mut out,
            &[
                ratio(b, a),
                format!(
                    "whole IoT model: lines of the crate's `src` ({} and {} operations)",
                    io["operations"], is["operations"]
                ),
                thousands(a),
                thousands(b),
            ],
        );
    }
    if !builds.is_object() {
        let _ = writeln!(
            out,
            "\nThe clean-build figures were skipped (`--skip-build`); run `cargo xtask bench` without it to include them."
        );
    }

    render_percall(&mut out, r, &ops);
    render_memory(&mut out, r, &ops);
    render_builds(&mut out, r);
    render_lines(&mut out, r);
    render_codegen(&mut out, cg);
    render_profile(&mut out, r, &ops);
    render_whole_iot(&mut out, r);

    let _ = writeln!(out, "\n## Caveats\n");
    let _ = writeln!(
        out,
        "- Timings on a shared 2-core machine move by about ±10 % from run to run, more when another process (a build, CI) runs at the same time: see the load averages above. Compare ratios rather than absolute µs; both clients' batches alternate, so a slow-down hits both. No test asserts anything about these figures.\n\
         - The in-memory HTTP clients differ in shape (aws-lite's `Transport` trait, the SDK's `HttpClient`), but both build the same canned response per call and neither records requests while timing.\n\
         - The official SDK does more per call than aws-lite in some places (interceptors, identity cache, user-agent metadata) and aws-lite does more in others (full constraint validation of the input); both are measured as a user gets them by default.\n\
         - Build times depend on what else runs on the machine; both fixtures compile their client's real HTTPS stack (aws-lite: hyper, rustls with ring; the official SDK by default: hyper 1 and 0.14, rustls with aws-lc-rs, a C build) although the calls never leave the process."
    );
    out
}

fn render_percall(out: &mut String, r: &Value, ops: &[Value]) {
    let pc = &r["percall"];
    let _ = writeln!(out, "\n## 1. Per-call cost\n");
    let _ = writeln!(
        out,
        "Each call goes through the whole pipeline of each client: building the input with its builders, validation (aws-lite), serialization, endpoint resolution, SigV4 signing, the retry machinery (standard mode, 3 attempts; only one is made), user-agent and invocation headers, the in-memory HTTP client, parsing the response into the output type, and a check of the parsed output (a wrong value fails the run). The HTTP client answers every request with the same canned 200 response for both clients (`bench/src/scenario/common.rs`): the metric attribution ARN for CreateMetricAttribution, a full `MetricAttribution` with fractional epoch-second timestamps for DescribeMetricAttribution, and the metric name and ARN for CreateCustomMetric. Inputs are identical and are those of `../shared/reference/aws-sdk-rust-requests.txt`: CreateMetricAttribution with three metrics and an S3 destination, DescribeMetricAttribution with an ARN, CreateCustomMetric with a display name, a metric type and two tags; IoT's `clientRequestToken` is left unset, so both clients generate a UUID v4 for it on every call, as they would in use. Calls run one at a time on a current-thread tokio runtime, with one client per service built once beforehand (aws-lite: `Config::builder()` with region, static credentials and the canned transport; official: `Config::builder()` with `BehaviorVersion::latest()`, region, static credentials and `infallible_client_fn`).\n"
    );
    let _ = writeln!(
        out,
        "Before timing, the run checks that both clients send the same requests and parse the same output: {}.\n",
        text(&pc["equivalence"])
    );
    let _ = writeln!(
        out,
        "Method: for each operation, {} ms of warm-up per client, then {} samples per client, each the mean time of a batch of calls sized to take about {} ms; the two clients' batches and a batch of aws-sigv4 signing alone take turns, and which goes first rotates. Figures are µs per call: the median of the samples and their 10th-90th percentiles. \"Ratio of pairs\" is official ÷ aws-lite within each pair of adjacent batches (median, p10-p90). \"aws-sigv4 alone\" times `aws_sigv4::http_request::sign`, the signer of the official SDK, on aws-lite's own request for the operation with default signing settings (`bench/src/sigv4.rs`): a reference point for the official SDK's signing only, since aws-lite signs with its own SigV4 implementation (`codegen/runtime/src/signing/`, on `hmac` and `sha2`). \"official ÷ aws-sigv4 alone\" is the official SDK's whole call against its signing alone, the largest ratio any client that signs through aws-sigv4 could reach against it; aws-lite's own signing cost is in the profile of section 6.\n",
        pc["warm_up_ms"], pc["samples"], pc["batch_ms"]
    );
    header(
        out,
        &[
            "official ÷ aws-lite (ratio of pairs)",
            "operation",
            "aws-lite µs (p10-p90)",
            "official µs (p10-p90)",
            "aws-sigv4 alone µs",
            "official ÷ aws-sigv4 alone",
            "calls per batch",
        ],
        &[true, false, true, true, true, true, true],
    );
    for op in ops {
        let (a, b, q, sig) = (&op["ours_us"], &op["official_us"], &op["pair_ratio"], &op["sigv4_us"]);
        row(
            out,
            &[
                format!("{} ({:.1}-{:.1})", ratio(f(&b["median"]), f(&a["median"])), f(&q["p10"]), f(&q["p90"])),
                text(&op["op"]).to_owned(),
                format!("{} ({}-{})", us(f(&a["median"])), us(f(&a["p10"])), us(f(&a["p90"]))),
                format!("{} ({}-{})", us(f(&b["median"])), us(f(&b["p10"])), us(f(&b["p90"]))),
                us(f(&sig["median"])),
                ratio(f(&b["median"]), f(&sig["median"])),
                format!("{} / {}", op["batch_calls"]["ours"], op["batch_calls"]["official"]),
            ],
        );
    }
}

fn render_memory(out: &mut String, r: &Value, ops: &[Value]) {
    let p = &r["peak"];
    let _ = writeln!(out, "\n## 2. Allocations and peak memory\n");
    let _ = writeln!(
        out,
        "Allocations per call: the bench binary's global allocator counts calls to `alloc`, `alloc_zeroed` and `realloc` (a reallocation counts as one allocation of its new size) while {} calls of one operation run after the timing above; bytes are the sizes requested, not what is live at once. Counting is switched off during timing.\n",
        ops.first().map(|o| o["alloc_calls"].to_string()).unwrap_or_default()
    );
    header(
        out,
        &[
            "official ÷ aws-lite (allocations)",
            "operation",
            "aws-lite allocations / bytes",
            "official allocations / bytes",
        ],
        &[true, false, true, true],
    );
    for op in ops {
        row(
            out,
            &[
                ratio(f(&op["official_allocs_per_call"]), f(&op["ours_allocs_per_call"])),
                text(&op["op"]).to_owned(),
                format!("{:.0} / {}", f(&op["ours_allocs_per_call"]), thousands(f(&op["ours_bytes_per_call"]))),
                format!("{:.0} / {}", f(&op["official_allocs_per_call"]), thousands(f(&op["official_bytes_per_call"]))),
            ],
        );
    }
    let _ = writeln!(
        out,
        "\nPeak memory: the peak resident set (`VmHWM` in `/proc/self/status`) of a fresh process of the bench binary that builds one client per service and makes {} calls (the three operations in turn), one process per client. The bench binary links both SDKs; a process that builds the clients and makes no call peaks at {} (aws-lite) and {} (official), the floor both figures share, and one that makes the three calls once at {} and {}{}.{}",
        thousands(PEAK_CALLS as f64),
        mib(f(&p["ours_idle"]["vm_hwm_kib"]) * 1024.0),
        mib(f(&p["official_idle"]["vm_hwm_kib"]) * 1024.0),
        mib(f(&p["ours_first"]["vm_hwm_kib"]) * 1024.0),
        mib(f(&p["official_first"]["vm_hwm_kib"]) * 1024.0),
        {
            // Whether the peak is reached with the first calls (state built once) or grows with use.
            let settled = |who: &str| {
                let idle = f(&p[format!("{who}_idle")]["vm_hwm_kib"]);
                let first = f(&p[format!("{who}_first")]["vm_hwm_kib"]);
                let all = f(&p[who]["vm_hwm_kib"]);
                first - idle >= 0.8 * (all - idle)
            };
            if settled("ours") && settled("official") {
                ": for both, most of the growth comes with the first calls (code paged in, state built on first use), not with the number of calls"
            } else {
                ": for at least one client the peak keeps growing past the first calls"
            }
        },
        if r["builds"].is_object() {
            " The summary also shows the same figure for each fixture binary, which links one SDK only."
        } else {
            ""
        }
    );
}

fn render_builds(out: &mut String, r: &Value) {
    let builds = &r["builds"];
    let _ = writeln!(out, "\n## 3. Clean release build\n");
    if !builds.is_object() {
        let _ = writeln!(out, "Skipped in this run (`--skip-build`).");
        return;
    }
    let _ = writeln!(
        out,
        "Two small binaries that make the three calls and share their call code with the bench (`bench/src/scenario/`): `bench/fixtures/ours` depends on aws-lite (`generated/` by path), tokio, http and bytes; `bench/fixtures/official` on aws-sdk-personalize and aws-sdk-iot with their default features, plus aws-smithy-runtime-api and aws-smithy-types (already dependencies of the SDK) for a 20-line in-memory HTTP client (the `test-util` feature of aws-smithy-http-client would add its test tooling to the build). Each is built with `cargo build --release --offline` into an empty target directory (`target/bench-fixtures/<name>`), one after the other, with the default release profile and the machine's {} cores; dependencies are fetched beforehand and not timed, versions are pinned by each fixture's `Cargo.lock`. Time is wall-clock; \"crates compiled\" counts cargo's `Compiling` lines (each package once, build scripts included); sizes are of `target/release/fixture-<name>` as built and after `strip`. {}\n",
        r["machine"]["cores"],
        text(&builds["cargo"])
    );
    header(
        out,
        &["official ÷ aws-lite (time)", "fixture", "build time", "crates compiled", "binary", "stripped"],
        &[true, false, true, true, true, true],
    );
    for (name, b) in [("aws-lite", &builds["ours"]), ("official SDK", &builds["official"])] {
        row(
            out,
            &[
                ratio(f(&b["seconds"]), f(&builds["ours"]["seconds"])),
                name.to_owned(),
                duration(f(&b["seconds"])),
                b["compiled"].to_string(),
                mib(f(&b["binary_bytes"])),
                if b["stripped_bytes"].is_number() { mib(f(&b["stripped_bytes"])) } else { "n/a".into() },
            ],
        );
    }
    let (ours_units, official_units) = (&builds["ours"]["units"], &builds["official"]["units"]);
    if !(ours_units.is_object() && official_units.is_object()) {
        return;
    }
    let _ = writeln!(
        out,
        "\nWhere the build time goes (`cargo build --timings`): seconds of compilation per package, build scripts included, slowest first. Units overlap on the {} cores, so they add up to more than the wall-clock time ({} and {} of unit time in all).\n",
        r["machine"]["cores"],
        duration(f(&ours_units["total_unit_seconds"])),
        duration(f(&official_units["total_unit_seconds"]))
    );
    let (a, b) = (list(&ours_units["packages"]), list(&official_units["packages"]));
    units_table(out, ("aws-lite fixture", &a), ("official fixture", &b));
    let own = seconds_of(&a, "aws-lite");
    let sdk = seconds_of(&b, crate::whole_iot::OFFICIAL) + seconds_of(&b, "aws-sdk-personalize");
    let _ = writeln!(
        out,
        "\nThe generated code itself: the `aws-lite` crate compiles in {own:.1} s ({:.0} % of the aws-lite fixture's unit time; the rest is its dependencies), the two official SDK crates in {sdk:.1} s ({:.0} % of the official fixture's).",
        100.0 * own / f(&ours_units["total_unit_seconds"]),
        100.0 * sdk / f(&official_units["total_unit_seconds"])
    );
}

/// The ten slowest packages of two builds side by side, from cargo's timing reports.
fn units_table(out: &mut String, (left, a): (&str, &[Value]), (right, b): (&str, &[Value])) {
    header(out, &["rank", left, "s", right, "s"], &[true, false, true, false, true]);
    for i in 0..10 {
        let cell = |units: &[Value]| match units.get(i) {
            Some(u) => (text(&u["package"]).to_owned(), format!("{:.1}", f(&u["seconds"]))),
            None => (String::new(), String::new()),
        };
        let ((an, at), (bn, bt)) = (cell(a), cell(b));
        row(out, &[(i + 1).to_string(), an, at, bn, bt]);
    }
}

/// The unit seconds of package `name` in a list of cargo timing units, NaN if absent.
fn seconds_of(units: &[Value], name: &str) -> f64 {
    units.iter().find(|u| text(&u["package"]) == name).map(|u| f(&u["seconds"])).unwrap_or(f64::NAN)
}

fn render_lines(out: &mut String, r: &Value) {
    let loc = &r["loc"];
    let _ = writeln!(out, "\n## 4. Generated code\n");
    let _ = writeln!(
        out,
        "Lines of generated Rust source as `wc -l` counts them (comments and docs included), and code lines (blank lines and `//`, `///`, `//!` lines left out). Operation-specific code: ours is `generated/src/<service>/operation/<operation>.rs` (input, output, builders, fluent builder, error enum, serialization and parsing; the client's few lines per operation in `<service>/client.rs` are counted in the whole crate only); the official SDK's is `src/operation/<operation>.rs`, everything under `src/operation/<operation>/`, `src/client/<operation>.rs` and `src/protocol_serde/shape_<operation>.rs` / `shape_<operation>_input.rs` of the crate sources in cargo's registry. Shared types: ours is everything under `generated/src/<service>/types/` (exactly the shapes these operations reach, modeled errors included); the official figure adds up, for the same shape names, `src/types/_<shape>.rs`, `src/types/error/_<shape>.rs` and `src/protocol_serde/shape_<shape>.rs`. Both are formatted by their generators (prettyplease for aws-lite, rustfmt for the official SDK).\n"
    );
    header(
        out,
        &[
            "official ÷ aws-lite (lines)",
            "operation",
            "aws-lite lines / code lines",
            "official lines / code lines",
            "official ÷ aws-lite (code lines)",
            "official files",
        ],
        &[true, false, true, true, true, false],
    );
    for op in list(&loc["ops"]) {
        let files: Vec<String> =
            list(&op["official_files"]).iter().map(|f| format!("`{}`", f.as_str().unwrap_or_default())).collect();
        row(
            out,
            &[
                ratio(f(&op["official"]), f(&op["ours"])),
                text(&op["op"]).to_owned(),
                format!("{} / {}", thousands(f(&op["ours"])), thousands(f(&op["ours_code"]))),
                format!("{} / {}", thousands(f(&op["official"])), thousands(f(&op["official_code"]))),
                ratio(f(&op["official_code"]), f(&op["ours_code"])),
                files.join(", "),
            ],
        );
    }
    for s in list(&loc["services"]) {
        let names: Vec<String> = list(&s["types"]).iter().map(|n| n.as_str().unwrap_or_default().to_owned()).collect();
        let missing = s["official_types_missing"].as_array().map(|a| a.len()).unwrap_or(0);
        row(
            out,
            &[
                ratio(f(&s["official_types"]), f(&s["ours_types"])),
                format!("{} shared types ({})", text(&s["service"]), names.join(", ")),
                format!("{} / {}", thousands(f(&s["ours_types"])), thousands(f(&s["ours_types_code"]))),
                format!("{} / {}", thousands(f(&s["official_types"])), thousands(f(&s["official_types_code"]))),
                ratio(f(&s["official_types_code"]), f(&s["ours_types_code"])),
                format!(
                    "{} files{}",
                    s["official_types_files"],
                    if missing > 0 { format!("; {missing} shapes not found") } else { String::new() }
                ),
            ],
        );
    }
    let (ours_total, ours_ops) = (f(&loc["ours_library_lines"]), f(&loc["ours_operations"]));
    let _ = writeln!(out, "\nWhole crates:\n");
    let _ = writeln!(
        out,
        "- aws-lite `generated/src`: {} lines ({} code lines) for {} operations of 2 services, generated code only (the crate root and, per service, its client, operations, shared types and pattern tables), CLI front end (`src/bin/`, {} lines) excluded: {} lines per operation. The hand-written runtime (HTTP client, SigV4 signing, retries, endpoints, timestamps, validation) is the separate crate `aws-lite-runtime` (`codegen/runtime/`), a dependency of the generated crate, and is not counted, as the official SDK's runtime crates are not.",
        thousands(ours_total),
        thousands(f(&loc["ours_library_code_lines"])),
        ours_ops,
        thousands(f(&loc["ours_cli_lines"])),
        thousands(ours_total / ours_ops)
    );
    for c in list(&loc["official_crates"]) {
        let _ = writeln!(
            out,
            "- {} {} `src`: {} lines ({} code lines) for {} operations: {} lines per operation (its runtime lives in the separate aws-smithy-* and aws-runtime crates, not counted).",
            text(&c["package"]),
            text(&c["version"]),
            thousands(f(&c["lines"])),
            thousands(f(&c["code_lines"])),
            c["operations"],
            thousands(f(&c["lines"]) / f(&c["operations"]))
        );
    }
}

fn render_codegen(out: &mut String, cg: &Value) {
    let _ = writeln!(out, "\n## 5. Code generation time\n");
    let _ = writeln!(
        out,
        "The generator library (`codegen`, release build; it emits a model's files on every core) called from the bench binary: `codegen::generate` reads the model files, loads, lowers, plans and emits every file formatted with prettyplease, in memory (writing files is not timed). The official SDK's generator (smithy-rs, Kotlin) is not run here, so there is no ratio. Shapes include the Smithy prelude.\n"
    );
    header(
        out,
        &["shapes per second", "input", "time", "shapes", "generated files / lines"],
        &[true, false, true, true, true],
    );
    for key in ["project", "iot"] {
        let c = &cg[key];
        if c.is_object() {
            row(
                out,
                &[
                    thousands(f(&c["shapes"]) / f(&c["median_s"])),
                    text(&c["label"]).to_owned(),
                    format!(
                        "{:.1} ms (median of {}; {:.1}-{:.1})",
                        f(&c["median_s"]) * 1e3,
                        c["runs"],
                        f(&c["min_s"]) * 1e3,
                        f(&c["max_s"]) * 1e3
                    ),
                    thousands(f(&c["shapes"])),
                    format!("{} / {}", c["files"], thousands(f(&c["lines"]))),
                ],
            );
        }
    }
    let corpus = &cg["corpus"];
    if corpus.is_object() {
        let failed = list(&corpus["failed"]);
        row(
            out,
            &[
                thousands(f(&corpus["shapes_per_s"])),
                format!(
                    "whole corpus (`../shared/aws-models/`, {} models{}, one after the other)",
                    corpus["models"],
                    if failed.is_empty() { String::new() } else { format!(", {} failed", failed.len()) }
                ),
                format!(
                    "{:.1} s (slowest: {} {:.2} s)",
                    f(&corpus["seconds"]),
                    text(&corpus["slowest"]["model"]),
                    f(&corpus["slowest"]["seconds"])
                ),
                thousands(f(&corpus["shapes"])),
                format!("- / {}", thousands(f(&corpus["lines"]))),
            ],
        );
        let parallel = &cg["corpus_parallel"];
        if parallel.is_object() {
            row(
                out,
                &[
                    thousands(f(&parallel["shapes_per_s"])),
                    format!("whole corpus, {} models at a time (largest first; wall clock)", parallel["threads"]),
                    format!("{:.1} s", f(&parallel["seconds"])),
                    thousands(f(&parallel["shapes"])),
                    "-".into(),
                ],
            );
        }
        let iot_rate = f(&cg["iot"]["shapes"]) / f(&cg["iot"]["median_s"]);
        let corpus_rate = f(&corpus["shapes_per_s"]);
        let growth = if (0.67..=1.5).contains(&(iot_rate / corpus_rate)) {
            "the large model runs at about the corpus's rate, so time grows about linearly with the number of shapes"
        } else if iot_rate < corpus_rate {
            "the large model runs slower per shape than the corpus as a whole, so time grows faster than the number of shapes"
        } else {
            "the large model runs faster per shape than the corpus as a whole (fixed costs weigh on small models)"
        };
        let _ = writeln!(
            out,
            "\nGrowth with model size: {} shapes/s for the three-operation model, {} for the full IoT model ({} shapes) and {} across the corpus ({} shapes; the slowest model, {}, has {} shapes and takes {:.2} s): {growth}.\n",
            thousands(f(&cg["project"]["shapes"]) / f(&cg["project"]["median_s"])),
            thousands(iot_rate),
            thousands(f(&cg["iot"]["shapes"])),
            thousands(corpus_rate),
            thousands(f(&corpus["shapes"])),
            text(&corpus["slowest"]["model"]),
            thousands(f(&corpus["slowest"]["shapes"])),
            f(&corpus["slowest"]["seconds"])
        );
        let _ = writeln!(out, "Where the corpus time goes, by phase (one model at a time; each phase timed around its call, emission's as wall-clock time across its threads):\n");
        header(out, &["share", "phase", "seconds over the corpus"], &[true, false, true]);
        let total = f(&corpus["seconds"]);
        for phase in list(&corpus["phases"]) {
            let seconds = f(&phase["seconds"]);
            row(
                out,
                &[
                    format!("{:.1} %", 100.0 * seconds / total),
                    text(&phase["phase"]).to_owned(),
                    format!("{seconds:.1}"),
                ],
            );
        }
    } else {
        let _ = writeln!(out, "\n(`../shared/aws-models/` not found: the IoT and corpus rows are missing.)");
    }
}

fn render_whole_iot(out: &mut String, r: &Value) {
    let iot = &r["whole_iot"];
    let _ = writeln!(out, "\n## 7. The whole IoT model\n");
    let (o, s) = (&iot["ours"], &iot["official"]);
    if !(o.is_object() && s.is_object()) {
        let _ = writeln!(
            out,
            "Not measured in this run{}.",
            iot["skipped"].as_str().map(|why| format!(": {why}")).unwrap_or_default()
        );
        return;
    }
    let generated = if o["operations"] == iot["model_operations"] {
        format!("all {} operations of the model", o["operations"])
    } else {
        format!("{} of the model's {} operations", o["operations"], iot["model_operations"])
    };
    let _ = writeln!(
        out,
        "Sections 3 and 4 measure three operations; this section measures one whole service. `codegen::generate` turns the whole IoT model (`{}`) into the standalone crate `aws-lite-iot` ({generated}; {} warnings; generated in {}), written to `{}`: its one dependency, `aws-lite-runtime`, is this checkout's `codegen/runtime` by path, and the workspace's `Cargo.lock` pins every version. The official side is `aws-sdk-iot` {} alone, with its default features.\n",
        text(&iot["model"]),
        iot["generate_warnings"],
        short_time(f(&iot["generate_seconds"])),
        text(&iot["crate_dir"]),
        text(&s["version"])
    );
    let _ = writeln!(
        out,
        "Builds: `cargo build --release --offline --timings` of the generated crate into an empty `target/bench-fixtures/iot-ours`, then `cargo build --release --offline --timings -p aws-sdk-iot` of `bench/fixtures/official` into an empty `target/bench-fixtures/iot-official`, one after the other with the machine's {} cores; dependencies are fetched beforehand and not timed. Each builds one library and its dependencies (the generated crate's command-line binary needs its `cli` feature and is not built). Time is wall-clock; \"crates compiled\" counts cargo's `Compiling` lines; the crate's own compile time is its row in cargo's timing report. Lines are counted as in section 4: everything under the generated crate's `src/` but `src/bin/` (the command-line tables, {} lines), against everything under aws-sdk-iot's `src/` in cargo's registry. Neither side's runtime (`aws-lite-runtime`; the aws-smithy-* and aws-runtime crates) is in the lines; both are in the build figures. {}\n",
        r["machine"]["cores"],
        thousands(f(&o["cli_lines"])),
        text(&iot["cargo"])
    );
    header(
        out,
        &["official ÷ aws-lite", "figure", "aws-lite (`aws-lite-iot`)", "official SDK (`aws-sdk-iot`)"],
        &[true, false, true, true],
    );
    let (ob, sb) = (&o["build"], &s["build"]);
    if ob.is_object() && sb.is_object() {
        row(
            out,
            &[
                ratio(f(&sb["seconds"]), f(&ob["seconds"])),
                "clean release build, wall clock".into(),
                duration(f(&ob["seconds"])),
                duration(f(&sb["seconds"])),
            ],
        );
        row(
            out,
            &[
                ratio(f(&sb["compiled"]), f(&ob["compiled"])),
                "crates compiled".into(),
                ob["compiled"].to_string(),
                sb["compiled"].to_string(),
            ],
        );
        row(
            out,
            &[
                ratio(f(&sb["crate_unit_seconds"]), f(&ob["crate_unit_seconds"])),
                "compile time of the crate itself (its unit in the timing report)".into(),
                format!("{:.1} s", f(&ob["crate_unit_seconds"])),
                format!("{:.1} s", f(&sb["crate_unit_seconds"])),
            ],
        );
    } else {
        row(
            out,
            &[
                "-".into(),
                "clean release build (skipped with `--skip-build`)".into(),
                "not measured".into(),
                "not measured".into(),
            ],
        );
    }
    let (ol, sl, oc, sc) = (f(&o["lines"]), f(&s["lines"]), f(&o["code_lines"]), f(&s["code_lines"]));
    let (oo, so) = (f(&o["operations"]), f(&s["operations"]));
    row(out, &[ratio(sl, ol), "lines of `src`".into(), thousands(ol), thousands(sl)]);
    row(out, &[ratio(sc, oc), "code lines of `src`".into(), thousands(oc), thousands(sc)]);
    row(out, &["-".into(), "operations".into(), thousands(oo), thousands(so)]);
    row(out, &[ratio(sl / so, ol / oo), "lines per operation".into(), thousands(ol / oo), thousands(sl / so)]);
    row(out, &[ratio(sc / so, oc / oo), "code lines per operation".into(), thousands(oc / oo), thousands(sc / so)]);

    let (ou, su) = (&ob["units"], &sb["units"]);
    if !(ou.is_object() && su.is_object()) {
        return;
    }
    let (a, b) = (list(&ou["packages"]), list(&su["packages"]));
    let _ = writeln!(
        out,
        "\nWhere the build time goes (`cargo build --timings`): seconds of compilation per package, build scripts included, slowest first; units overlap on the {} cores ({} and {} of unit time in all). The generated crate is {:.0} % of its build's unit time (the rest is aws-lite-runtime and the dependencies), aws-sdk-iot {:.0} % of its build's.\n",
        r["machine"]["cores"],
        duration(f(&ou["total_unit_seconds"])),
        duration(f(&su["total_unit_seconds"])),
        100.0 * seconds_of(&a, crate::whole_iot::PACKAGE) / f(&ou["total_unit_seconds"]),
        100.0 * seconds_of(&b, crate::whole_iot::OFFICIAL) / f(&su["total_unit_seconds"])
    );
    units_table(out, ("aws-lite-iot build", &a), ("aws-sdk-iot build", &b));
}

/// Mean of the three operations' median µs per call for one client (`ours_us` or
/// `official_us`): the profiled process makes the three in turn.
fn mean_per_call(ops: &[Value], key: &str) -> f64 {
    ops.iter().map(|op| f(&op[key]["median"])).sum::<f64>() / ops.len().max(1) as f64
}

fn render_profile(out: &mut String, r: &Value, ops: &[Value]) {
    let profile = &r["profile"];
    let _ = writeln!(out, "\n## 6. Where the per-call time goes\n");
    if !profile["ours"]["buckets"].is_array() {
        let _ = writeln!(out, "No profile in this run: {}.", profile["skipped"].as_str().unwrap_or("perf failed"));
        return;
    }
    let _ = writeln!(
        out,
        "`perf record -e cpu-clock --call-graph dwarf` of a fresh bench process making {} calls (the three operations in turn) on one client; each row is the share of the samples taken inside that part of the pipeline, callees included (rows nest: the official SDK's signing step contains aws-sigv4), and the µs it stands for at the mean of the three median per-call times of section 1. Allocator rows add up the self time of glibc's malloc, free and realloc functions. DWARF unwinding loses some stacks, so a share is a lower bound (the phases of section 5 are timed directly).\n",
        thousands(f(&profile["ours"]["calls"]))
    );
    for (who, key, name) in [("ours", "ours_us", "aws-lite"), ("official", "official_us", "official SDK")] {
        let p = &profile[who];
        let per_call = mean_per_call(ops, key);
        let _ = writeln!(out, "{name} (mean {} µs per call):\n", us(per_call));
        header(out, &["share of samples", "≈ µs per call", "part of the pipeline"], &[true, true, false]);
        for b in list(&p["buckets"]) {
            let pct = f(&b["percent"]);
            row(out, &[format!("{pct:.1} %"), us(pct / 100.0 * per_call), text(&b["label"]).to_owned()]);
        }
        let alloc = f(&p["allocator_self_percent"]);
        row(
            out,
            &[format!("{alloc:.1} %"), us(alloc / 100.0 * per_call), "malloc / free / realloc (self time)".into()],
        );
        let top: Vec<String> = list(&p["top_self"])
            .iter()
            .map(|t| format!("`{}` {:.1} %", text(&t["symbol"]), f(&t["percent"])))
            .collect();
        let _ = writeln!(out, "\nHottest functions by self time: {}.\n", top.join(", "));
    }

    let cg = &profile["codegen"];
    if cg["buckets"].is_array() {
        let _ = writeln!(
            out,
            "The generator, by the same method, generating the full IoT model three times in one process (`aws-lite-bench generate ../shared/aws-models/iot.json`); rows nest as their names say:\n"
        );
        header(out, &["share of samples", "part of code generation"], &[true, false]);
        for b in list(&cg["buckets"]) {
            row(out, &[format!("{:.1} %", f(&b["percent"])), text(&b["label"]).to_owned()]);
        }
        row(out, &[format!("{:.1} %", f(&cg["allocator_self_percent"])), "malloc / free / realloc (self time)".into()]);
        let top: Vec<String> = list(&cg["top_self"])
            .iter()
            .map(|t| format!("`{}` {:.1} %", text(&t["symbol"]), f(&t["percent"])))
            .collect();
        let _ = writeln!(out, "\nHottest functions by self time: {}.\n", top.join(", "));
    }

    // What signing costs each client, from section 1's figures and aws-lite's profile row.
    let sign: Vec<f64> = ops.iter().map(|op| f(&op["sigv4_us"]["median"])).collect();
    let share: Vec<f64> =
        ops.iter().map(|op| 100.0 * f(&op["sigv4_us"]["median"]) / f(&op["official_us"]["median"])).collect();
    let needed: Vec<f64> = ops.iter().map(|op| f(&op["official_us"]["median"]) / 10.0).collect();
    let (sign_lo, sign_hi) = min_max(&sign);
    let (share_lo, share_hi) = min_max(&share);
    let (needed_lo, needed_hi) = min_max(&needed);
    let ours_signing = list(&profile["ours"]["buckets"])
        .iter()
        .find(|b| text(&b["label"]).contains("signing step"))
        .map(|b| f(&b["percent"]) / 100.0 * mean_per_call(ops, "ours_us"));
    let ours_signing = match ours_signing {
        Some(us_per_call) => format!(
            "; its signing step takes about {} µs of an aws-lite call in the profile above, against {}-{} µs for aws-sigv4 alone",
            us(us_per_call),
            us(sign_lo),
            us(sign_hi)
        ),
        None => String::new(),
    };
    let _ = writeln!(
        out,
        "What bounds the per-call ratio: the official SDK signs through aws-sigv4, and `aws_sigv4::http_request::sign` alone costs {}-{} µs per call on these requests ({:.0}-{:.0} % of the official per-call time, section 1), a floor under the official figures. aws-lite does not call it: it signs with its own implementation (`codegen/runtime/src/signing/`){ours_signing}. The 10× target needs a whole aws-lite call in {}-{} µs, {} aws-sigv4 alone takes to sign the same request.",
        us(sign_lo),
        us(sign_hi),
        share_lo,
        share_hi,
        us(needed_lo),
        us(needed_hi),
        if needed_hi < sign_lo { "less than" } else if needed_lo > sign_hi { "more than" } else { "about what" }
    );
    let _ = writeln!(out, "\n{}", ANALYSIS);
}

/// Written by hand from the profile above; it names where the time goes, and every figure it
/// relies on is in the generated tables.
const ANALYSIS: &str = "Reading the profile (hand-written notes; the figures are the generated ones above):\n\n\
- aws-lite signs with its own SigV4 implementation (`codegen/runtime/src/signing/`, on `hmac` and `sha2`): the canonical request and the string to sign are written into one pre-sized buffer, digests are hex-encoded from a table, and the signing key is derived once per secret, date, region and service and then cached, so a call hashes its body and its canonical request and computes one HMAC. aws-sigv4, which the official SDK signs with, builds both strings through `fmt::Write` into growing `String`s, hex-encodes digests one `char` at a time, copies and lower-cases every header and derives the signing key with four HMAC-SHA256s on every call; section 1's \"aws-sigv4 alone\" column times it on the same requests.\n\
- The rest of aws-lite's call is spread thin: building the HTTP request and its headers, endpoint resolution, a UUID v4 for the invocation id (and IoT's idempotency token), `@pattern` validation (a search of a DFA the generator built), and allocator work across all of them. Besides signing, these and the number of allocations per call (section 2) are where aws-lite's per-call time goes.\n\
- The official SDK's extra time is its orchestrator: per-call configuration layering and runtime plugins, interceptors (the user agent is rebuilt and formatted on every call), type-erased config bags, and conversions between its own HTTP types and http 1.x; signing is a smaller share of a larger total.\n\
- The clean build of the three-call fixture is mostly dependencies on both sides, but different ones: the official fixture's largest units are the two SDK crates themselves (their share is given in section 3), while aws-lite's crate is a small unit and its build is TLS and crypto (rustls, ring), `syn` for serde's derive, and tokio. `@pattern` checks search DFAs the generator serialized, so the build holds only regex-automata's search code, not the `regex` crate's parser and compilers (regex-syntax and the rest of regex-automata were about 18 s of unit time); a crate gets `regex` only for a pattern whose DFA is too large. A 10× faster build than the official SDK's needs the rest made lighter or optional: the HTTPS stack behind a feature for users who bring a transport, and a runtime that compiles beside rustls rather than after it. For a whole service (section 7) the generated crate itself weighs more, and the amount of code generated per operation and shape matters as much as the dependencies.\n\
- Lines per operation: aws-lite's operation file holds the same kinds of code as the official SDK's modules (input and output structs, their builders, the fluent builder, the error enum, serialization and parsing), written more compactly, and the call itself is one generic runtime function (`operation::invoke`) given the operation's validate, serialize and parse functions; what is left per operation is mostly its types, their builders and their documentation.\n\
- Code generation spends most of its time in emission, and most of emission in turning each file's `quote!` token stream back into a `syn` syntax tree and printing it with prettyplease (then freeing the tree); loading, lowering and planning are small. Emission already spreads a model's files, and the corpus its models, over every core; beyond that, the round trip through `syn` is the cost to cut, either by printing without it or by emitting less code per shape (shared generic helpers instead of per-shape bodies), which would also shrink the generated lines of section 4.";

#[cfg(test)]
mod tests {
    use serde_json::json;

    fn whole_iot(build: bool) -> serde_json::Value {
        let built = |seconds: f64, package: &str, own: f64| {
            json!({
                "seconds": seconds,
                "compiled": 90,
                "crate_unit_seconds": own,
                "units": { "total_unit_seconds": 2.0 * seconds, "packages": [{ "package": package, "seconds": own }] },
            })
        };
        json!({
            "model": "../shared/aws-models/iot.json",
            "model_operations": 270,
            "generate_seconds": 0.7,
            "generate_warnings": 0,
            "crate_dir": "target/bench-fixtures/iot-crate",
            "cargo": "cargo 1.95.0",
            "ours": {
                "package": "aws-lite-iot", "files": 277, "operations": 270, "lines": 190_000,
                "code_lines": 170_000, "cli_lines": 23_000,
                "build": if build { built(200.0, "aws-lite-iot", 120.0) } else { serde_json::Value::Null },
            },
            "official": {
                "package": "aws-sdk-iot", "version": "1.135.0", "operations": 272, "lines": 380_000,
                "code_lines": 320_000,
                "build": if build { built(380.0, "aws-sdk-iot", 200.0) } else { serde_json::Value::Null },
            },
        })
    }

    #[test]
    fn the_whole_iot_section_and_its_targets() {
        let markdown = super::render(&json!({ "whole_iot": whole_iot(true) }));
        assert!(markdown.contains("## 7. The whole IoT model"));
        assert!(markdown.contains("| 1.9× | ≥ 3× | **no** | whole IoT model: clean release build"), "{markdown}");
        assert!(markdown.contains("needs 1.6× more; next lever:"), "{markdown}");
        assert!(markdown.contains("| 2.0× | ≥ 3× fewer | **no** | whole IoT model: lines"), "{markdown}");
        assert!(markdown.contains("| 1 | aws-lite-iot | 120.0 | aws-sdk-iot | 200.0 |"), "{markdown}");
    }

    #[test]
    fn skipped_measurements_are_not_measured() {
        let markdown = super::render(&json!({ "whole_iot": whole_iot(false), "builds": null }));
        let targets = markdown.split("## Summary").next().unwrap_or_default();
        // Without per-call, build and codegen figures every target but the whole-IoT lines is missing.
        assert_eq!(targets.matches("| not measured |").count(), 9, "{targets}");
        assert!(markdown.contains("clean release build (skipped with `--skip-build`)"));
        let skipped = super::render(&json!({ "whole_iot": { "skipped": "iot.json not found" } }));
        assert!(skipped.contains("Not measured in this run: iot.json not found."));
    }
}
