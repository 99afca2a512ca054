//! Waiters (`smithy.waiters#waitable`): call an operation until its acceptors say the resource
//! reached the wanted state, failed, or the caller's maximum wait ran out, with the delays of
//! the Smithy specification (exponential from `minDelay` to `maxDelay`, with jitter).
//!
//! Generated code compiles each acceptor's JMESPath path into Rust over the typed output that
//! yields a [`Value`]; this module holds what those paths and the comparators need, and the
//! polling loop.

use std::borrow::Cow;
use std::fmt;
use std::future::Future;
use std::time::Duration;

use crate::error::call::SdkError;

/// A JSON-like value that a waiter path gives, borrowing strings from the output.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    /// Absent, or a path through something absent.
    Null,
    /// A boolean.
    Bool(bool),
    /// A number.
    Number(f64),
    /// A string (or enum value).
    String(Cow<'a, str>),
    /// A list.
    List(Vec<Value<'a>>),
    /// A structure, map or union, by whether it has any member set (all a path can observe
    /// of one without naming a member).
    Object(bool),
}

impl<'a> From<&'a str> for Value<'a> {
    fn from(text: &'a str) -> Self {
        Value::String(Cow::Borrowed(text))
    }
}

impl From<bool> for Value<'_> {
    fn from(value: bool) -> Self {
        Value::Bool(value)
    }
}

impl From<f64> for Value<'_> {
    fn from(value: f64) -> Self {
        Value::Number(value)
    }
}

/// `!a`: whether `a` is falsy.
impl<'a> std::ops::Not for Value<'a> {
    type Output = Value<'a>;

    fn not(self) -> Value<'a> {
        Value::Bool(!self.is_truthy())
    }
}

/// A JMESPath comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparator {
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

impl<'a> Value<'a> {
    /// JMESPath truthiness: null, `false`, empty strings, lists and objects are false.
    pub fn is_truthy(&self) -> bool {
        match self {
            Value::Null => false,
            Value::Bool(value) => *value,
            Value::Number(_) => true,
            Value::String(text) => !text.is_empty(),
            Value::List(items) => !items.is_empty(),
            Value::Object(non_empty) => *non_empty,
        }
    }

    /// `a OP b`: equality on any values; ordering on numbers only, else null.
    pub fn compare(op: Comparator, a: Value<'a>, b: Value<'a>) -> Value<'a> {
        let ordering = match (&a, &b) {
            (Value::Number(x), Value::Number(y)) => x.partial_cmp(y),
            _ => None,
        };
        match op {
            Comparator::Eq => Value::Bool(a == b),
            Comparator::Ne => Value::Bool(a != b),
            _ => match ordering {
                None => Value::Null,
                Some(ordering) => Value::Bool(match op {
                    Comparator::Lt => ordering.is_lt(),
                    Comparator::Le => ordering.is_le(),
                    Comparator::Gt => ordering.is_gt(),
                    _ => ordering.is_ge(),
                }),
            },
        }
    }

    /// `a && b`: `a` when it is falsy, else `b`.
    pub fn and(a: Value<'a>, b: impl FnOnce() -> Value<'a>) -> Value<'a> {
        if a.is_truthy() {
            b()
        } else {
            a
        }
    }

    /// `a || b`: `a` when it is truthy, else `b`.
    pub fn or(a: Value<'a>, b: impl FnOnce() -> Value<'a>) -> Value<'a> {
        if a.is_truthy() {
            a
        } else {
            b()
        }
    }

    /// `length(a)`: characters of a string, items of a list; null otherwise.
    pub fn length(a: Value<'a>) -> Value<'a> {
        match a {
            Value::String(text) => Value::Number(text.chars().count() as f64),
            Value::List(items) => Value::Number(items.len() as f64),
            _ => Value::Null,
        }
    }

    /// `contains(subject, search)`: a list holding `search`, or a string containing it.
    pub fn contains(subject: Value<'a>, search: Value<'a>) -> Value<'a> {
        match (subject, search) {
            (Value::List(items), search) => Value::Bool(items.contains(&search)),
            (Value::String(text), Value::String(search)) => Value::Bool(text.contains(search.as_ref())),
            _ => Value::Null,
        }
    }

    /// `a[index]` (negative counts from the end).
    pub fn index(a: Value<'a>, index: i64) -> Value<'a> {
        let Value::List(mut items) = a else { return Value::Null };
        let len = items.len() as i64;
        let at = if index < 0 { len + index } else { index };
        if at < 0 || at >= len {
            return Value::Null;
        }
        items.swap_remove(at as usize)
    }

    /// The elements of a projection's results: nulls dropped, nested lists flattened one
    /// level when `flatten`.
    pub fn projected(items: impl IntoIterator<Item = Value<'a>>, flatten: bool) -> Value<'a> {
        let mut out = Vec::new();
        for item in items {
            match item {
                Value::Null => {}
                Value::List(inner) if flatten => out.extend(inner.into_iter().filter(|v| *v != Value::Null)),
                other => out.push(other),
            }
        }
        Value::List(out)
    }
}

/// How an acceptor compares a path's value with its `expected` text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathComparator {
    /// The value is a string equal to `expected`.
    StringEquals,
    /// The value is a boolean equal to `expected` (`true` or `false`).
    BooleanEquals,
    /// The value is a non-empty list of strings, all equal to `expected`.
    AllStringEquals,
    /// The value is a list with a string equal to `expected`.
    AnyStringEquals,
}

