//! Paginators: the pages of a `@paginated` operation as a stream, and the items of those pages.
//!
//! A generated paginator hands [`paginate`] the built input, how to send it, and a [`Paging`]:
//! plain functions that read the token the input sends, write the next one into it, and read
//! the token an output returns. Everything else (when to stop, errors, the items view) is here,
//! so each operation's generated code stays a few lines.
//!
//! Pages come as a [`PaginationStream`], which implements `futures_core::Stream` (already in
//! every build through hyper, so it costs no compile time), and has an inherent
//! [`next`](PaginationStream::next) so that callers need no stream utilities for a `while let`
//! loop.
//!
//! The stream stops, as the AWS SDK for Rust's paginators do:
//! - after a page without a next token, or with an empty one (`""`, or an empty map);
//! - after a page whose next token is the token it was sent, unless
//!   `stop_on_duplicate_token(false)` was set: a service that repeats its token would
//!   otherwise be asked for the same page forever. The page is yielded, no error is (the AWS
//!   SDK for Rust and the Go SDK's `StopOnDuplicateToken` do the same; boto3 raises instead);
//! - after an error, which is yielded as the last item.

use futures_core::Stream;
use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// A page token: the string (or, in a few models, the map of key attributes) that asks a
/// service for the next page.
pub trait PageToken: Clone + PartialEq + Send + 'static {
    /// Whether the token says there are no more pages (an empty string or map).
    fn is_empty_token(&self) -> bool;
}

impl PageToken for String {
    fn is_empty_token(&self) -> bool {
        self.is_empty()
    }
}

impl<K, V> PageToken for HashMap<K, V>
where
    K: Clone + Eq + std::hash::Hash + Send + 'static,
    V: Clone + PartialEq + Send + 'static,
{
    fn is_empty_token(&self) -> bool {
        self.is_empty()
    }
}

/// How a paginator reads and writes the tokens of operation input `I` and output `O`.
pub struct Paging<I, O, T> {
    /// The token the input sends (the one set by the caller for the first page).
    pub input_token: fn(&I) -> Option<&T>,
    /// Writes the token of the next page into the input.
    pub set_input_token: fn(&mut I, T),
    /// The token the output returns, if any.
    pub output_token: fn(&O) -> Option<&T>,
}

impl<I, O, T> Clone for Paging<I, O, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<I, O, T> Copy for Paging<I, O, T> {}

impl<I, O, T> fmt::Debug for Paging<I, O, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Paging").finish_non_exhaustive()
    }
}

/// The stream of a paginated call: its pages (or items), each one or the error that ended the
/// stream. Generated paginators return it.
pub type CallStream<T, E> = PaginationStream<Result<T, crate::error::call::SdkError<E>>>;

/// A stream of pages, or of the items of pages: `Result`s, the last of them the error that
/// ended it, if one did.
///
/// Implements `futures_core::Stream`; [`next`](Self::next) and
/// [`try_collect`](Self::try_collect) need no stream utilities. Nothing is sent until the
/// stream is polled.
#[must_use = "a pagination stream sends nothing until it is polled"]
pub struct PaginationStream<T> {
    inner: Pin<Box<dyn Stream<Item = T> + Send>>,
}

impl<T> PaginationStream<T> {
    fn new(stream: impl Stream<Item = T> + Send + 'static) -> Self {
        Self { inner: Box::pin(stream) }
    }

    /// The next page (or item); `None` once the stream has ended.
    pub async fn next(&mut self) -> Option<T> {
        std::future::poll_fn(|cx| self.inner.as_mut().poll_next(cx)).await
    }
}

impl<T, E> PaginationStream<Result<T, E>>
where
    T: Send + 'static,
    E: Send + 'static,
{
    /// A stream whose only item is `err`: a paginator whose input could not be built.
    pub fn failed(err: E) -> Self {
        Self::new(Once { item: Some(Err(err)) })
    }

    /// Every page (or item) until the end, or the first error.
    ///
    /// # Errors
    /// The error that ended the stream.
    pub async fn try_collect(mut self) -> Result<Vec<T>, E> {
        let mut all = Vec::new();
        while let Some(next) = self.next().await {
            all.push(next?);
        }
        Ok(all)
    }

    /// The items of each page, in order, as `items` takes them out of the page; an error is
    /// passed through and ends the stream.
    pub fn flat_map_items<U>(self, items: fn(T) -> Vec<U>) -> PaginationStream<Result<U, E>>
    where
        U: Send + 'static,
    {
        PaginationStream::new(Items { pages: Some(self), items, buffer: Vec::new().into_iter() })
    }
}

impl<T> Stream for PaginationStream<T> {
    type Item = T;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<T>> {
        self.inner.as_mut().poll_next(cx)
    }
}

