//! The shared config and credentials files: syntax (`profile::parse`), what sections mean
//! (`profile::normalize`), merging the two files, and what a configuration reads from every
//! profile (endpoint URLs of the profile and its `services` section, its SSO session).
//!
//! Input: the config file's text, then a NUL byte, then the credentials file's text (no NUL:
//! the same text is both). Seeds: the shared-file examples of run.sh. Caps (run.sh):
//! `-rss_limit_mb=512 -malloc_limit_mb=256 -timeout=5 -max_len=8192`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let (config, credentials) = text.split_once('\0').unwrap_or((text, text));
    aws_lite_runtime::fuzzing::shared_files(config, credentials);
});