impl PathComparator {
    /// Whether `value` matches `expected`.
    pub fn matches(self, value: &Value<'_>, expected: &str) -> bool {
        let is_expected = |v: &Value<'_>| matches!(v, Value::String(text) if text == expected);
        match (self, value) {
            (PathComparator::StringEquals, value) => is_expected(value),
            (PathComparator::BooleanEquals, Value::Bool(value)) => expected.parse::<bool>().is_ok_and(|e| e == *value),
            (PathComparator::AllStringEquals, Value::List(items)) => !items.is_empty() && items.iter().all(is_expected),
            (PathComparator::AnyStringEquals, Value::List(items)) => items.iter().any(is_expected),
            _ => false,
        }
    }
}

/// What an acceptor that matched says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AcceptorState {
    /// The wait is over: the resource is in the wanted state.
    Success,
    /// The wait is over: the resource can no longer reach the wanted state.
    Failure,
    /// Call again.
    Retry,
}

/// `items[index]`, negative indexes counting from the end (a path's `[index]`).
pub fn nth<T>(items: &[T], index: i64) -> Option<&T> {
    let at = if index < 0 { items.len().checked_sub(index.unsigned_abs() as usize)? } else { index as usize };
    items.get(at)
}

/// The error code of a call's service error (the shape name), for `errorType` acceptors.
pub fn error_code<O, E>(result: &Result<O, SdkError<E>>) -> Option<&str> {
    match result {
        Err(SdkError::Service(err)) => err.meta().code(),
        _ => None,
    }
}

/// The last answer of a waiter that succeeded: an output, or the error an `errorType`
/// acceptor took for success (for example "not found" when waiting for a deletion).
#[derive(Debug)]
pub enum FinalPoll<O, E> {
    /// The operation's output.
    Output(O),
    /// The operation's error.
    Error(SdkError<E>),
}

impl<O, E> From<Result<O, SdkError<E>>> for FinalPoll<O, E> {
    fn from(result: Result<O, SdkError<E>>) -> Self {
        match result {
            Ok(output) => FinalPoll::Output(output),
            Err(error) => FinalPoll::Error(error),
        }
    }
}

/// Why a waiter stopped without success.
#[derive(Debug)]
pub enum WaiterError<O, E> {
    /// A `failure` acceptor matched the last answer.
    Failure {
        /// The waiter's name.
        waiter: &'static str,
        /// The answer it matched.
        last: FinalPoll<O, E>,
    },
    /// The call failed with an error no acceptor expects.
    Unexpected {
        /// The waiter's name.
        waiter: &'static str,
        /// The error.
        error: SdkError<E>,
    },
    /// The maximum wait ran out before an acceptor said success or failure.
    TimedOut {
        /// The waiter's name.
        waiter: &'static str,
        /// How many calls were made.
        attempts: u32,
        /// The maximum wait given.
        max_wait: Duration,
    },
    /// The maximum wait given is shorter than the waiter's minimum delay.
    InvalidMaxWait {
        /// The waiter's name.
        waiter: &'static str,
        /// The maximum wait given.
        max_wait: Duration,
        /// The waiter's minimum delay.
        min_delay: Duration,
    },
}

