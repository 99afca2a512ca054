//! The generator's front half on one Smithy IDL file: lexing, parsing, resolution of relative
//! shape IDs, translation to the JSON AST, then load, lower, plan and check as for JSON models.
//! Any input is a possible `.smithy` file; the answer is warnings or `file:line:column`
//! diagnostics, never a panic.
//!
//! Seeds: Smithy's IDL loader cases (`../shared/idl-tests/`, valid and invalid) and the
//! repository's `.smithy` fixtures.
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
    OPTIONS.get_or_init(|| CrateOptions::new("fuzzed", vec!["fuzz.smithy".to_owned()]))
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match codegen::check_texts(&[("fuzz.smithy", text)], options()) {
        Ok(warnings) => std::hint::black_box(warnings.len()),
        Err(diagnostics) => std::hint::black_box(diagnostics.to_string().len()),
    };
});
