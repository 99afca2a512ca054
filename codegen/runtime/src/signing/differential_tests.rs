//! Differential test: random requests signed by `sign_request` and by aws-sigv4 (as this
//! crate called it before it had its own signer) must get identical headers.
//!
//! The seed is fixed so runs repeat; `SIGV4_DIFF_SEED=N` tries another one.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use http::header::{HeaderName, HeaderValue};
use http::{Method, Request};

use super::sign_request;
use crate::credentials::Credentials;

/// How many random requests are signed both ways.
const REQUESTS: usize = 4000;
/// The default seed.
const SEED: u64 = 0x5167_7634;

/// Signs `request` with aws-sigv4's default settings, as `sign_request` used to; `None` when
/// aws-sigv4 refuses.
fn sign_with_aws_sigv4(
    request: &mut Request<Bytes>,
    credentials: &Credentials,
    region: &str,
    service: &str,
    time: SystemTime,
) -> Option<()> {
    use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};

    let identity: aws_smithy_runtime_api::client::identity::Identity = aws_credential_types::Credentials::new(
        credentials.access_key_id(),
        credentials.secret_access_key(),
        credentials.session_token().map(str::to_owned),
        None,
        "aws-lite",
    )
    .into();
    let params = aws_sigv4::sign::v4::SigningParams::builder()
        .identity(&identity)
        .region(region)
        .name(service)
        .time(time)
        .settings(SigningSettings::default())
        .build()
        .ok()?
        .into();
    let mut headers = Vec::new();
    for (name, value) in request.headers() {
        headers.push((name.as_str(), std::str::from_utf8(value.as_bytes()).ok()?));
    }
    let uri = request.uri().to_string();
    let signable =
        SignableRequest::new(request.method().as_str(), uri, headers.into_iter(), SignableBody::Bytes(request.body()))
            .ok()?;
    let (instructions, _signature) = sign(signable, &params).ok()?.into_parts();
    let (new_headers, _query) = instructions.into_parts();
    for header in new_headers {
        let name = HeaderName::try_from(header.name()).ok()?;
        let value = HeaderValue::try_from(header.value()).ok()?;
        request.headers_mut().insert(name, value);
    }
    Some(())
}

fn pick<'a>(rng: &mut fastrand::Rng, choices: &[&'a str]) -> &'a str {
    choices[rng.usize(..choices.len())]
}

/// A random run of characters a URI path or query may hold, escapes included.
fn random_text(rng: &mut fastrand::Rng, pieces: &[&str]) -> String {
    (0..rng.usize(0..5)).map(|_| pick(rng, pieces)).collect()
}

/// One random request with what it is signed with.
struct Case {
    request: Request<Bytes>,
    credentials: Credentials,
    region: &'static str,
    service: &'static str,
    time: SystemTime,
}

