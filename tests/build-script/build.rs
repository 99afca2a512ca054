//! Generates the client for the one IoT operation this crate calls, from the project's model.
//! Cargo reruns this script when the model changes.

use std::process::ExitCode;

fn main() -> ExitCode {
    let generated =
        codegen::build::Builder::new().model("../../model/iot.json").operation("CreateCustomMetric").generate();
    match generated {
        Ok(_) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("{err}");
            ExitCode::FAILURE
        }
    }
}
