//! The input of the generated `aws-lite` command line: `--cli-input-json` bytes (as read from a
//! `file://` file: UTF-8, UTF-8 with a byte order mark, UTF-16 with one) decoded, checked
//! against the binary's own input tables (unknown members, required members, nulls) and
//! deserialized into the library's input type, then the input checks (`validate` and the
//! required members); every failure message is rendered.
//!
//! The tables are those of `generated/src/bin/aws-lite.rs`, included by build.rs.
//!
//! Input: byte 0 picks the operation; the rest is the input file. Seeds: the example inputs
//! of run.sh. Caps (run.sh): `-rss_limit_mb=512 -malloc_limit_mb=256 -timeout=5
//! -max_len=8192`.
#![no_main]

use aws_lite::iot::operation::create_custom_metric::CreateCustomMetricInput;
use aws_lite::personalize::operation::create_metric_attribution::CreateMetricAttributionInput;
use aws_lite::personalize::operation::describe_metric_attribution::DescribeMetricAttributionInput;
use aws_lite_runtime::cli::{Failure, Operation};
use aws_lite_runtime::fuzzing::cli_input;
use libfuzzer_sys::fuzz_target;

#[allow(dead_code, unused_imports, unreachable_pub)]
mod tables {
    include!(concat!(env!("OUT_DIR"), "/cli_tables.rs"));
}

fn keep<I: std::fmt::Debug>(result: Result<I, Failure>) {
    match result {
        Ok(input) => std::hint::black_box(format!("{input:?}")),
        Err(failure) => std::hint::black_box(format!("{failure:?} {}", failure.message())),
    };
}

fn operations() -> impl Iterator<Item = &'static Operation> {
    tables::SERVICES.iter().flat_map(|service| service.operations)
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, bytes)) = data.split_first() else { return };
    let count = operations().count();
    let Some(operation) = operations().nth(usize::from(selector) % count) else { return };
    match operation.model_name {
        "CreateCustomMetric" => keep(cli_input(bytes, operation, CreateCustomMetricInput::validate)),
        "CreateMetricAttribution" => keep(cli_input(bytes, operation, CreateMetricAttributionInput::validate)),
        "DescribeMetricAttribution" => keep(cli_input(bytes, operation, DescribeMetricAttributionInput::validate)),
        other => panic!("no input type for the table's operation {other}"),
    }
});