fn random_case(rng: &mut fastrand::Rng) -> Case {
    const SEGMENTS: &[&str] = &[
        "a",
        "B",
        "0",
        "-",
        "_",
        "~",
        ".",
        "..",
        "",
        "%20",
        "%2F",
        "%2f",
        "%25",
        "%C3%A9",
        "%E1%88%B4",
        "%3D",
        "+",
        "=",
        ":",
        "@",
        "!",
        "$",
        "&",
        "'",
        "(",
        ")",
        "*",
        ",",
        ";",
        "%2E",
        "%2E%2E",
        "%FF",
        "%zz",
        "%",
        "functions",
    ];
    const QUERY: &[&str] = &[
        "a", "b", "Z", "0", "-", "_", "~", ".", "%20", "+", "%2B", "%2b", "%3D", "%26", "%C3%A9", "%FF", "%C3", "%zz",
        "%", "%4", "/", "?", ":", "@", "!", "$", "'", "(", ")", "*", ",", ";", "=",
    ];
    let scheme = pick(rng, &["http", "https"]);
    let host =
        pick(rng, &["example.amazonaws.com", "iot.eu-central-1.amazonaws.com", "127.0.0.1", "[::1]", "localhost"]);
    let port = pick(rng, &["", ":80", ":443", ":8080", ":8443", ":0443"]);
    let mut path = String::new();
    for _ in 0..rng.usize(0..6) {
        path.push('/');
        path.push_str(&random_text(rng, SEGMENTS));
    }
    if rng.bool() {
        path.push('/');
    }
    let query = match rng.u8(..4) {
        0 => String::new(),
        1 => "?".to_owned(),
        _ => {
            let mut query = String::from("?");
            let names = ["a", "A", "b", "", "key", "%41", "x+y"];
            for index in 0..rng.usize(1..6) {
                if index > 0 {
                    query.push_str(pick(rng, &["&", "&", "&&"]));
                }
                // Repeated names come from the short list, others are random.
                if rng.bool() {
                    query.push_str(names[rng.usize(..names.len())]);
                } else {
                    query.push_str(&random_text(rng, QUERY));
                }
                match rng.u8(..4) {
                    0 => {}
                    1 => query.push('='),
                    _ => {
                        query.push('=');
                        query.push_str(&random_text(rng, QUERY));
                    }
                }
            }
            query
        }
    };
    let uri = format!("{scheme}://{host}{port}{path}{query}");
    let mut request = Request::new(Bytes::new());
    *request.uri_mut() = uri.parse().unwrap_or_else(|err| panic!("generated URI `{uri}`: {err}"));
    *request.method_mut() = match rng.u8(..7) {
        0 => Method::GET,
        1 => Method::PUT,
        2 => Method::DELETE,
        3 => Method::PATCH,
        4 => Method::HEAD,
        _ => Method::POST,
    };
    const NAMES: &[&str] = &[
        "content-type",
        "x-amz-target",
        "x-amz-meta-data",
        "x-amz-multi",
        "user-agent",
        "x-amz-user-agent",
        "x-amzn-trace-id",
        "transfer-encoding",
        "content-length",
        "accept",
        "host",
        "x-amz-date",
        "x-amz-security-token",
        "authorization",
        "amz-sdk-invocation-id",
        "x-custom-1",
        "a",
        "zz",
    ];
    const VALUES: &[&str] = &[
        "application/json",
        "  spaced   out  value ",
        " ",
        "",
        "one",
        "two words",
        "tab\there",
        "\ttab first",
        "é ü",
        "a,b",
        "example.amazonaws.com",
        "  host.example:8443 ",
        "20200101T000000Z",
        "x  ",
    ];
    for _ in 0..rng.usize(0..8) {
        let name = HeaderName::from_static(pick(rng, NAMES));
        let value = HeaderValue::from_str(pick(rng, VALUES)).expect("valid value");
        if rng.bool() {
            request.headers_mut().append(name, value);
        } else {
            request.headers_mut().insert(name, value);
        }
    }
    let body: Vec<u8> = (0..rng.usize(0..3) * rng.usize(0..40)).map(|_| rng.u8(..)).collect();
    *request.body_mut() = Bytes::from(body);
    // Now and then (one in ten) credentials neither signer can put in a header.
    let unusable = usize::from(rng.u8(..10) == 0);
    let token = match rng.u8(..3) {
        0 => None,
        1 => Some("FwoGZXIvYXdzEJr//////////wEaDH+token/with+slash=="),
        _ => Some(pick(rng, &["short", "tok en", "AQoDYXdzEPT//////////wEXAMPLE", "bad\u{1}token"][..3 + unusable])),
    };
    let unusable = usize::from(rng.u8(..10) == 0);
    let access_key =
        pick(rng, &["AKIDEXAMPLE", "ASIAXAMPLE0000000000", "AKID WITH SPACE", "bad\u{7f}key"][..3 + unusable]);
    let secret = pick(
        rng,
        &[
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            "short",
            "",
            "a-long-secret-of-more-than-sixty-four-bytes-which-hmac-hashes-before-use",
        ],
    );
    let credentials = Credentials::new(access_key, secret, token.map(str::to_owned));
    let region = pick(rng, &["us-east-1", "eu-central-1", "cn-north-1", "us-gov-west-1", "ap-southeast-2", ""]);
    let service = pick(rng, &["iot", "personalize", "execute-api", "lambda", "sts", "s3", "service"]);
    // 2000 to 2099.
    let time = UNIX_EPOCH + Duration::from_secs(rng.u64(946_684_800..4_102_444_800));
    Case { request, credentials, region, service, time }
}

/// The headers of a request in order, for comparison.
fn header_list(request: &Request<Bytes>) -> Vec<(String, Vec<u8>)> {
    request.headers().iter().map(|(name, value)| (name.as_str().to_owned(), value.as_bytes().to_vec())).collect()
}