impl<T> fmt::Debug for PaginationStream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PaginationStream").finish_non_exhaustive()
    }
}

/// The future of one page.
type PageFuture<O, E> = Pin<Box<dyn Future<Output = Result<O, E>> + Send>>;

/// The pages of a paginated operation: `input` is sent with `send`, then again with each next
/// token that `paging` finds in the output, until one of the stops described in the
/// [module documentation](self).
pub fn paginate<I, O, E, T, F, Fut>(
    input: I,
    paging: Paging<I, O, T>,
    stop_on_duplicate_token: bool,
    send: F,
) -> PaginationStream<Result<O, E>>
where
    I: Clone + Send + 'static,
    O: Send + 'static,
    E: Send + 'static,
    T: PageToken,
    F: Fn(I) -> Fut + Send + 'static,
    Fut: Future<Output = Result<O, E>> + Send + 'static,
{
    PaginationStream::new(Pages { input: Some(input), paging, stop_on_duplicate_token, send, in_flight: None })
}

/// The state of [`paginate`]'s stream.
struct Pages<I, O, E, T, F> {
    /// The input of the next page; `None` once the stream has ended.
    input: Option<I>,
    paging: Paging<I, O, T>,
    stop_on_duplicate_token: bool,
    send: F,
    /// The page being fetched, and the token it was sent with.
    in_flight: Option<(PageFuture<O, E>, Option<T>)>,
}

impl<I, O, E, T, F, Fut> Stream for Pages<I, O, E, T, F>
where
    I: Clone,
    T: PageToken,
    F: Fn(I) -> Fut,
    Fut: Future<Output = Result<O, E>> + Send + 'static,
{
    type Item = Result<O, E>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if this.in_flight.is_none() {
            let Some(input) = &this.input else { return Poll::Ready(None) };
            let sent = (this.paging.input_token)(input).cloned();
            let future: PageFuture<O, E> = Box::pin((this.send)(input.clone()));
            this.in_flight = Some((future, sent));
        }
        let Some((future, _)) = &mut this.in_flight else { return Poll::Ready(None) };
        let Poll::Ready(page) = future.as_mut().poll(cx) else { return Poll::Pending };
        let sent = this.in_flight.take().and_then(|(_, sent)| sent);
        let next = match &page {
            Ok(output) => (this.paging.output_token)(output)
                .filter(|token| !token.is_empty_token())
                .filter(|token| !(this.stop_on_duplicate_token && sent.as_ref() == Some(*token)))
                .cloned(),
            Err(_) => None,
        };
        match (next, &mut this.input) {
            (Some(token), Some(input)) => (this.paging.set_input_token)(input, token),
            _ => this.input = None,
        }
        Poll::Ready(Some(page))
    }
}

/// The state of [`PaginationStream::flat_map_items`]'s stream.
struct Items<T, E, U> {
    /// The pages; `None` once they have ended.
    pages: Option<PaginationStream<Result<T, E>>>,
    items: fn(T) -> Vec<U>,
    /// The items of the current page not yet yielded.
    buffer: std::vec::IntoIter<U>,
}

impl<T, E, U> Stream for Items<T, E, U> {
    type Item = Result<U, E>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.buffer.next() {
                return Poll::Ready(Some(Ok(item)));
            }
            let Some(pages) = &mut this.pages else { return Poll::Ready(None) };
            match pages.inner.as_mut().poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => this.pages = None,
                Poll::Ready(Some(Err(err))) => {
                    this.pages = None;
                    return Poll::Ready(Some(Err(err)));
                }
                Poll::Ready(Some(Ok(page))) => this.buffer = (this.items)(page).into_iter(),
            }
        }
    }
}

/// A stream of one item.
struct Once<T> {
    item: Option<T>,
}

// The state machines below never pin their fields (the page future is boxed), so moving them
// is always fine, whatever they hold.
impl<T> Unpin for Once<T> {}
impl<T, E, U> Unpin for Items<T, E, U> {}
impl<I, O, E, T, F> Unpin for Pages<I, O, E, T, F> {}

impl<T> Stream for Once<T> {
    type Item = T;

