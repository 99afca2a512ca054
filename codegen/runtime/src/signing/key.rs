//! SigV4 signing keys: derived from the secret access key per day, region and service, and
//! kept in a small process-wide cache so that calls on the same day derive them once.

use std::sync::{Mutex, PoisonError};

use crate::credentials::{Credentials, CredentialsIdentity};

use hmac::digest::InvalidLength;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

/// HMAC-SHA256, the MAC of SigV4.
pub(crate) type HmacSha256 = Hmac<Sha256>;

/// How many signing keys are kept: a process usually signs for one or two (region, service)
/// pairs with one set of credentials; a few more slots cover the change of day, refreshed
/// temporary credentials and clients of several services.
const SLOTS: usize = 8;

/// A cached signing key, ready to sign: the HMAC state keyed with it (its inner and outer
/// pads already hashed), so a signature costs only the string to sign.
struct Slot {
    /// SHA-256 of the secret, date, region and service the key was derived from (see
    /// [`slot_id`]): the secret itself is not kept.
    id: [u8; 32],
    /// The credentials value last signed with, found without hashing the secret again, and
    /// the date, region and service of the key.
    owner: CredentialsIdentity,
    date: Box<str>,
    region: Box<str>,
    service: Box<str>,
    mac: HmacSha256,
}

impl Slot {
    fn serves(&self, credentials: &Credentials, date: &str, region: &str, service: &str) -> bool {
        self.owner.is(credentials) && *self.date == *date && *self.region == *region && *self.service == *service
    }
}

/// The cache: at most [`SLOTS`] keys, the oldest replaced first.
struct Cache {
    slots: Vec<Slot>,
    /// The slot replaced next once all are taken.
    next: usize,
}

static CACHE: Mutex<Cache> = Mutex::new(Cache { slots: Vec::new(), next: 0 });

/// The HMAC keyed with the signing key of `credentials` on `date` (`YYYYMMDD`) for `region`
/// and `service`, from the cache when it has it: found by the credentials value itself when it
/// signed before (a call's usual case), else by a hash of the secret (new credentials with
/// the same keys, e.g. reloaded from the environment).
pub(crate) fn signing_mac(
    credentials: &Credentials,
    date: &str,
    region: &str,
    service: &str,
) -> Result<HmacSha256, InvalidLength> {
    // A panic elsewhere while the lock was held cannot leave a slot half-written that matters:
    // at worst a key is derived again. So a poisoned lock is used as it is.
    if let Some(slot) = lock().slots.iter().find(|slot| slot.serves(credentials, date, region, service)) {
        return Ok(slot.mac.clone());
    }
    let secret = credentials.secret_access_key();
    let id = slot_id(secret, date, region, service);
    if let Some(slot) = lock().slots.iter_mut().find(|slot| slot.id == id) {
        slot.owner = credentials.identity();
        return Ok(slot.mac.clone());
    }
    // Derived outside the lock; two threads missing at once both derive, which is harmless.
    let mac = derive_signing_mac(secret, date, region, service)?;
    let mut cache = lock();
    if !cache.slots.iter().any(|slot| slot.id == id) {
        let slot = Slot {
            id,
            owner: credentials.identity(),
            date: date.into(),
            region: region.into(),
            service: service.into(),
            mac: mac.clone(),
        };
        if cache.slots.len() < SLOTS {
            cache.slots.push(slot);
        } else {
            let next = cache.next;
            if let Some(oldest) = cache.slots.get_mut(next) {
                *oldest = slot;
            }
            cache.next = (next + 1) % SLOTS;
        }
    }
    Ok(mac)
}

fn lock() -> std::sync::MutexGuard<'static, Cache> {
    CACHE.lock().unwrap_or_else(PoisonError::into_inner)
}

/// What a cached key is found by: a hash of what it is derived from, each part
/// length-prefixed so that no two different inputs are written alike.
fn slot_id(secret: &str, date: &str, region: &str, service: &str) -> [u8; 32] {
    let mut hasher = Sha256::new();
    for part in [secret, date, region, service] {
        hasher.update((part.len() as u64).to_be_bytes());
        hasher.update(part.as_bytes());
    }
    hasher.finalize().into()
}

/// Derives the signing key (SigV4 "Calculate the signature", step 1):
/// `kDate = HMAC("AWS4" + secret, date)`, `kRegion = HMAC(kDate, region)`,
/// `kService = HMAC(kRegion, service)`, `kSigning = HMAC(kService, "aws4_request")`,
/// and returns the HMAC keyed with `kSigning`.
pub(crate) fn derive_signing_mac(
    secret: &str,
    date: &str,
    region: &str,
    service: &str,
) -> Result<HmacSha256, InvalidLength> {
    let mut secret_key = Vec::with_capacity(4 + secret.len());
    secret_key.extend_from_slice(b"AWS4");
    secret_key.extend_from_slice(secret.as_bytes());
    let mut key = hmac(&secret_key, date.as_bytes())?;
    for part in [region, service, "aws4_request"] {
        key = hmac(&key, part.as_bytes())?;
    }
    HmacSha256::new_from_slice(&key)
}

