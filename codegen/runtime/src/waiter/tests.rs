//! The waiter loop under paused time, its delays, and the values paths compute.

use super::*;
use crate::error::call::ServiceError;
use crate::error::{ErrorMetadata, Unhandled};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

/// A service error with `code`.
fn service_error(code: &str) -> SdkError<Unhandled> {
    let meta = ErrorMetadata { code: Some(code.to_owned()), status: Some(400), ..ErrorMetadata::default() };
    SdkError::Service(ServiceError::new(Unhandled { meta: meta.clone() }, meta))
}

/// Success on `ACTIVE`, failure on `FAILED`, retry on `NotFound`; outputs are statuses.
fn classify(_input: &(), result: &Result<&'static str, SdkError<Unhandled>>) -> Option<AcceptorState> {
    if let Ok(status) = result {
        let value = Value::from(*status);
        if PathComparator::StringEquals.matches(&value, "ACTIVE") {
            return Some(AcceptorState::Success);
        }
        if PathComparator::StringEquals.matches(&value, "FAILED") {
            return Some(AcceptorState::Failure);
        }
    }
    (error_code(result) == Some("NotFound")).then_some(AcceptorState::Retry)
}

const DELAYS: Delays = Delays { min: Duration::from_secs(2), max: Duration::from_secs(120) };

/// Runs the waiter over `answers` (the last repeats); gives the outcome and the calls made.
async fn run(
    answers: Vec<Result<&'static str, &'static str>>,
    max_wait: Duration,
) -> (Result<FinalPoll<&'static str, Unhandled>, WaiterError<&'static str, Unhandled>>, u32) {
    let calls = Arc::new(AtomicU32::new(0));
    let counter = calls.clone();
    let outcome = wait(
        "ResourceActive",
        DELAYS,
        max_wait,
        (),
        move |()| {
            let n = counter.fetch_add(1, Ordering::SeqCst) as usize;
            let answer = answers[n.min(answers.len() - 1)];
            async move { answer.map_err(service_error) }
        },
        classify,
    )
    .await;
    (outcome, calls.load(Ordering::SeqCst))
}

#[tokio::test(start_paused = true)]
async fn acceptors_decide_in_order_and_unmatched_outputs_retry() {
    let started = tokio::time::Instant::now();
    let (outcome, calls) = run(vec![Err("NotFound"), Ok("CREATING"), Ok("ACTIVE")], Duration::from_secs(600)).await;
    assert!(matches!(outcome, Ok(FinalPoll::Output("ACTIVE"))), "{outcome:?}");
    assert_eq!(calls, 3);
    // Two delays, each between 2 s and 2^(attempt-1) * 2 s.
    let waited = started.elapsed();
    assert!(waited >= Duration::from_secs(4) && waited <= Duration::from_secs(6), "{waited:?}");

    let (outcome, calls) = run(vec![Ok("CREATING"), Ok("FAILED")], Duration::from_secs(600)).await;
    assert!(matches!(outcome, Err(WaiterError::Failure { last: FinalPoll::Output("FAILED"), .. })), "{outcome:?}");
    assert_eq!(calls, 2);

    let (outcome, calls) = run(vec![Err("AccessDenied")], Duration::from_secs(600)).await;
    let Err(err @ WaiterError::Unexpected { .. }) = outcome else { panic!("{outcome:?}") };
    assert_eq!(calls, 1);
    assert!(err.to_string().starts_with("waiter ResourceActive failed on an unexpected error"), "{err}");
}

#[tokio::test(start_paused = true)]
async fn the_maximum_wait_bounds_the_calls() {
    let started = tokio::time::Instant::now();
    let (outcome, calls) = run(vec![Ok("CREATING")], Duration::from_secs(60)).await;
    let Err(err @ WaiterError::TimedOut { .. }) = outcome else { panic!("{outcome:?}") };
    assert!(started.elapsed() <= Duration::from_secs(60), "{:?}", started.elapsed());
    assert!((3..=30).contains(&calls), "{calls}");
    assert_eq!(err.to_string(), format!("waiter ResourceActive timed out after 60s ({calls} calls)"));

    let (outcome, calls) = run(vec![Ok("ACTIVE")], Duration::from_secs(1)).await;
    assert!(matches!(outcome, Err(WaiterError::InvalidMaxWait { .. })), "{outcome:?}");
    assert_eq!(calls, 0);
}

#[test]
fn delays_grow_exponentially_to_the_maximum_and_leave_the_minimum_at_the_end() {
    let hour = Duration::from_secs(3600);
    // With the top of the jitter range: 2, 4, 8, 16, 32, 64, then capped at 120.
    let upper: Vec<u64> =
        (1..=8).map(|n| DELAYS.before_next(n, hour, 0.999_999).expect("time left").as_secs()).collect();
    assert_eq!(upper, [2, 3, 7, 15, 31, 63, 119, 119]);
    // The bottom of the range is the minimum.
    assert_eq!(DELAYS.before_next(5, hour, 0.0), Some(Duration::from_secs(2)));
    // Near the end the delay leaves exactly the minimum for the last call.
    assert_eq!(DELAYS.before_next(8, Duration::from_secs(10), 0.999), Some(Duration::from_secs(8)));
    assert_eq!(DELAYS.before_next(8, Duration::from_secs(2), 0.5), None);
}

#[test]
fn path_values_follow_jmespath() {
    let list = |items: &[&'static str]| Value::List(items.iter().map(|s| Value::from(*s)).collect());
    assert!(PathComparator::AllStringEquals.matches(&list(&["a", "a"]), "a"));
    assert!(!PathComparator::AllStringEquals.matches(&list(&[]), "a"), "an empty list matches nothing");
    assert!(PathComparator::AnyStringEquals.matches(&list(&["b", "a"]), "a"));
    assert!(!PathComparator::StringEquals.matches(&Value::Null, "a"));
    assert!(PathComparator::BooleanEquals.matches(&Value::Bool(false), "false"));
    assert!(!PathComparator::BooleanEquals.matches(&Value::from("false"), "false"));

    assert_eq!(Value::compare(Comparator::Eq, Value::Number(1.0), Value::Number(1.0)), Value::Bool(true));
    assert_eq!(Value::compare(Comparator::Lt, Value::from("a"), Value::from("b")), Value::Null);
    assert_eq!(Value::compare(Comparator::Ge, Value::Number(2.0), Value::Number(1.0)), Value::Bool(true));
    assert_eq!(Value::and(Value::from(""), || Value::Bool(true)), Value::from(""));
    assert_eq!(Value::or(Value::Null, || Value::Number(0.0)), Value::Number(0.0));
    assert_eq!(!Value::List(vec![]), Value::Bool(true));
    assert_eq!(Value::length(list(&["a", "b"])), Value::Number(2.0));
    assert_eq!(Value::length(Value::from("héllo")), Value::Number(5.0));
    assert_eq!(Value::contains(list(&["a"]), Value::from("a")), Value::Bool(true));
    assert_eq!(Value::index(list(&["a", "b"]), -1), Value::from("b"));
    assert_eq!(Value::index(list(&["a"]), 3), Value::Null);
    let nested = vec![list(&["a"]), Value::Null, list(&["b", "c"])];
    assert_eq!(Value::projected(nested.clone(), true), list(&["a", "b", "c"]));
    assert_eq!(Value::projected(nested, false), Value::List(vec![list(&["a"]), list(&["b", "c"])]));
}
