//! Credentials kept until shortly before they expire, refreshed once for all concurrent
//! callers; a failed refresh falls back to credentials that are still valid.

use std::sync::RwLock;
use std::time::{Duration, SystemTime};

use crate::credentials::{Clock, Credentials, CredentialsFuture, ProvideCredentials};

/// How long before expiry credentials are refreshed. Within this window the cached credentials
/// are still used if the refresh fails.
const REFRESH_AHEAD: Duration = Duration::from_secs(5 * 60);
/// After a failed refresh, how long still-valid credentials are used before trying again.
const RETRY_AFTER_FAILURE: Duration = Duration::from_secs(30);

#[derive(Debug, Clone)]
struct Cached {
    credentials: Credentials,
    /// When to load new credentials; `None` for credentials that never expire.
    refresh_at: Option<SystemTime>,
}

/// A provider behind a cache.
pub(crate) struct CredentialsCache {
    provider: Box<dyn ProvideCredentials>,
    clock: Clock,
    current: RwLock<Option<Cached>>,
    /// Held during a refresh so concurrent callers wait for it instead of starting their own.
    refreshing: tokio::sync::Mutex<()>,
}

impl CredentialsCache {
    pub(crate) fn new(provider: impl ProvideCredentials, clock: Clock) -> Self {
        Self {
            provider: Box::new(provider),
            clock,
            current: RwLock::new(None),
            refreshing: tokio::sync::Mutex::new(()),
        }
    }

    /// The cached credentials, if they need no refresh at `now`.
    fn fresh(&self, now: SystemTime) -> Option<Credentials> {
        let current = self.current.read().unwrap_or_else(|poisoned| poisoned.into_inner());
        let cached = current.as_ref()?;
        match cached.refresh_at {
            Some(at) if now >= at => None,
            _ => Some(cached.credentials.clone()),
        }
    }

    fn store(&self, cached: Cached) {
        *self.current.write().unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(cached);
    }

    pub(crate) async fn get(&self) -> Result<Credentials, crate::credentials::CredentialsError> {
        if let Some(credentials) = self.fresh((self.clock)()) {
            return Ok(credentials);
        }
        let _refreshing = self.refreshing.lock().await;
        // Another caller may have refreshed while this one waited.
        if let Some(credentials) = self.fresh((self.clock)()) {
            return Ok(credentials);
        }
        let loaded = self.provider.provide_credentials().await;
        let now = (self.clock)();
        match loaded {
            Ok(credentials) => {
                let refresh_at = credentials.expiry().map(|expiry| refresh_time(now, expiry));
                self.store(Cached { credentials: credentials.clone(), refresh_at });
                Ok(credentials)
            }
            Err(err) => {
                let previous = self.current.read().unwrap_or_else(|poisoned| poisoned.into_inner()).clone();
                match previous {
                    Some(cached) if cached.credentials.expiry().is_some_and(|expiry| expiry > now) => {
                        tracing::warn!(error = %err, "refreshing credentials failed; using the cached ones until they expire");
                        let expiry = cached.credentials.expiry().unwrap_or(now);
                        let refresh_at = Some((now + RETRY_AFTER_FAILURE).min(expiry));
                        let credentials = cached.credentials.clone();
                        self.store(Cached { credentials: credentials.clone(), refresh_at });
                        Ok(credentials)
                    }
                    _ => Err(err),
                }
            }
        }
    }
}

/// When credentials loaded at `now` and expiring at `expiry` are refreshed: [`REFRESH_AHEAD`]
/// before expiry, or halfway there for credentials shorter-lived than that.
fn refresh_time(now: SystemTime, expiry: SystemTime) -> SystemTime {
    let ahead = expiry.checked_sub(REFRESH_AHEAD).unwrap_or(now);
    if ahead > now {
        ahead
    } else {
        let remaining = expiry.duration_since(now).unwrap_or_default();
        now + remaining / 2
    }
}

impl std::fmt::Debug for CredentialsCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CredentialsCache").field("provider", &self.provider).finish_non_exhaustive()
    }
}

impl ProvideCredentials for CredentialsCache {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(self.get())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::CredentialsError;
    use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
    use std::sync::{Arc, Mutex};

    /// A clock tests move by hand, in seconds since the epoch.
    fn manual_clock(start: u64) -> (Arc<AtomicU64>, Clock) {
        let seconds = Arc::new(AtomicU64::new(start));
        let read = seconds.clone();
        (seconds, Arc::new(move || SystemTime::UNIX_EPOCH + Duration::from_secs(read.load(Ordering::SeqCst))))
    }

