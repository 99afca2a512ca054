//! The files of a generated crate, assembled from items and protocol code: the manifest and
//! root module (`crate_files`), each service's `types` modules (`types`), operation modules
//! (`operation`) with their paginators (`paginator`), clients (`client`), waiters (`waiters`),
//! the command-line tables (`cli`) and the protocol compliance tests (`protocol_tests`, with
//! the event-stream cases in `event_stream_tests`, both built from `case_values`).

pub(crate) mod case_values;
pub(crate) mod cli;
pub(crate) mod client;
pub(crate) mod crate_files;
pub(crate) mod event_stream_tests;
pub(crate) mod operation;
pub(crate) mod paginator;
pub(crate) mod protocol_tests;
pub(crate) mod types;
pub(crate) mod waiters;

use crate::emit::context::{Ctx, Files};
use crate::emit::options::{CrateOptions, Layout};

/// Every file of the crate.
pub(crate) fn emit(contexts: &[Ctx<'_>], options: &CrateOptions) -> Result<Files, String> {
    let mut files = Files::new();
    crate_files::emit(contexts, options, &mut files)?;
    if options.layout == Layout::Crate {
        cli::emit_cli(contexts, options, &mut files)?;
    }
    for ctx in contexts {
        types::emit_service(ctx, &mut files)?;
        operation::emit_operations(ctx, &mut files)?;
        types::emit_patterns(ctx, &mut files)?;
        client::emit_client(ctx, &mut files)?;
        waiters::emit(ctx, &mut files)?;
        protocol_tests::emit(ctx, &mut files)?;
    }
    Ok(files)
}
