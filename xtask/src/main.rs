//! `cargo xtask <task>`: the project's own commands.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod bench;
mod codegen_task;
mod endpoint_tests;
mod model;
mod protocol_tests;
mod sweep;

const USAGE: &str = "\
usage: cargo xtask <task>

tasks:
  codegen [--check] [--model PATH]... [--out DIR] [--name PACKAGE] [--operation NAME]...
          [--runtime-path DIR | --runtime-registry]
      Generate a client crate. Without --model, reads every model/*.json and writes generated/.
      --check      write nothing; exit 1 listing the stale files if the output is out of date
      --operation  generate only the named operations (model name or shape ID; repeatable)
                   and the shapes they need; services with none of them are left out
      The crate depends on aws-lite-runtime, pinned to this generator's version: by default
      through a path dependency on this checkout's codegen/runtime; --runtime-path names
      another copy (as written into the manifest), --runtime-registry the version alone.
  sweep [--models DIR] [--compile N] [--compile-models A,B] [--out DIR]
      Generate a crate for every model in DIR (default ../shared/aws-models) into DIR
      (default target/sweep); --compile N also runs clippy (warnings denied) on the N largest,
      --compile-models on the named ones (file stems, e.g. iot,personalize).
  protocol-tests [--model FILE]... [--out DIR]
      Generate each official protocol test model (default: every file in ../shared/protocol-tests)
      into DIR (default target/protocol-tests) with its client compliance cases as tests, run
      them and print `N passed, M failed, K skipped`; cases in xtask/protocol-test-skips.txt are
      the only failures allowed.
  endpoint-tests [--model FILE]... [--repeat N]
      Check the endpoint rule set of each model (default: ../shared/endpoint-tests/rules-engine/*.json,
      then ../shared/aws-models/*.json) with aws-lite-endpoint-rules, resolve its
      smithy.rules#endpointTests cases (also from their operationInputs) and print the failures, a
      summary per source, the time taken and `N passed, M failed`; --repeat resolves each case N
      times for a steadier per-resolution cost.
  partitions [--check] [--from FILE] [--source TEXT]
      Regenerate codegen/endpoint-rules/src/partitions/data.rs from a Smithy partitions.json
      (default ../shared/endpoint-tests/partitions.json); --check writes nothing and fails if the
      file is stale; --source describes where FILE comes from in the file's header.
  model add --from UPSTREAM --operation NAME... [--model-dir DIR]
      Add the named operations of an upstream Smithy model, JSON AST or IDL (name or shape ID), with
      every shape they need to the model/ file of that service (created if missing; merged if
      present; running it twice changes nothing). Shapes are sorted by ID.
  model update --from UPSTREAM.json [--docs local|upstream] [--check] [--report FILE] [--model-dir DIR]
      Refresh every shape of the service's model/ file from a newer upstream model and print a
      Markdown change report (breaking changes first); --report also writes it to FILE. Local
      documentation is kept unless --docs upstream. --check writes nothing and fails when the
      file differs from what upstream gives.
  model remove --operation NAME... [--model-dir DIR]
      Drop operations and the shapes no other kept operation needs.
  model ast FILE...
      Load model files (Smithy IDL .smithy or JSON AST .json) together, as code generation
      loads them (apply merged, mixins flattened and kept as `mixins` lists), and print one
      Smithy JSON AST document without the prelude; load errors are printed located.
  bench [--skip-build] [--quick]
      Compare aws-lite with the official AWS SDK for Rust (bench/) and write BENCHMARKS.md;
      --skip-build leaves out the ~10-minute clean fixture builds, --quick takes few samples.
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("codegen") => codegen_task::run(&args[1..]),
        Some("sweep") => sweep::run(&args[1..]),
        Some("protocol-tests") => protocol_tests::run(&args[1..]),
        Some("endpoint-tests") => endpoint_tests::run(&args[1..]),
        Some("partitions") => endpoint_tests::run_partitions(&args[1..]),
        Some("bench") => bench::run(&args[1..]),
        Some("model") => model::run(&args[1..]),
        Some("-h" | "--help" | "help") => {
            print!("{USAGE}");
            Ok(())
        }
        Some(other) => Err(format!("unknown task `{other}`\n\n{USAGE}")),
        None => Err(USAGE.to_owned()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root (the parent of this crate's directory).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("."))
}

/// `cargo clippy --all-targets` with warnings denied on the crate in `dir`, built into
/// `target_dir`; on failure, the first lines of clippy's report.
pub fn clippy(dir: &Path, target_dir: &Path) -> Result<(), String> {
    let output = std::process::Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["clippy", "--quiet", "--all-targets", "--", "-D", "warnings"])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target_dir)
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&output.stderr).lines().take(60).collect::<Vec<_>>().join("\n"))
    }
}