    /// Gives the scripted outcomes in order, counting calls; each call takes `delay`.
    #[derive(Debug)]
    struct Scripted {
        outcomes: Mutex<Vec<Result<Credentials, CredentialsError>>>,
        calls: Arc<AtomicUsize>,
        delay: Duration,
    }

    impl ProvideCredentials for Scripted {
        fn provide_credentials(&self) -> CredentialsFuture<'_> {
            Box::pin(async move {
                self.calls.fetch_add(1, Ordering::SeqCst);
                tokio::time::sleep(self.delay).await;
                let mut outcomes = self.outcomes.lock().expect("not poisoned");
                if outcomes.is_empty() {
                    return Err(CredentialsError::provider_failed("test", "script exhausted"));
                }
                outcomes.remove(0)
            })
        }
    }

    fn expiring(key: &str, at: u64) -> Credentials {
        Credentials::new(key, "secret", Some("token".into()))
            .with_expiry(SystemTime::UNIX_EPOCH + Duration::from_secs(at))
    }

    fn scripted(outcomes: Vec<Result<Credentials, CredentialsError>>, delay: Duration) -> (Scripted, Arc<AtomicUsize>) {
        let calls = Arc::new(AtomicUsize::new(0));
        (Scripted { outcomes: Mutex::new(outcomes), calls: calls.clone(), delay }, calls)
    }

    #[tokio::test]
    async fn refreshes_a_few_minutes_before_expiry() {
        let (time, clock) = manual_clock(10_000);
        let (provider, calls) =
            scripted(vec![Ok(expiring("FIRST", 13_600)), Ok(expiring("SECOND", 17_200))], Duration::ZERO);
        let cache = CredentialsCache::new(provider, clock);
        let key = |c: Credentials| c.access_key_id().to_owned();
        assert_eq!(cache.provide_credentials().await.map(key).ok().as_deref(), Some("FIRST"));
        time.store(13_600 - 301, Ordering::SeqCst);
        assert_eq!(cache.provide_credentials().await.map(key).ok().as_deref(), Some("FIRST"));
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        time.store(13_600 - 299, Ordering::SeqCst);
        assert_eq!(cache.provide_credentials().await.map(key).ok().as_deref(), Some("SECOND"));
        assert_eq!(calls.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn a_failed_refresh_keeps_valid_credentials_and_an_expired_one_fails() {
        let (time, clock) = manual_clock(10_000);
        let failure = || Err(CredentialsError::provider_failed("test", "metadata service down"));
        let (provider, calls) = scripted(vec![Ok(expiring("FIRST", 10_600)), failure(), failure()], Duration::ZERO);
        let cache = CredentialsCache::new(provider, clock);
        cache.provide_credentials().await.expect("first load");
        time.store(10_400, Ordering::SeqCst);
        let kept = cache.provide_credentials().await.expect("still valid");
        assert_eq!(kept.access_key_id(), "FIRST");
        // The failed refresh is not retried on every call.
        time.store(10_420, Ordering::SeqCst);
        cache.provide_credentials().await.expect("still valid");
        assert_eq!(calls.load(Ordering::SeqCst), 2);
        time.store(10_600, Ordering::SeqCst);
        let err = cache.provide_credentials().await.expect_err("expired");
        assert!(err.to_string().contains("metadata service down"), "{err}");
    }

    #[tokio::test]
    async fn short_lived_credentials_are_kept_for_half_their_life() {
        let (time, clock) = manual_clock(10_000);
        let (provider, calls) = scripted(vec![Ok(expiring("A", 10_120)), Ok(expiring("B", 10_240))], Duration::ZERO);
        let cache = CredentialsCache::new(provider, clock);
        cache.provide_credentials().await.expect("first load");
        time.store(10_059, Ordering::SeqCst);
        cache.provide_credentials().await.expect("cached");
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        time.store(10_060, Ordering::SeqCst);
        assert_eq!(cache.provide_credentials().await.expect("refreshed").access_key_id(), "B");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_callers_share_one_refresh() {
        let (_time, clock) = manual_clock(10_000);
        let (provider, calls) = scripted(vec![Ok(expiring("ONLY", 20_000))], Duration::from_millis(50));
        let cache = Arc::new(CredentialsCache::new(provider, clock));
        let tasks: Vec<_> = (0..16)
            .map(|_| {
                let cache = cache.clone();
                tokio::spawn(async move { cache.provide_credentials().await.map(|c| c.access_key_id().to_owned()) })
            })
            .collect();
        for task in tasks {
            assert_eq!(task.await.expect("task ran").ok().as_deref(), Some("ONLY"));
        }
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }
}
