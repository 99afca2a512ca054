//! A crate whose AWS client is generated at build time: `build.rs` runs the generator over
//! `model/iot.json`, keeping only `CreateCustomMetric`, and the result is included here, at the
//! crate root (generated paths start at `crate::`). The crate depends on `aws-lite-runtime`
//! alone; `iot::client::Client` is used like the one of a generated crate.
#![warn(missing_docs)]

include!(concat!(env!("OUT_DIR"), "/aws-lite/src/lib.rs"));
