//! End-to-end tests of the generated command-line front end: the `aws-lite` binary (feature
//! `cli`), run as a process against a small std-only HTTP/1.1 server on 127.0.0.1.

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

/// The workspace root.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ has a parent").to_path_buf()
}

/// Builds the binary once per test process and returns its path.
fn binary() -> &'static Path {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| {
        let output = Command::new(env!("CARGO"))
            .args(["build", "-p", "aws-lite", "--features", "cli", "--bin", "aws-lite", "--message-format=json"])
            .current_dir(root())
            .output()
            .expect("run cargo build");
        assert!(
            output.status.success(),
            "`cargo build -p aws-lite --features cli` failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        // Cargo names the executable it built; fall back to the workspace target directory.
        let from_messages = String::from_utf8_lossy(&output.stdout).lines().find_map(|line| {
            let message: Value = serde_json::from_str(line).ok()?;
            let is_bin = message["reason"] == "compiler-artifact" && message["target"]["name"] == "aws-lite";
            message["executable"].as_str().filter(|_| is_bin).map(PathBuf::from)
        });
        from_messages.unwrap_or_else(|| {
            let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root().join("target"), PathBuf::from);
            target.join("debug").join(format!("aws-lite{}", std::env::consts::EXE_SUFFIX))
        })
    })
}

/// One request the server received.
#[derive(Debug, Clone)]
struct Recorded {
    method: String,
    path: String,
    /// Names lowercased.
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Recorded {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str())
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("request body is JSON")
    }
}

/// A one-thread HTTP/1.1 server that records every request and answers each with the same
/// canned response, closing the connection. Stops when dropped.
struct Server {
    port: u16,
    requests: Arc<Mutex<Vec<Recorded>>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Server {
    fn start(status: u16, headers: &[(&str, &str)], body: &str) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("local addr").port();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let mut response =
            format!("HTTP/1.1 {status} Canned\r\nContent-Length: {}\r\nConnection: close\r\n", body.len());
        for (name, value) in headers {
            response.push_str(&format!("{name}: {value}\r\n"));
        }
        response.push_str("\r\n");
        response.push_str(body);
        let thread = {
            let (requests, stop) = (requests.clone(), stop.clone());
            std::thread::spawn(move || {
                for stream in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(mut stream) = stream else { continue };
                    if let Some(request) = read_request(&stream) {
                        requests.lock().unwrap_or_else(PoisonError::into_inner).push(request);
                        let _ = stream.write_all(response.as_bytes());
                        let _ = stream.flush();
                    }
                }
            })
        };
        Server { port, requests, stop, thread: Some(thread) }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// The only request received.
    fn request(&self) -> Recorded {
        let requests = self.requests();
        assert_eq!(requests.len(), 1, "expected exactly one request: {requests:?}");
        requests.into_iter().next().expect("one request")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop up so that it sees the flag.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Reads the request line, the headers and a `Content-Length` body.
fn read_request(stream: &TcpStream) -> Option<Recorded> {
    stream.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut parts = line.split_whitespace();
    let (method, path) = (parts.next()?.to_owned(), parts.next()?.to_owned());
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).ok()?;
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        let (name, value) = line.split_once(':')?;
        headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
    }
    let length = headers.iter().find(|(name, _)| name == "content-length").map_or(Some(0), |(_, v)| v.parse().ok())?;
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    Some(Recorded { method, path, headers, body })
}

/// What a run of the binary did.
#[derive(Debug)]
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// Runs the binary with `args`, test credentials, no shared config files and nothing else from
/// the `AWS_*` environment; with a server, also `--region us-east-1 --endpoint-url <server>`.
fn cli(args: &[&str], server: Option<&Server>) -> Run {
    cli_with_env(args, server, &[("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"), ("AWS_SECRET_ACCESS_KEY", "SECRET")])
}

