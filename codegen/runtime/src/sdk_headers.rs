//! The values of the headers every request carries besides its protocol's: `user-agent` (and
//! `x-amz-user-agent`), `amz-sdk-invocation-id` and `amz-sdk-request`, made so that a call
//! builds as few of them as it can: the user agent once per service, the attempt counters once
//! per process, the invocation id once per call, without a heap-allocated intermediate string.

use std::sync::{Mutex, OnceLock, PoisonError};

use http::HeaderValue;

use crate::config::ServiceSpec;

/// A random UUID v4. The bits come from `fastrand`'s thread-local generator (seeded from the
/// OS once per thread) rather than from a system call per UUID: invocation ids and idempotency
/// tokens must not collide, not be unpredictable, and the official Rust SDK draws both from
/// `fastrand` too.
pub(crate) fn random_uuid() -> uuid::Uuid {
    uuid::Builder::from_random_bytes(fastrand::u128(..).to_le_bytes()).into_uuid()
}

/// A fresh `amz-sdk-invocation-id`: one per call, the same on each of its attempts.
pub(crate) fn invocation_id() -> HeaderValue {
    let mut text = [0u8; uuid::fmt::Hyphenated::LENGTH];
    let id = random_uuid().hyphenated().encode_lower(&mut text);
    HeaderValue::from_str(id).unwrap_or(HeaderValue::from_static("00000000-0000-0000-0000-000000000000"))
}

/// The `user-agent` and `x-amz-user-agent` value for `spec`'s service, built once per service.
pub(crate) fn user_agent(spec: &ServiceSpec) -> HeaderValue {
    // A handful of services per process at most: a list searched by id beats hashing.
    static AGENTS: Mutex<Vec<(&'static str, HeaderValue)>> = Mutex::new(Vec::new());
    let mut agents = AGENTS.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some((_, agent)) = agents.iter().find(|(id, _)| *id == spec.sdk_id) {
        return agent.clone();
    }
    let agent = HeaderValue::from_str(&user_agent_text(spec.sdk_id))
        .unwrap_or(HeaderValue::from_static("aws-lite ua/2.1 lang/rust"));
    agents.push((spec.sdk_id, agent.clone()));
    agent
}

/// `aws-lite/{version} ua/2.1 api/{service}#{version} os/{os} lang/rust`, the service being the
/// SDK id in lower case with spaces as dashes.
fn user_agent_text(sdk_id: &str) -> String {
    let version = env!("CARGO_PKG_VERSION");
    let service: String = sdk_id
        .chars()
        .map(|c| if c == ' ' { '-' } else { c.to_ascii_lowercase() })
        .filter(|c| c.is_ascii_graphic())
        .collect();
    let os = match std::env::consts::OS {
        os @ ("linux" | "macos" | "windows" | "ios" | "android") => os,
        _ => "other",
    };
    format!("aws-lite/{version} ua/2.1 api/{service}#{version} os/{os} lang/rust")
}

/// The most attempts whose `amz-sdk-request` values are kept ready.
const READY_ATTEMPTS: u32 = 10;

/// `attempt={attempt}; max={max_attempts}`, from a table built once for the usual counts.
pub(crate) fn attempt_header(attempt: u32, max_attempts: u32) -> HeaderValue {
    static READY: OnceLock<Vec<HeaderValue>> = OnceLock::new();
    if attempt == 0 || attempt > max_attempts || max_attempts > READY_ATTEMPTS {
        return attempt_text(attempt, max_attempts);
    }
    let ready = READY.get_or_init(|| {
        (1..=READY_ATTEMPTS).flat_map(|max| (1..=max).map(move |attempt| attempt_text(attempt, max))).collect()
    });
    // Values for `max` start after those of every smaller maximum: 1 + 2 + ... + (max - 1).
    let index = (max_attempts * (max_attempts - 1) / 2 + attempt - 1) as usize;
    ready.get(index).cloned().unwrap_or_else(|| attempt_text(attempt, max_attempts))
}

fn attempt_text(attempt: u32, max_attempts: u32) -> HeaderValue {
    // Digits, letters and punctuation only: the fallback is never taken.
    HeaderValue::try_from(format!("attempt={attempt}; max={max_attempts}"))
        .unwrap_or(HeaderValue::from_static("attempt=1"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attempt_headers_from_the_table_and_beyond_it() {
        for max in 1..=12 {
            for attempt in 1..=max {
                assert_eq!(attempt_header(attempt, max), format!("attempt={attempt}; max={max}").as_str());
            }
        }
        assert_eq!(attempt_header(4, 3), "attempt=4; max=3");
        assert_eq!(attempt_header(0, 3), "attempt=0; max=3");
    }

    #[test]
    fn invocation_ids_are_distinct_version_4_uuids() {
        let ids: std::collections::BTreeSet<String> =
            (0..1000).map(|_| invocation_id().to_str().unwrap_or_default().to_owned()).collect();
        assert_eq!(ids.len(), 1000);
        for id in &ids {
            let parsed = uuid::Uuid::parse_str(id).expect("a UUID");
            assert_eq!(parsed.get_version_num(), 4, "{id}");
            assert_eq!(parsed.get_variant(), uuid::Variant::RFC4122, "{id}");
            assert_eq!(id.len(), 36);
        }
    }

    #[test]
    fn user_agents_name_their_service_and_are_built_once() {
        static SPEC: ServiceSpec = ServiceSpec {
            sdk_id: "Cognito Identity Provider",
            endpoint_prefix: "cognito-idp",
            signing_name: "cognito-idp",
            api_version: "2016-04-18",
            endpoint_rules: None,
        };
        let agent = user_agent(&SPEC);
        let text = agent.to_str().expect("text");
        assert!(text.starts_with("aws-lite/"), "{text}");
        assert!(text.contains(" ua/2.1 api/cognito-identity-provider#"), "{text}");
        assert!(text.ends_with(" lang/rust"), "{text}");
        assert_eq!(user_agent(&SPEC), agent);
    }
}
