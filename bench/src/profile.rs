//! Where the time goes: `perf record` (CPU-clock sampling, DWARF call stacks) of a fresh bench
//! process making calls on one client, or generating the full IoT model, then the share of
//! samples inside chosen functions (their callees included). Skipped when `perf` is missing.

use serde_json::{json, Value};
use std::path::Path;
use std::process::Command;

const CALLS: u64 = 30_000;

/// Which functions a row of the breakdown covers.
enum Match {
    /// The largest inclusive share among symbols starting with this (the outermost frame).
    Prefix(&'static str),
    /// The sum over the symbols this accepts (per-operation functions, none calling another).
    Sum(fn(&str) -> bool),
    /// Samples whose innermost frame is the bench's own call code.
    BenchSelf,
}

const OURS: [(&str, Match); 9] = [
    (
        "aws-lite's SigV4 signing step, its own signer (`signing::sign_request_with`, cached signing keys)",
        Match::Prefix("aws_lite_runtime::signing::sign_request_with"),
    ),
    ("building the HTTP request (`send::build_request`)", Match::Prefix("aws_lite_runtime::send::build_request")),
    (
        "endpoint resolution (`endpoint::resolve_endpoint`)",
        Match::Prefix("aws_lite_runtime::endpoint::resolve_endpoint"),
    ),
    (
        "input serialization (`operation::*::serialize`)",
        Match::Sum(|s| s.starts_with("aws_lite::") && s.ends_with("::serialize")),
    ),
    ("output parsing (`protocol::parse_json`)", Match::Prefix("aws_lite_runtime::protocol::json::parse_json")),
    ("pattern validation (`validation::check_pattern`)", Match::Prefix("aws_lite_runtime::validation::check_pattern")),
    (
        "UUID v4 for the invocation id and idempotency token (`Uuid::new_v4`)",
        Match::Prefix("uuid::v4::<impl uuid::Uuid>::new_v4"),
    ),
    ("the canned in-memory transport", Match::Prefix("<aws_lite_bench::scenario::ours::CannedTransport as")),
    ("the bench's own call code (builders, output checks), self time", Match::BenchSelf),
];

const OFFICIAL: [(&str, Match); 9] = [
    (
        "SigV4 signing in aws-sigv4 (`aws_sigv4::http_request::sign::sign`)",
        Match::Prefix("aws_sigv4::http_request::sign::sign"),
    ),
    (
        "the SDK's signing step, aws-sigv4 included (`orchestrator::auth::sign_request`)",
        Match::Prefix("aws_smithy_runtime::client::orchestrator::auth::sign_request"),
    ),
    (
        "per-call configuration and runtime plugins (`orchestrator::apply_configuration`)",
        Match::Prefix("aws_smithy_runtime::client::orchestrator::apply_configuration"),
    ),
    (
        "interceptors before signing (user agent, ...)",
        Match::Prefix("aws_smithy_runtime::client::interceptors::Interceptors<I>::modify_before_signing"),
    ),
    (
        "interceptors before transmit",
        Match::Prefix("aws_smithy_runtime::client::interceptors::Interceptors<I>::modify_before_transmit"),
    ),
    (
        "endpoint resolution and application (`orchestrator::endpoints::apply_endpoint`)",
        Match::Prefix("aws_smithy_runtime::client::orchestrator::endpoints::apply_endpoint"),
    ),
    (
        "input serialization (`<Op>RequestSerializer::serialize_input`)",
        Match::Sum(|s| s.contains("RequestSerializer as aws_smithy_runtime_api") && s.ends_with(">::serialize_input")),
    ),
    (
        "output parsing (`<Op>ResponseDeserializer::deserialize_nonstreaming`)",
        Match::Sum(|s| {
            s.contains("ResponseDeserializer as aws_smithy_runtime_api") && s.contains(">::deserialize_nonstreaming")
        }),
    ),
    (
        "the in-memory test HTTP client (`InfallibleClientFn`)",
        Match::Prefix("<aws_smithy_http_client::test_util::infallible::InfallibleClientFn as"),
    ),
];

/// `(children %, self %, symbol)` rows of `perf report --children`.
fn report_rows(data: &Path) -> Result<Vec<(f64, f64, String)>, String> {
    let output = Command::new("perf")
        // `--no-inline`: looking up inlined frames takes perf a minute and moves no figure.
        .args(["report", "--no-inline", "--children", "--sort", "symbol", "--stdio", "-g", "none"])
        .args(["--percent-limit", "0.2", "-i"])
        .arg(data)
        .output()
        .map_err(|e| format!("perf report: {e}"))?;
    if !output.status.success() {
        return Err(format!("perf report failed: {}", String::from_utf8_lossy(&output.stderr)));
    }
    let text = String::from_utf8_lossy(&output.stdout);
    let mut rows = Vec::new();
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let mut parts = line.split_whitespace();
        let (Some(children), Some(own), Some(_kind)) = (parts.next(), parts.next(), parts.next()) else {
            continue;
        };
        let (Some(children), Some(own)) = (
            children.strip_suffix('%').and_then(|c| c.parse().ok()),
            own.strip_suffix('%').and_then(|c| c.parse().ok()),
        ) else {
            continue;
        };
        // Trailing `-` columns are perf's empty source fields.
        let symbol: Vec<&str> = parts.collect();
        let end = symbol.iter().rposition(|part| *part != "-").map_or(0, |i| i + 1);
        rows.push((children, own, symbol[..end].join(" ")));
    }
    Ok(rows)
}