/// [`cli`] with `env` as the only `AWS_*` variables besides the shared file paths, which
/// `env` may replace.
fn cli_with_env(args: &[&str], server: Option<&Server>, env: &[(&str, &str)]) -> Run {
    let mut command = Command::new(binary());
    for (name, _) in std::env::vars_os().filter(|(name, _)| name.to_string_lossy().starts_with("AWS_")) {
        command.env_remove(name);
    }
    // Shared config files that do not exist, so the developer's ~/.aws is never read, and no
    // instance metadata service (a CI machine on EC2 must not lend its role).
    let nowhere = std::env::temp_dir().join("aws-lite-cli-e2e-no-such-dir");
    command
        .env("AWS_CONFIG_FILE", nowhere.join("config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", nowhere.join("credentials"))
        .env("AWS_EC2_METADATA_DISABLED", "true");
    command.envs(env.iter().copied()).args(args);
    if let Some(server) = server {
        command.args(["--region", "us-east-1", "--endpoint-url", &server.url()]);
    }
    let output = command.output().expect("run aws-lite");
    Run {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// A valid `CreateMetricAttribution` input.
fn attribution_input() -> Value {
    json!({
        "name": "my-attribution",
        "datasetGroupArn": "arn:aws:personalize:us-east-1:123456789012:dataset-group/dg",
        "metrics": [{"eventType": "click", "metricName": "clicks", "expression": "SAMPLECOUNT()"}],
        "metricsOutputConfig": {
            "roleArn": "arn:aws:iam::123456789012:role/Metrics",
            "s3DataDestination": {"path": "s3://bucket/metrics"}
        }
    })
}

#[test]
fn create_metric_attribution_sends_the_json_input_and_prints_the_response() {
    let response = json!({"metricAttributionArn": "arn:aws:personalize:us-east-1:123456789012:metric-attribution/a"});
    let server = Server::start(200, &[("Content-Type", "application/x-amz-json-1.1")], &response.to_string());
    let input = attribution_input().to_string();
    let run = cli(&["personalize", "create-metric-attribution", "--cli-input-json", &input], Some(&server));
    assert_eq!(run.code, Some(0), "{run:?}");
    assert_eq!(run.stderr, "");
    let printed: Value = serde_json::from_str(&run.stdout).expect("stdout is JSON");
    assert_eq!(printed, response);

    let request = server.request();
    assert_eq!((request.method.as_str(), request.path.as_str()), ("POST", "/"));
    assert_eq!(request.header("x-amz-target"), Some("AmazonPersonalize.CreateMetricAttribution"));
    assert_eq!(request.header("content-type"), Some("application/x-amz-json-1.1"));
    let authorization = request.header("authorization").unwrap_or_default();
    assert!(
        authorization.starts_with("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/")
            && authorization.contains("/us-east-1/personalize/aws4_request"),
        "{authorization}"
    );
    assert_eq!(request.json(), attribution_input());
}

#[test]
fn describe_metric_attribution_prints_timestamps_in_iso_8601() {
    let response = r#"{"metricAttribution":{"name":"my-attribution","status":"ACTIVE","creationDateTime":1700000000.123,"lastUpdatedDateTime":1700000100}}"#;
    let server = Server::start(200, &[("Content-Type", "application/x-amz-json-1.1")], response);
    let arn = "arn:aws:personalize:us-east-1:123456789012:metric-attribution/my-attribution";
    let input = json!({ "metricAttributionArn": arn }).to_string();
    let run = cli(&["personalize", "describe-metric-attribution", "--cli-input-json", &input], Some(&server));
    assert_eq!(run.code, Some(0), "{run:?}");
    assert!(run.stdout.contains(r#""creationDateTime": "2023-11-14T22:13:20.123Z""#), "{}", run.stdout);
    let printed: Value = serde_json::from_str(&run.stdout).expect("stdout is JSON");
    assert_eq!(
        printed,
        json!({"metricAttribution": {
            "name": "my-attribution",
            "status": "ACTIVE",
            "creationDateTime": "2023-11-14T22:13:20.123Z",
            "lastUpdatedDateTime": "2023-11-14T22:15:00Z"
        }})
    );
    let request = server.request();
    assert_eq!(request.header("x-amz-target"), Some("AmazonPersonalize.DescribeMetricAttribution"));
    assert_eq!(request.json(), json!({ "metricAttributionArn": arn }));
}

#[test]
fn create_custom_metric_reads_its_input_from_a_file() {
    let response = json!({"metricName": "temperature", "metricArn": "arn:aws:iot:us-east-1:123456789012:custommetric/temperature"});
    let server = Server::start(200, &[("Content-Type", "application/json")], &response.to_string());
    let path = std::env::temp_dir().join(format!("aws-lite-cli-e2e-{}.json", std::process::id()));
    let input = "{\n  \"metricName\": \"temperature\",\n  \"displayName\": \"Temperature\",\n  \"metricType\": \"number\",\n  \"tags\": [{\"Key\": \"team\", \"Value\": \"edge\"}]\n}\n";
    std::fs::write(&path, input).expect("write the input file");
    let argument = format!("file://{}", path.display());
    let run = cli(&["iot", "create-custom-metric", "--cli-input-json", &argument], Some(&server));
    let _ = std::fs::remove_file(&path);
    assert_eq!(run.code, Some(0), "{run:?}");
    let printed: Value = serde_json::from_str(&run.stdout).expect("stdout is JSON");
    assert_eq!(printed, response);

    let request = server.request();
    assert_eq!((request.method.as_str(), request.path.as_str()), ("POST", "/custom-metric/temperature"));
    assert_eq!(request.header("content-type"), Some("application/json"));
    let mut body = request.json();
    // The idempotency token is filled in when the input leaves it out.
    let token = body.as_object_mut().and_then(|body| body.remove("clientRequestToken"));
    assert!(token.as_ref().and_then(Value::as_str).is_some_and(|token| !token.is_empty()), "{token:?}");
    assert_eq!(
        body,
        json!({"displayName": "Temperature", "metricType": "number", "tags": [{"Key": "team", "Value": "edge"}]})
    );
}

#[test]
fn validation_failures_are_all_listed_and_nothing_is_sent() {
    let server = Server::start(200, &[], "{}");
    let mut input = attribution_input();
    input["name"] = json!("n".repeat(64));
    input["datasetGroupArn"] = json!("not-an-arn");
    let run = cli(&["personalize", "create-metric-attribution", "--cli-input-json", &input.to_string()], Some(&server));
    assert_eq!(run.code, Some(1), "{run:?}");
    assert_eq!(run.stdout, "");
    assert!(run.stderr.contains("invalid CreateMetricAttributionInput: 2 constraint violations"), "{}", run.stderr);
    let violations: Vec<&str> = run.stderr.lines().filter(|line| line.starts_with("  - ")).collect();
    assert_eq!(violations.len(), 2, "{}", run.stderr);
    assert!(violations[0].starts_with("  - name: ") && violations[0].contains("63"), "{}", run.stderr);
    assert!(violations[1].starts_with("  - datasetGroupArn: ") && violations[1].contains("pattern"), "{}", run.stderr);
    assert!(server.requests().is_empty());

    // A required member left out is a violation too, at any depth; nothing about the default
    // standing in for it is reported.
    let mut input = attribution_input();
    input.as_object_mut().map(|input| input.remove("datasetGroupArn"));
    input["metricsOutputConfig"].as_object_mut().map(|config| config.remove("roleArn"));
    let run = cli(&["personalize", "create-metric-attribution", "--cli-input-json", &input.to_string()], Some(&server));
    assert_eq!(run.code, Some(1), "{run:?}");
    assert!(run.stderr.contains("2 constraint violations"), "{}", run.stderr);
    assert!(run.stderr.contains("  - datasetGroupArn: a value is required\n"), "{}", run.stderr);
    assert!(run.stderr.contains("  - metricsOutputConfig.roleArn: a value is required\n"), "{}", run.stderr);
    assert!(server.requests().is_empty());
}

#[test]
fn no_validate_sends_an_invalid_input() {
    let server = Server::start(200, &[("Content-Type", "application/x-amz-json-1.1")], "{}");
    let mut input = attribution_input();
    input["name"] = json!("n".repeat(64));
    let run = cli(
        &["personalize", "create-metric-attribution", "--no-validate", "--cli-input-json", &input.to_string()],
        Some(&server),
    );
    assert_eq!(run.code, Some(0), "{run:?}");
    // An output without members prints nothing, as the AWS CLI does.
    assert_eq!(run.stdout, "");
    assert_eq!(server.request().json(), input);
}

#[test]
fn a_modeled_service_error_exits_1_with_its_code_and_message() {
    let body = r#"{"__type":"com.amazonaws.personalize#ResourceAlreadyExistsException","message":"The metric attribution already exists"}"#;
    let server =
        Server::start(400, &[("Content-Type", "application/x-amz-json-1.1"), ("x-amzn-RequestId", "req-123")], body);
    let input = attribution_input().to_string();
    let run = cli(&["personalize", "create-metric-attribution", "--cli-input-json", &input], Some(&server));
    assert_eq!(run.code, Some(1), "{run:?}");
    assert_eq!(run.stdout, "");
    assert!(run.stderr.contains("ResourceAlreadyExistsException"), "{}", run.stderr);
    assert!(run.stderr.contains("The metric attribution already exists"), "{}", run.stderr);
    assert!(run.stderr.contains("HTTP 400") && run.stderr.contains("req-123"), "{}", run.stderr);
    assert_eq!(server.requests().len(), 1, "a client error is not retried");

    // restJson1: the code comes from the X-Amzn-Errortype header.
    let server = Server::start(
        409,
        &[("Content-Type", "application/json"), ("X-Amzn-Errortype", "ResourceAlreadyExistsException")],
        r#"{"message":"metric temperature exists"}"#,
    );
    let input = r#"{"metricName":"temperature","metricType":"number"}"#;
    let run = cli(&["iot", "create-custom-metric", "--cli-input-json", input], Some(&server));
    assert_eq!(run.code, Some(1), "{run:?}");
    assert!(run.stderr.contains("CreateCustomMetric failed"), "{}", run.stderr);
    assert!(run.stderr.contains("ResourceAlreadyExistsException: metric temperature exists"), "{}", run.stderr);
}

#[test]
fn input_that_is_not_json_or_does_not_fit_exits_2() {
    let server = Server::start(200, &[], "{}");
    let input = "{\"name\": \"x\",\n  \"metrics\": ]}";
    let run = cli(&["personalize", "create-metric-attribution", "--cli-input-json", input], Some(&server));
    assert_eq!(run.code, Some(2), "{run:?}");
    assert!(run.stderr.contains("not valid JSON") && run.stderr.contains("line 2 column 14"), "{}", run.stderr);

    let input = "{\n  \"name\": 5\n}";
    let run = cli(&["personalize", "create-metric-attribution", "--cli-input-json", input], Some(&server));
    assert_eq!(run.code, Some(2), "{run:?}");
    assert!(run.stderr.contains("at `name`: invalid type: integer `5`, expected a string"), "{}", run.stderr);

    let input = r#"{"name": "x", "metrics": [{"eventType": "click", "expression": 7}]}"#;
    let run = cli(&["personalize", "create-metric-attribution", "--cli-input-json", input], Some(&server));
    assert_eq!(run.code, Some(2), "{run:?}");
    assert!(run.stderr.contains("at `metrics[0].expression`: invalid type: integer `7`"), "{}", run.stderr);

    // A required member given as null is reported as missing, with the others, before sending.
    let input = r#"{"name": null, "datasetGroupArn": null, "metrics": [], "metricsOutputConfig": {"roleArn": "r"}}"#;
    let run = cli(&["personalize", "create-metric-attribution", "--cli-input-json", input], Some(&server));
    assert_eq!(run.code, Some(1), "{run:?}");
    assert!(run.stderr.contains("name: a value is required"), "{}", run.stderr);
    assert!(run.stderr.contains("datasetGroupArn: a value is required"), "{}", run.stderr);

    let input = r#"{"nmae": "x", "metricsOutputConfig": {"rolArn": "y"}}"#;
    let run = cli(&["personalize", "create-metric-attribution", "--cli-input-json", input], Some(&server));
    assert_eq!(run.code, Some(2), "{run:?}");
    assert!(run.stderr.contains("unknown member `nmae` in the input (did you mean `name`?)"), "{}", run.stderr);
    assert!(
        run.stderr.contains("unknown member `rolArn` in `metricsOutputConfig` (did you mean `roleArn`?)"),
        "{}",
        run.stderr
    );

    let run = cli(&["personalize", "create-metric-attribution", "--cli-input-json", "[1]"], Some(&server));
    assert_eq!(run.code, Some(2), "{run:?}");
    assert!(run.stderr.contains("must be a JSON object"), "{}", run.stderr);

    let run =
        cli(&["iot", "create-custom-metric", "--cli-input-json", "file:///nonexistent/input.json"], Some(&server));
    assert_eq!(run.code, Some(2), "{run:?}");
    assert!(run.stderr.contains("cannot read --cli-input-json file `/nonexistent/input.json`"), "{}", run.stderr);
    assert!(server.requests().is_empty());
}

#[test]
fn help_at_every_level() {
    for args in [&["--help"][..], &["-h"], &["help"]] {
        let run = cli(args, None);
        assert_eq!(run.code, Some(0), "{run:?}");
        assert!(run.stdout.contains("Usage: aws-lite <service> <operation>"), "{}", run.stdout);
        assert!(run.stdout.contains("--cli-input-json") && run.stdout.contains("--no-validate"), "{}", run.stdout);
        let services = run.stdout.split("\nServices:\n").nth(1).unwrap_or_default();
        assert!(services.contains("  iot          AWS IoT\n"), "{}", run.stdout);
        assert!(services.contains("  personalize  Amazon Personalize\n"), "{}", run.stdout);
    }

    let run = cli(&["personalize", "--help"], None);
    assert_eq!(run.code, Some(0), "{run:?}");
    let operations = run.stdout.split("\nOperations:\n").nth(1).unwrap_or_default();
    assert!(operations.contains("  create-metric-attribution    Creates a metric attribution"), "{}", run.stdout);
    assert!(
        operations.contains("  describe-metric-attribution  Returns the details of a metric attribution"),
        "{}",
        run.stdout
    );

    let run = cli(&["iot", "create-custom-metric", "--help"], None);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert!(
        run.stdout.starts_with("Usage: aws-lite iot create-custom-metric [--cli-input-json <json>"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("Defines a custom metric"), "{}", run.stdout);
    for member in [
        "  metricName (string, required)\n",
        "  displayName (string)\n",
        "  metricType (string, required)\n",
        "      Possible values: string-list | ip-address-list | number-list | number\n",
        "  tags (list of Tag)\n",
        "  clientRequestToken (string)\n",
        "Tag (structure):\n  Key (string, required)\n",
        "JSON syntax:\n{\n    \"metricName\": \"string\",\n",
    ] {
        assert!(run.stdout.contains(member), "missing {member:?} in:\n{}", run.stdout);
    }
    let run = cli(&["personalize", "describe-metric-attribution", "help"], None);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert!(run.stdout.contains("  metricAttributionArn (string, required)\n"), "{}", run.stdout);
}

#[test]
fn wrong_command_lines_exit_2_with_a_helpful_message() {
    let run = cli(&["personalize", "create-metric", "--cli-input-json", "{}"], None);
    assert_eq!(run.code, Some(2), "{run:?}");
    assert!(
        run.stderr.contains(
            "unknown operation `create-metric` for service `personalize`; did you mean `create-metric-attribution`?"
        ),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("Run `aws-lite personalize --help` to list its operations."), "{}", run.stderr);

    let run = cli(&["iot", "CreateCustomMetric"], None);
    assert_eq!(run.code, Some(2), "{run:?}");
    assert!(run.stderr.contains("did you mean `create-custom-metric`?"), "{}", run.stderr);

    let run = cli(&["personalise", "--help"], None);
    assert_eq!(run.code, Some(2), "{run:?}");
    assert!(run.stderr.contains("unknown service `personalise`; did you mean `personalize`?"), "{}", run.stderr);

    for (args, expected) in [
        (&[][..], "no service given"),
        (&["iot"], "no operation given"),
        (
            &["iot", "create-custom-metric", "--endpoint", "http://x"],
            "unknown option `--endpoint`; did you mean `--endpoint-url`?",
        ),
        (&["iot", "create-custom-metric", "--region"], "`--region` needs a value"),
        (&["iot", "create-custom-metric", "extra"], "unexpected argument `extra`"),
    ] {
        let run = cli(args, None);
        assert_eq!(run.code, Some(2), "{args:?}: {run:?}");
        assert!(run.stderr.contains(expected), "{args:?}: {}", run.stderr);
    }
}

#[test]
fn region_and_keys_come_from_the_shared_profile() {
    let dir = std::env::temp_dir().join(format!("aws-lite-cli-e2e-profile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("create the profile dir");
    let (config, credentials) = (dir.join("config"), dir.join("credentials"));
    std::fs::write(&config, "[profile dev]\nregion = eu-west-1\n").expect("write config");
    std::fs::write(&credentials, "[dev]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = profile-secret\n")
        .expect("write credentials");
    let server = Server::start(200, &[("Content-Type", "application/x-amz-json-1.1")], "{}");
    let input = json!({"metricAttributionArn": "arn:aws:personalize:eu-west-1:123456789012:metric-attribution/a"});
    let (input, url) = (input.to_string(), server.url());
    let args = ["personalize", "describe-metric-attribution", "--cli-input-json", &input, "--endpoint-url", &url];
    let (config, credentials) = (config.display().to_string(), credentials.display().to_string());
    let files = [("AWS_CONFIG_FILE", config.as_str()), ("AWS_SHARED_CREDENTIALS_FILE", credentials.as_str())];
    let run = cli_with_env(&args, None, &[&files[..], &[("AWS_PROFILE", "dev")]].concat());
    let missing = cli_with_env(&args, None, &[&files[..], &[("AWS_PROFILE", "prod")]].concat());
    std::fs::remove_dir_all(&dir).expect("remove the profile dir");

    assert_eq!(run.code, Some(0), "{run:?}");
    let authorization = server.request().header("authorization").unwrap_or_default().to_owned();
    assert!(
        authorization.starts_with("AWS4-HMAC-SHA256 Credential=AKIDPROFILE/")
            && authorization.contains("/eu-west-1/personalize/aws4_request"),
        "{authorization}"
    );
    assert_eq!(missing.code, Some(1), "{missing:?}");
    assert!(missing.stderr.contains("profile `prod` (AWS_PROFILE) is not defined"), "{}", missing.stderr);
    assert!(missing.stderr.contains("defined profiles: dev"), "{}", missing.stderr);
}

#[test]
fn profile_option_wins_over_environment_keys_and_endpoints_come_from_the_environment() {
    let dir = std::env::temp_dir().join(format!("aws-lite-cli-e2e-option-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("create the profile dir");
    let config = dir.join("config");
    std::fs::write(
        &config,
        "[profile dev]\nregion = eu-west-1\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = profile-secret\n",
    )
    .expect("write config");
    let server = Server::start(200, &[("Content-Type", "application/x-amz-json-1.1")], "{}");
    let input = json!({"metricAttributionArn": "arn:aws:personalize:eu-west-1:123456789012:metric-attribution/a"});
    let input = input.to_string();
    let url = server.url();
    let config = config.display().to_string();
    let env = [
        ("AWS_CONFIG_FILE", config.as_str()),
        ("AWS_ACCESS_KEY_ID", "AKIDENVIRONMENT"),
        ("AWS_SECRET_ACCESS_KEY", "environment-secret"),
        ("AWS_ENDPOINT_URL_PERSONALIZE", url.as_str()),
    ];
    let args = ["personalize", "describe-metric-attribution", "--cli-input-json", &input];
    let run = cli_with_env(&[&args[..], &["--profile", "dev"]].concat(), None, &env);
    let unnamed = cli_with_env(&args, None, &[&env[..], &[("AWS_PROFILE", "dev")]].concat());
    let nothing = cli_with_env(&args, None, &[("AWS_REGION", "us-east-1")]);
    std::fs::remove_dir_all(&dir).expect("remove the profile dir");

    assert_eq!((run.code, unnamed.code), (Some(0), Some(0)), "{run:?} {unnamed:?}");
    let keys: Vec<String> = server
        .requests()
        .iter()
        .map(|request| {
            request.header("authorization").unwrap_or_default().split('/').next().unwrap_or_default().to_owned()
        })
        .collect();
    // `--profile` beats the environment's keys; `AWS_PROFILE` does not.
    assert_eq!(keys, ["AWS4-HMAC-SHA256 Credential=AKIDPROFILE", "AWS4-HMAC-SHA256 Credential=AKIDENVIRONMENT"]);
    assert_eq!(nothing.code, Some(1), "{nothing:?}");
    for part in ["no provider had credentials", "environment: ", "profile: ", "web identity: ", "instance metadata: "] {
        assert!(nothing.stderr.contains(part), "{part}: {}", nothing.stderr);
    }
}

#[test]
fn a_hung_service_is_given_up_on_after_the_read_timeout_and_the_attempts_are_counted() {
    // Accepted by the kernel, never answered.
    let silent = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", silent.local_addr().expect("local addr"));
    let input = r#"{"metricName":"temperature","metricType":"number"}"#;
    let args =
        ["iot", "create-custom-metric", "--cli-input-json", input, "--region", "us-east-1", "--endpoint-url", &url];
    let env = [("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"), ("AWS_SECRET_ACCESS_KEY", "SECRET"), ("AWS_MAX_ATTEMPTS", "2")];
    let run = cli_with_env(&[&args[..], &["--cli-read-timeout", "1"]].concat(), None, &env);
    assert_eq!(run.code, Some(1), "{run:?}");
    assert!(run.stderr.contains("request timed out after 1s (attempt timeout; 2 attempts)"), "{}", run.stderr);

    let run = cli_with_env(&[&args[..], &["--cli-connect-timeout", "soon"]].concat(), None, &env);
    assert_eq!(run.code, Some(2), "{run:?}");
    assert!(
        run.stderr.contains("`--cli-connect-timeout` takes whole seconds (0 for no limit), not `soon`"),
        "{}",
        run.stderr
    );
}

#[test]
fn missing_configuration_exits_1() {
    let input = r#"{"metricName":"temperature","metricType":"number"}"#;
    let run = cli(&["iot", "create-custom-metric", "--cli-input-json", input], None);
    assert_eq!(run.code, Some(1), "{run:?}");
    assert!(run.stderr.contains("no region: pass --region or set AWS_REGION"), "{}", run.stderr);
}