    fn poll_next(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<Option<T>> {
        Poll::Ready(self.get_mut().item.take())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    #[derive(Debug, Clone, Default, PartialEq)]
    struct Input {
        token: Option<String>,
    }

    #[derive(Debug, PartialEq)]
    struct Output {
        next: Option<String>,
        items: Vec<u32>,
    }

    const PAGING: Paging<Input, Output, String> = Paging {
        input_token: |input| input.token.as_ref(),
        set_input_token: |input, token| input.token = Some(token),
        output_token: |output| output.next.as_ref(),
    };

    /// The tokens a test server was sent, in order.
    type Sent = Arc<Mutex<Vec<Option<String>>>>;

    /// Answers each call with the next of `pages` (token, items), or `Err` for `None`, and
    /// records the tokens sent.
    fn server(
        pages: Vec<Option<(Option<&'static str>, Vec<u32>)>>,
    ) -> (Sent, impl Fn(Input) -> std::future::Ready<Result<Output, String>> + Send) {
        let sent = Arc::new(Mutex::new(Vec::new()));
        let log = sent.clone();
        let pages = Arc::new(Mutex::new(pages.into_iter()));
        let send = move |input: Input| {
            log.lock().expect("not poisoned").push(input.token.clone());
            let page = pages.lock().expect("not poisoned").next().expect("no more pages were expected");
            std::future::ready(match page {
                Some((next, items)) => Ok(Output { next: next.map(str::to_owned), items }),
                None => Err("boom".to_owned()),
            })
        };
        (sent, send)
    }

    fn block_on<F: Future>(future: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread().build().expect("a runtime").block_on(future)
    }

    #[test]
    fn pages_follow_the_token_until_it_is_absent() {
        let (sent, send) = server(vec![Some((Some("a"), vec![1])), Some((Some("b"), vec![2])), Some((None, vec![3]))]);
        let pages = block_on(paginate(Input::default(), PAGING, true, send).try_collect()).expect("no error");
        assert_eq!(pages.iter().map(|p| p.items[0]).collect::<Vec<_>>(), [1, 2, 3]);
        assert_eq!(*sent.lock().expect("not poisoned"), [None, Some("a".to_owned()), Some("b".to_owned())]);
    }

    #[test]
    fn an_empty_token_ends_the_pages() {
        let (sent, send) = server(vec![Some((Some("a"), vec![1])), Some((Some(""), vec![2]))]);
        let pages = block_on(paginate(Input::default(), PAGING, true, send).try_collect()).expect("no error");
        assert_eq!(pages.len(), 2);
        assert_eq!(sent.lock().expect("not poisoned").len(), 2);
    }

    #[test]
    fn a_repeated_token_ends_the_pages_unless_asked_not_to() {
        let start = Input { token: Some("a".to_owned()) };
        let (sent, send) = server(vec![Some((Some("b"), vec![1])), Some((Some("b"), vec![2]))]);
        let pages = block_on(paginate(start.clone(), PAGING, true, send).try_collect()).expect("no error");
        assert_eq!(pages.len(), 2);
        assert_eq!(*sent.lock().expect("not poisoned"), [Some("a".to_owned()), Some("b".to_owned())]);
        // The caller's own starting token counts as sent.
        let (_, send) = server(vec![Some((Some("a"), vec![1]))]);
        assert_eq!(block_on(paginate(start.clone(), PAGING, true, send).try_collect()).expect("no error").len(), 1);
        let (_, send) = server(vec![Some((Some("a"), vec![1])), Some((Some("a"), vec![2])), Some((None, vec![3]))]);
        assert_eq!(block_on(paginate(start, PAGING, false, send).try_collect()).expect("no error").len(), 3);
    }

    #[test]
    fn an_error_is_yielded_and_ends_the_stream() {
        let (sent, send) = server(vec![Some((Some("a"), vec![1, 2])), None]);
        let mut items = paginate(Input::default(), PAGING, true, send).flat_map_items(|page: Output| page.items);
        block_on(async {
            assert_eq!(items.next().await, Some(Ok(1)));
            assert_eq!(items.next().await, Some(Ok(2)));
            assert_eq!(items.next().await, Some(Err("boom".to_owned())));
            assert_eq!(items.next().await, None);
            assert_eq!(items.next().await, None);
        });
        assert_eq!(sent.lock().expect("not poisoned").len(), 2);
    }

    #[test]
    fn items_are_flattened_across_pages_skipping_empty_ones() {
        let (_, send) = server(vec![Some((Some("a"), vec![1, 2])), Some((Some("b"), vec![])), Some((None, vec![3]))]);
        let items = paginate(Input::default(), PAGING, true, send).flat_map_items(|page: Output| page.items);
        assert_eq!(block_on(items.try_collect()), Ok(vec![1, 2, 3]));
    }

    #[test]
    fn a_failed_stream_yields_its_error_once() {
        let mut stream = PaginationStream::<Result<u8, &str>>::failed("missing member");
        block_on(async {
            assert_eq!(stream.next().await, Some(Err("missing member")));
            assert_eq!(stream.next().await, None);
        });
    }

    #[test]
    fn map_tokens_are_empty_when_they_have_no_entries() {
        assert!(HashMap::<String, u8>::new().is_empty_token());
        assert!(!HashMap::from([("k".to_owned(), 1u8)]).is_empty_token());
        assert!(String::new().is_empty_token());
    }
}
