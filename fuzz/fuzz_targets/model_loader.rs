//! The generator on one model file: load (JSON AST, prelude, `apply`, mixins), lower, plan,
//! check and, when the model passes, emission of the whole crate. Any input is a possible model
//! file; the generator must answer with diagnostics, never a panic, and what it emits must
//! parse (`GenerateError::Internal` is a generator bug, so it fails the target).
//!
//! Seeds: the repository's `model/` and `tests/fixtures/` and the smallest AWS models.
//! Caps (run.sh): `-rss_limit_mb=512 -malloc_limit_mb=512 -timeout=30 -max_len=16384`.
#![no_main]

use std::sync::OnceLock;

use codegen::{CrateOptions, GenerateError};
use libfuzzer_sys::fuzz_target;

fn options() -> &'static CrateOptions {
    static OPTIONS: OnceLock<CrateOptions> = OnceLock::new();
    OPTIONS.get_or_init(|| CrateOptions::new("fuzzed", vec!["fuzz.json".to_owned()]))
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match codegen::generate_from_texts(&[("fuzz.json", text)], options()) {
        Ok(generated) => {
            std::hint::black_box((generated.files.len(), generated.warnings.len()));
        }
        Err(GenerateError::Model(diagnostics)) => {
            std::hint::black_box(diagnostics.to_string());
        }
        Err(GenerateError::Internal(message)) => panic!("the generator emitted code that does not parse: {message}"),
    }
});
