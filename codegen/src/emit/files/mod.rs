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

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use crate::emit::context::{Ctx, Files};
use crate::emit::options::{CrateOptions, Layout};

/// Operations per emission task: enough to outweigh a task's overhead, few enough that the
/// threads finish together.
const OPERATIONS_PER_TASK: usize = 8;

/// Emits some of the crate's files into the map it is given.
type Task<'a> = Box<dyn Fn(&mut Files) -> Result<(), String> + Send + Sync + 'a>;

/// Every file of the crate. Files are independent, so they are emitted by as many threads as
/// the machine has cores (rendering through `syn` and prettyplease is most of generation).
pub(crate) fn emit(contexts: &[Ctx<'_>], options: &CrateOptions) -> Result<Files, String> {
    let mut tasks: Vec<Task<'_>> = Vec::new();
    // The largest files first, so that no thread starts one last.
    for ctx in contexts {
        tasks.push(Box::new(move |files| types::emit_service(ctx, files)));
    }
    if options.layout == Layout::Crate {
        tasks.push(Box::new(move |files| cli::emit_cli(contexts, options, files)));
    }
    for ctx in contexts {
        for chunk in ctx.plan.operations.chunks(OPERATIONS_PER_TASK) {
            tasks.push(Box::new(move |files| operation::emit_operation_files(ctx, chunk, files)));
        }
        tasks.push(Box::new(move |files| {
            operation::emit_operation_index(ctx, files)?;
            types::emit_patterns(ctx, files)?;
            client::emit_client(ctx, files)?;
            waiters::emit(ctx, files)?;
            protocol_tests::emit(ctx, files)
        }));
    }
    tasks.push(Box::new(move |files| crate_files::emit(contexts, options, files)));
    run(&tasks)
}

/// Runs `tasks` on up to one thread per core and merges their files. Output does not depend
/// on the threads: files are keyed by path, and the error reported is the first task's.
fn run(tasks: &[Task<'_>]) -> Result<Files, String> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(tasks.len());
    if threads <= 1 {
        let mut files = Files::new();
        for task in tasks {
            task(&mut files)?;
        }
        return Ok(files);
    }
    let next = AtomicUsize::new(0);
    let outcomes: Mutex<Vec<(usize, Result<Files, String>)>> = Mutex::new(Vec::with_capacity(tasks.len()));
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| loop {
                let index = next.fetch_add(1, Ordering::Relaxed);
                let Some(task) = tasks.get(index) else { break };
                let mut files = Files::new();
                let outcome = task(&mut files).map(|()| files);
                outcomes.lock().unwrap_or_else(|e| e.into_inner()).push((index, outcome));
            });
        }
    });
    let mut outcomes = outcomes.into_inner().unwrap_or_else(|e| e.into_inner());
    outcomes.sort_by_key(|(index, _)| *index);
    let mut files = Files::new();
    for (_, outcome) in outcomes {
        files.append(&mut outcome?);
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn writes(path: &'static str) -> Task<'static> {
        Box::new(move |files| {
            files.insert(path.to_owned(), path.repeat(3));
            Ok(())
        })
    }

    fn fails(why: &'static str) -> Task<'static> {
        Box::new(move |_| Err(why.to_owned()))
    }

    #[test]
    fn tasks_merge_their_files_whatever_thread_ran_them() {
        let tasks: Vec<Task<'_>> =
            (0..40).map(|i| writes(Box::leak(format!("src/f{i}.rs").into_boxed_str()))).collect();
        let files = run(&tasks).expect("no task fails");
        assert_eq!(files.len(), 40);
        assert_eq!(files["src/f7.rs"], "src/f7.rssrc/f7.rssrc/f7.rs");
        assert_eq!(run(&tasks).expect("again"), files);
    }

    #[test]
    fn the_first_failing_task_is_reported() {
        for _ in 0..20 {
            let tasks = vec![writes("a"), fails("second"), writes("b"), fails("fourth")];
            assert_eq!(run(&tasks), Err("second".to_owned()));
        }
        assert_eq!(run(&[]), Ok(Files::new()));
    }
}