impl<O, E: fmt::Display> fmt::Display for WaiterError<O, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WaiterError::Failure { waiter, last: FinalPoll::Output(_) } => {
                write!(f, "waiter {waiter} failed: the resource reached a state it cannot leave")
            }
            WaiterError::Failure { waiter, last: FinalPoll::Error(error) } => {
                write!(f, "waiter {waiter} failed on the error: {error}")
            }
            WaiterError::Unexpected { waiter, error } => {
                write!(f, "waiter {waiter} failed on an unexpected error: {error}")
            }
            WaiterError::TimedOut { waiter, attempts, max_wait } => {
                write!(f, "waiter {waiter} timed out after {max_wait:?} ({attempts} calls)")
            }
            WaiterError::InvalidMaxWait { waiter, max_wait, min_delay } => {
                write!(
                    f,
                    "waiter {waiter}: the maximum wait {max_wait:?} is shorter than its minimum delay {min_delay:?}"
                )
            }
        }
    }
}

impl<O: fmt::Debug, E: std::error::Error + 'static> std::error::Error for WaiterError<O, E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            WaiterError::Failure { last: FinalPoll::Error(error), .. } | WaiterError::Unexpected { error, .. } => {
                Some(error)
            }
            _ => None,
        }
    }
}

/// A waiter's delays between calls, from the model (`minDelay`, `maxDelay`, in seconds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Delays {
    /// The least delay (default 2 s).
    pub min: Duration,
    /// The most delay (default 120 s).
    pub max: Duration,
}

impl Delays {
    /// The delay before call `attempt + 1` (`attempt` counts from 1), with `remaining` time
    /// left and `random` in [0, 1): the Smithy waiter formula. `None` when too little time is
    /// left for another call.
    pub fn before_next(&self, attempt: u32, remaining: Duration, random: f64) -> Option<Duration> {
        if remaining <= self.min {
            return None;
        }
        let (min, max) = (self.min.as_secs_f64(), self.max.as_secs_f64().max(self.min.as_secs_f64()));
        let ceiling = if min > 0.0 { (max / min).log2() + 1.0 } else { f64::INFINITY };
        let upper = if f64::from(attempt) > ceiling { max } else { (min * 2f64.powi(attempt as i32 - 1)).min(max) };
        let mut delay = min + (upper - min) * random.clamp(0.0, 1.0);
        let remaining = remaining.as_secs_f64();
        if remaining - delay <= min {
            delay = remaining - min;
        }
        Some(Duration::from_secs_f64(delay.max(0.0)))
    }
}

/// Calls `call(input)` until `classify` says success or failure, an error no acceptor expects
/// comes back, or `max_wait` runs out.
pub async fn wait<I, O, E, F, Fut>(
    waiter: &'static str,
    delays: Delays,
    max_wait: Duration,
    input: I,
    mut call: F,
    classify: fn(&I, &Result<O, SdkError<E>>) -> Option<AcceptorState>,
) -> Result<FinalPoll<O, E>, WaiterError<O, E>>
where
    I: Clone,
    F: FnMut(I) -> Fut,
    Fut: Future<Output = Result<O, SdkError<E>>>,
{
    if max_wait < delays.min {
        return Err(WaiterError::InvalidMaxWait { waiter, max_wait, min_delay: delays.min });
    }
    let started = tokio::time::Instant::now();
    let mut attempts = 0;
    loop {
        attempts += 1;
        let result = call(input.clone()).await;
        let state = classify(&input, &result);
        tracing::debug!(waiter, attempt = attempts, state = ?state, "waiter call finished");
        match (state, result) {
            (Some(AcceptorState::Success), result) => return Ok(FinalPoll::from(result)),
            (Some(AcceptorState::Failure), result) => {
                return Err(WaiterError::Failure { waiter, last: FinalPoll::from(result) })
            }
            (None, Err(error)) => return Err(WaiterError::Unexpected { waiter, error }),
            (Some(AcceptorState::Retry), _) | (None, Ok(_)) => {}
        }
        let remaining = max_wait.saturating_sub(started.elapsed());
        let Some(delay) = delays.before_next(attempts, remaining, fastrand::f64()) else {
            return Err(WaiterError::TimedOut { waiter, attempts, max_wait });
        };
        tokio::time::sleep(delay).await;
    }
}

#[cfg(test)]
mod tests;