/// Codegen of the full IoT model (three times over, in one process). The phases themselves
/// are timed directly (section 5); this splits emission, the largest.
const CODEGEN: [(&str, Match); 9] = [
    ("emit, all of it, on every thread (`emit::files::run`)", Match::Prefix("codegen::emit::files::run")),
    (
        "emit: operation files (`emit::files::operation::emit_operation_files`)",
        Match::Prefix("codegen::emit::files::operation::emit_operation_files"),
    ),
    (
        "emit: shape files (`emit::files::types::emit_service`)",
        Match::Prefix("codegen::emit::files::types::emit_service"),
    ),
    ("emit: CLI front end (`emit::files::cli::emit_cli`)", Match::Prefix("codegen::emit::files::cli::emit_cli")),
    ("emit: tokens to text, all files (`emit::context::render`)", Match::Prefix("codegen::emit::context::render")),
    (
        "render: re-parsing the tokens into a syntax tree (`syn` `parse2`)",
        Match::Prefix("<F as syn::parse::Parser>::parse2"),
    ),
    ("render: printing with prettyplease (`prettyplease::unparse`)", Match::Prefix("prettyplease::unparse")),
    (
        "render: dropping the syntax trees (`drop_in_place<syn::file::File>`)",
        Match::Prefix("core::ptr::drop_in_place<syn::file::File>"),
    ),
    ("plan names and closures (`plan::plan`)", Match::Prefix("codegen::plan::plan")),
];

fn profile(root: &Path, who: &str, buckets: &[(&str, Match)]) -> Result<Value, String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let data = root.join(format!("target/bench/perf-{who}.data"));
    let iot = root.join("../shared/aws-models/iot.json");
    let args: Vec<String> = if who == "codegen" {
        vec!["generate".into(), iot.display().to_string()]
    } else {
        vec!["peak".into(), who.into(), CALLS.to_string()]
    };
    let record = Command::new("perf")
        .args(["record", "--quiet", "-e", "cpu-clock", "-F", "1999", "--call-graph", "dwarf,16384", "-o"])
        .arg(&data)
        .arg("--")
        .arg(&exe)
        .args(&args)
        .output()
        .map_err(|e| format!("perf record: {e}"))?;
    if !record.status.success() {
        return Err(format!("perf record failed: {}", String::from_utf8_lossy(&record.stderr)));
    }
    let rows = report_rows(&data)?;
    let mut shares = Vec::new();
    for (label, matching) in buckets {
        let share = match matching {
            Match::Prefix(prefix) => {
                rows.iter().filter(|(_, _, s)| s.starts_with(prefix)).map(|(c, _, _)| *c).fold(0.0, f64::max)
            }
            Match::Sum(accepts) => rows.iter().filter(|(_, _, s)| accepts(s)).map(|(c, _, _)| c).sum(),
            Match::BenchSelf => {
                rows.iter().filter(|(_, _, s)| s.starts_with("aws_lite_bench::scenario::")).map(|(_, own, _)| own).sum()
            }
        };
        if share > 0.0 {
            shares.push(json!({ "label": label, "percent": share }));
        }
    }
    let allocator: f64 = rows
        .iter()
        .filter(|(_, _, s)| {
            ["malloc", "_int_malloc", "_int_free", "cfree", "free", "realloc", "_int_realloc", "malloc_consolidate"]
                .iter()
                .any(|name| s == name || s.starts_with(&format!("{name}@")))
        })
        .map(|(_, own, _)| own)
        .sum();
    let mut top_self: Vec<&(f64, f64, String)> = rows.iter().collect();
    top_self.sort_by(|a, b| b.1.total_cmp(&a.1));
    Ok(json!({
        "calls": CALLS,
        "buckets": shares,
        "allocator_self_percent": allocator,
        "top_self": top_self.iter().take(8).map(|(_, own, s)| json!({ "symbol": s, "percent": own })).collect::<Vec<_>>(),
    }))
}

/// Both clients' profiles and the generator's, or `null` when perf is missing or fails (the report says so).
pub fn run(root: &Path) -> Value {
    let available = Command::new("perf").arg("--version").output().is_ok_and(|o| o.status.success());
    if !available {
        eprintln!("  perf not found: no profile");
        return json!({ "skipped": "perf is not installed" });
    }
    let mut out = serde_json::Map::new();
    let mut runs = vec![("ours", &OURS[..]), ("official", &OFFICIAL[..])];
    if root.join("../shared/aws-models/iot.json").is_file() {
        runs.push(("codegen", &CODEGEN[..]));
    }
    for (who, buckets) in runs {
        match profile(root, who, buckets) {
            Ok(value) => {
                out.insert(who.to_owned(), value);
            }
            Err(err) => {
                eprintln!("  profile of {who} failed: {err}");
                out.insert(who.to_owned(), json!({ "error": err }));
            }
        }
    }
    Value::Object(out)
}