/// HMAC-SHA256 of `data` under `key`. (HMAC takes keys of any length, so the error never
/// happens; it is passed on rather than unwrapped.)
fn hmac(key: &[u8], data: &[u8]) -> Result<[u8; 32], InvalidLength> {
    let mut mac = HmacSha256::new_from_slice(key)?;
    mac.update(data);
    Ok(mac.finalize().into_bytes().into())
}

/// The signature: HMAC-SHA256 of the string to sign under the signing key of `mac`.
pub(crate) fn signature(mut mac: HmacSha256, string_to_sign: &[u8]) -> [u8; 32] {
    mac.update(string_to_sign);
    mac.finalize().into_bytes().into()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The signing key of the SigV4 documentation's example ("Examples of how to derive a
    /// signing key"): secret `wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY`, 20120215, us-east-1, iam.
    #[test]
    fn derives_the_documented_signing_key() {
        let secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
        let mut secret_key = b"AWS4".to_vec();
        secret_key.extend_from_slice(secret.as_bytes());
        let mut key = hmac(&secret_key, b"20120215").expect("hmac");
        for part in ["us-east-1", "iam", "aws4_request"] {
            key = hmac(&key, part.as_bytes()).expect("hmac");
        }
        let mut hex = String::new();
        super::super::canonical::push_hex(&mut hex, &key);
        assert_eq!(hex, "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d");
        // The keyed MAC signs as an HMAC under that key does.
        let mac = derive_signing_mac(secret, "20120215", "us-east-1", "iam").expect("derived");
        assert_eq!(signature(mac, b"text"), hmac(&key, b"text").expect("hmac"));
    }

    #[test]
    fn keys_are_cached_per_secret_date_region_and_service() {
        let sign = |secret: &str, date: &str, region: &str, service: &str| {
            let credentials = Credentials::new("AKID", secret, None);
            signature(signing_mac(&credentials, date, region, service).expect("key"), b"string to sign")
        };
        let first = sign("cache-test-secret", "20240101", "eu-west-3", "cache-test");
        let id = slot_id("cache-test-secret", "20240101", "eu-west-3", "cache-test");
        assert!(lock().slots.iter().any(|slot| slot.id == id), "kept after the first call");
        assert_eq!(sign("cache-test-secret", "20240101", "eu-west-3", "cache-test"), first);
        let uncached = derive_signing_mac("cache-test-secret", "20240101", "eu-west-3", "cache-test").expect("key");
        assert_eq!(signature(uncached, b"string to sign"), first);
        // Any part that differs is another key.
        for other in [
            sign("cache-test-secreT", "20240101", "eu-west-3", "cache-test"),
            sign("cache-test-secret", "20240102", "eu-west-3", "cache-test"),
            sign("cache-test-secret", "20240101", "eu-west-2", "cache-test"),
            sign("cache-test-secret", "20240101", "eu-west-3", "cache-tesT"),
        ] {
            assert_ne!(other, first);
        }
        // Length prefixes keep moved boundaries apart.
        assert_ne!(slot_id("ab", "c", "r", "s"), slot_id("a", "bc", "r", "s"));
        // Many more keys than slots: the cache stays bounded and keeps answering right.
        for day in 10..40 {
            let date = format!("202401{day}");
            let cached = sign("cache-test-secret", &date, "eu-west-3", "cache-test");
            let derived = signature(
                derive_signing_mac("cache-test-secret", &date, "eu-west-3", "cache-test").expect("key"),
                b"string to sign",
            );
            assert_eq!(cached, derived);
            assert!(lock().slots.len() <= SLOTS);
        }
    }

    #[test]
    fn a_credentials_value_finds_its_key_without_hashing_and_never_another_s() {
        let derived = |secret: &str| {
            signature(derive_signing_mac(secret, "20240301", "eu-north-1", "identity-test").expect("key"), b"sts")
        };
        let cached = |credentials: &Credentials| {
            signature(signing_mac(credentials, "20240301", "eu-north-1", "identity-test").expect("key"), b"sts")
        };
        let first = Credentials::new("AKID", "identity-secret-1", None);
        assert_eq!(cached(&first), derived("identity-secret-1"));
        assert!(lock().slots.iter().any(|slot| slot.serves(&first, "20240301", "eu-north-1", "identity-test")));
        assert!(!lock().slots.iter().any(|slot| slot.serves(&first, "20240302", "eu-north-1", "identity-test")));
        // The same keys in a new value: found by the secret's hash, which the value then owns.
        let again = Credentials::new("AKID", "identity-secret-1", None);
        assert_eq!(cached(&again), derived("identity-secret-1"));
        assert!(lock().slots.iter().any(|slot| slot.serves(&again, "20240301", "eu-north-1", "identity-test")));
        // Values dropped and others made in their place never sign with the old keys.
        drop((first, again));
        for round in 0..20 {
            let secret = format!("identity-secret-other-{round}");
            let other = Credentials::new("AKID", secret.as_str(), None);
            assert_eq!(cached(&other), derived(&secret));
        }
    }
}
