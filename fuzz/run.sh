#!/usr/bin/env bash
# Runs one fuzz target with its caps, after building its seed corpus from ../shared when
# fuzz/corpus/TARGET is empty (or when SEEDS=1). Needs nightly and cargo-fuzz
# (`cargo install cargo-fuzz`).
#
#   fuzz/run.sh TARGET [RUNS] [more libFuzzer flags...]
#
# RUNS defaults to 100000 (a smoke run); -runs=-1 fuzzes until stopped. The run is niced and one
# process unless -fork=N or -jobs=N is passed (with -jobs, RUNS counts per process). Findings go to
# fuzz/artifacts/TARGET/, the grown corpus stays in fuzz/corpus/TARGET/, the log to
# fuzz/logs/TARGET.log, and -jobs writes fuzz/fuzz-N.log (all git-ignored).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
target="${1:?usage: fuzz/run.sh TARGET [RUNS] [libFuzzer flags...]}"
runs="${2:-100000}"
shift $(( $# >= 2 ? 2 : 1 ))

# Per-input timeout (s), RSS cap (MB), largest single allocation (MB), largest input (bytes).
# The loaders are built without a sanitizer: the code they test has no unsafe code, and
# AddressSanitizer's allocator made them four times slower. `-malloc_limit_mb` needs a
# sanitizer, so their 256 MB allocation cap is the targets' own global allocator
# (src/allocation_cap.rs).
sanitizer=address
case "$target" in
  model_loader)           caps=(-timeout=10 -rss_limit_mb=512 -max_len=16384); sanitizer=none ;;
  idl_loader)             caps=(-timeout=10 -rss_limit_mb=512 -max_len=16384); sanitizer=none ;;
  aws_json_response)      caps=(-timeout=5 -rss_limit_mb=512 -malloc_limit_mb=256 -max_len=16384) ;;
  rest_json_response)     caps=(-timeout=5 -rss_limit_mb=512 -malloc_limit_mb=256 -max_len=16384) ;;
  shared_files)           caps=(-timeout=5 -rss_limit_mb=512 -malloc_limit_mb=256 -max_len=8192) ;;
  endpoint_rules_parse)   caps=(-timeout=5 -rss_limit_mb=512 -malloc_limit_mb=256 -max_len=8192) ;;
  endpoint_rules_resolve) caps=(-timeout=5 -rss_limit_mb=512 -malloc_limit_mb=256 -max_len=4096) ;;
  cli_input)              caps=(-timeout=5 -rss_limit_mb=512 -malloc_limit_mb=256 -max_len=8192) ;;
  event_stream_decode)    caps=(-timeout=5 -rss_limit_mb=512 -malloc_limit_mb=256 -max_len=65536) ;;
  *) echo "unknown target $target" >&2; exit 2 ;;
esac

corpus="$here/corpus/$target"
if [[ "${SEEDS:-0}" == 1 || ! -d "$corpus" || -z "$(ls -A "$corpus" 2>/dev/null)" ]]; then
  python3 "$here/seeds.py" "$target"
fi
mkdir -p "$here/artifacts/$target" "$here/logs"

# No allocation stacks in ASan reports: unwinding on every allocation costs more than a tenth
# of the run (rerun a finding with ASAN_OPTIONS= to see them). A 64 MB quarantine of freed
# memory instead of 256 MB: the RSS cap then measures the code under test, not ASan's
# bookkeeping (with 256 MB, model_loader passed 512 MB holding 31 MB of live data). No fake
# stacks for stack-use-after-return: that bug class needs unsafe code returning stack addresses,
# and the fake stack was a tenth of aws_json_response's time (3,100 -> 4,400 exec/s).
export ASAN_OPTIONS="${ASAN_OPTIONS-malloc_context_size=0:quarantine_size_mb=64:detect_stack_use_after_return=0}"

cd "$here"
nice -n 19 cargo +nightly fuzz build -s "$sanitizer" "$target"
nice -n 19 cargo +nightly fuzz run -s "$sanitizer" "$target" "$corpus" -- \
  -runs="$runs" "${caps[@]}" -print_final_stats=1 \
  -artifact_prefix="$here/artifacts/$target/" "$@" 2>&1 | tee "$here/logs/$target.log"
