//! The generator's front half on one JSON AST model file: load (JSON AST, prelude, `apply`,
//! mixins), lower, plan and check. Any input is a possible model file; the generator must answer
//! with warnings or located diagnostics, never a panic. Emission is left out: it costs a hundred
//! times the rest, and the sweep and fixture tests cover it on every valid model.
//!
//! Seeds: the repository's `model/` and `tests/fixtures/` and the smallest AWS models.
//! Caps: `-rss_limit_mb=512 -timeout=10 -max_len=16384` (run.sh), and no single allocation
//! above 256 MiB ([`CappedAllocator`]: the target is built without a sanitizer, where
//! `-malloc_limit_mb` has no effect).
#![no_main]

use std::sync::OnceLock;

use aws_lite_fuzz::allocation_cap::CappedAllocator;
use codegen::CrateOptions;
use libfuzzer_sys::fuzz_target;

#[global_allocator]
static ALLOCATOR: CappedAllocator = CappedAllocator;

fn options() -> &'static CrateOptions {
    static OPTIONS: OnceLock<CrateOptions> = OnceLock::new();
    OPTIONS.get_or_init(|| CrateOptions::new("fuzzed", vec!["fuzz.json".to_owned()]))
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match codegen::check_texts(&[("fuzz.json", text)], options()) {
        Ok(warnings) => std::hint::black_box(warnings.len()),
        Err(diagnostics) => std::hint::black_box(diagnostics.to_string().len()),
    };
});