#[test]
fn signer_matches_aws_sigv4_on_random_requests() {
    let seed = std::env::var("SIGV4_DIFF_SEED").ok().and_then(|seed| seed.parse().ok()).unwrap_or(SEED);
    let mut rng = fastrand::Rng::with_seed(seed);
    let (mut signed, mut refused) = (0, 0);
    for index in 0..REQUESTS {
        let case = random_case(&mut rng);
        let describe = || {
            format!(
                "request {index} of seed {seed} (rerun with SIGV4_DIFF_SEED={seed}): {} {} headers {:?} body {} bytes, \
                 region `{}`, service `{}`, time {:?}, session token {:?}",
                case.request.method(),
                case.request.uri(),
                case.request.headers(),
                case.request.body().len(),
                case.region,
                case.service,
                case.time,
                case.credentials.session_token()
            )
        };
        let mut ours = crate::transport::copy_request(&case.request);
        let ours_result = sign_request(&mut ours, &case.credentials, case.region, case.service, case.time);
        let mut theirs = crate::transport::copy_request(&case.request);
        let theirs_result = sign_with_aws_sigv4(&mut theirs, &case.credentials, case.region, case.service, case.time);
        match (ours_result, theirs_result) {
            (Ok(()), Some(())) => {
                assert_eq!(
                    ours.headers().get("authorization"),
                    theirs.headers().get("authorization"),
                    "authorization differs for {}",
                    describe()
                );
                assert_eq!(header_list(&ours), header_list(&theirs), "headers differ for {}", describe());
                assert!(ours.headers().get("authorization").is_some_and(HeaderValue::is_sensitive));
                if case.credentials.session_token().is_some() {
                    assert!(ours.headers().get("x-amz-security-token").is_some_and(HeaderValue::is_sensitive));
                }
                signed += 1;
            }
            (Err(_), None) => {
                assert_eq!(header_list(&ours), header_list(&case.request), "unchanged on error: {}", describe());
                refused += 1;
            }
            (ours, theirs) => panic!(
                "one signer refused: ours {:?}, aws-sigv4 {}, for {}",
                ours.map_err(|err| err.to_string()),
                if theirs.is_some() { "signed" } else { "refused" },
                describe()
            ),
        }
    }
    println!("{signed} random requests signed identically by aws-sigv4 and sign_request, {refused} refused by both (seed {seed})");
    assert!(signed > REQUESTS / 2, "too few requests were signable: {signed}");
}

/// Times 10,000 signatures of a typical awsJson call by each signer (`cargo test --release
/// -p aws-lite-runtime --all-features sign_timing -- --ignored --nocapture`).
#[test]
#[ignore = "timing, run on demand in release"]
fn sign_timing() {
    const ROUNDS: u32 = 10_000;
    let mut request = Request::new(Bytes::from_static(
        br#"{"metricAttribution":{"eventType":"click","expression":"SUM(DatasetType.COLUMN)","metricName":"m"},"name":"ma"}"#,
    ));
    *request.method_mut() = Method::POST;
    *request.uri_mut() = "https://personalize.us-east-1.amazonaws.com/".parse().expect("uri");
    for (name, value) in [
        ("content-type", "application/x-amz-json-1.1"),
        ("x-amz-target", "AmazonPersonalize.CreateMetricAttribution"),
        ("content-length", "113"),
        ("user-agent", "aws-lite/0.1.0 os/linux lang/rust"),
        ("x-amz-user-agent", "aws-lite/0.1.0 api/personalize/0.1.0"),
        ("amz-sdk-invocation-id", "4d5e8a7e-3c1b-4f8e-9d2a-6b7c8d9e0f1a"),
        ("amz-sdk-request", "attempt=1; max=3"),
    ] {
        request.headers_mut().insert(name, HeaderValue::from_static(value));
    }
    let credentials = Credentials::new(
        "ASIAXAMPLE0000000000",
        "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        Some("FwoGZXIvYXdzEJr//////////wEaDH+token/with+slash==".to_owned()),
    );
    let time = SystemTime::now();
    let timed = |name: &str, sign: &dyn Fn(&mut Request<Bytes>)| {
        let started = std::time::Instant::now();
        for _ in 0..ROUNDS {
            let mut copy = crate::transport::copy_request(&request);
            sign(&mut copy);
            std::hint::black_box(copy);
        }
        println!("{name}: {:.2} µs per signature", started.elapsed().as_secs_f64() * 1e6 / f64::from(ROUNDS));
    };
    timed("aws-sigv4", &|request| {
        sign_with_aws_sigv4(request, &credentials, "us-east-1", "personalize", time).expect("signed");
    });
    timed("sign_request", &|request| {
        sign_request(request, &credentials, "us-east-1", "personalize", time).expect("signed");
    });
}
