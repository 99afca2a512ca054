//! The one place Rust names are made from Smithy names.
//!
//! Every function here is pure and deterministic: collision detection elsewhere compares
//! their outputs, so two calls with the same input always give the same name.
//!
//! The recipe is the same for every kind of name:
//!
//! 1. every character that is not ASCII alphanumeric or `_` becomes `_` (`t2.micro` ->
//!    `t2_micro`, `héllo` -> `h_llo`);
//! 2. a few AWS spellings that a case converter splits badly are normalised: acronym plurals
//!    (`ARNs` -> `Arns`), mixed-case words (`IPv6`, `IoT`, `MiB`, ...) and versions after an
//!    acronym (`SESv2` -> `SES_v2`);
//! 3. [`heck`] converts the case (UpperCamelCase keeps an `_` between two digits, so `1.2`
//!    stays readable as `1_2`);
//! 4. the result is made a valid, warning-free identifier:
//!    - an empty result becomes `Empty` / `empty`;
//!    - a result starting with a digit gets the prefix `Value` / `value_` (`1` -> `Value1`,
//!      `2xlarge` -> `value_2xlarge`): an `_` prefix would read as "unused";
//!    - Rust keywords become raw identifiers (`r#type`), except those that cannot be raw
//!      (`self`, `super`, `crate`, `Self`), which get an `_` suffix (`self_`, `Self_`);
//!      module names are never raw: every keyword gets the `_` suffix (`type_`).

use heck::{ToSnakeCase, ToUpperCamelCase};
use proc_macro2::{Ident, Span};

/// Rust type name (UpperCamelCase) for a shape name like `CreateMetricAttributionRequest`,
/// `resourceId`, `ARN`, `S3DataConfig`, `__listOfString`.
///
/// `Self` becomes `Self_`; a name starting with a digit gets the prefix `Value`; an empty
/// name becomes `Empty`.
pub fn type_name(smithy: &str) -> String {
    upper_camel(smithy)
}

/// Struct field / function / setter name (snake_case): `metricsOutputConfig` ->
/// `metrics_output_config`, `type` -> `r#type`, `self` -> `self_`, `S3Path` -> `s3_path`,
/// `ARNs` -> `arns`.
///
/// The result may be a raw identifier (`r#type`); use [`ident`] to turn it into an
/// [`Ident`], and [`unraw`] before composing it into a longer name (`set_` + `type`).
pub fn field_name(smithy: &str) -> String {
    let name = snake(smithy);
    if NON_RAW_KEYWORDS.contains(&name.as_str()) {
        format!("{name}_")
    } else if KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else {
        name
    }
}

/// Module name (snake_case, never a raw identifier: keywords get a `_` suffix): for operation
/// modules (`CreateMetricAttribution` -> `create_metric_attribution`) and service modules
/// from an sdkId (`Personalize` -> `personalize`, `IoT` -> `iot`,
/// `Elastic Load Balancing v2` -> `elastic_load_balancing_v2`).
///
/// Modules become file and directory names, which file systems limit (255 bytes on most): a
/// name longer than [`MAX_MODULE_NAME`] keeps its start and ends with a hash of the whole
/// name, so it stays unique and the same on every run.
pub fn module_name(smithy: &str) -> String {
    let name = snake(smithy);
    if KEYWORDS.contains(&name.as_str()) || NON_RAW_KEYWORDS.contains(&name.as_str()) {
        format!("{name}_")
    } else if name.len() > MAX_MODULE_NAME {
        // `_` and 8 hex digits; snake names are ASCII, so any byte is a character boundary.
        let start = name[..MAX_MODULE_NAME - 9].trim_end_matches('_');
        format!("{start}_{:08x}", fnv1a(name.as_bytes()))
    } else {
        name
    }
}

/// The longest module name, in bytes.
pub const MAX_MODULE_NAME: usize = 64;

/// 32-bit FNV-1a: a small hash that is the same on every platform and run.
fn fnv1a(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0x811c_9dc5, |hash, byte| (hash ^ u32::from(*byte)).wrapping_mul(0x0100_0193))
}

/// Enum variant name (UpperCamelCase) for an enum member name such as `STRING_LIST`,
/// `t2.micro`, `1`, ``, `ip-address-list`, `Unknown`.
///
/// `1` -> `Value1`, `` -> `Empty`, `t2.micro` -> `T2Micro`, `Self` -> `Self_`. Reserved
/// variants are not renamed here: see [`enum_variant_name`].
pub fn variant_name(smithy: &str) -> String {
    upper_camel(smithy)
}

/// An [`Ident`] for a name produced by this module, handling the `r#` prefix.
///
/// Never panics: a string that is not a valid identifier (which the functions here never
/// produce) is sanitised the way [`field_name`] would spell it, rather than rejected.
pub fn ident(name: &str) -> Ident {
    let span = Span::call_site();
    match name.strip_prefix("r#") {
        Some(raw) if is_plain_ident(raw) && !NON_RAW_KEYWORDS.contains(&raw) && raw != "_" => Ident::new_raw(raw, span),
        Some(raw) => ident(&field_name(raw)),
        None if is_plain_ident(name) => Ident::new(name, span),
        None => ident(&field_name(name)),
    }
}

/// `name` without a leading `r#`: the text to compose into longer names (`set_type`,
/// `TypeBuilder`) or to show to people.
pub fn unraw(name: &str) -> &str {
    name.strip_prefix("r#").unwrap_or(name)
}

/// Names the generator itself emits on builders, clients and the generated types (or that
/// generated code calls by method syntax); a member whose field name equals one of them is
/// renamed by appending `_value` (`build` -> `build_value`).
///
/// - `build`, `builder`: `Foo::builder()` and `FooBuilder::build()`;
/// - `send`, `customize`, `validate`, `as_input`, `config`, `into_future`: fluent operation
///   builders and clients;
/// - `new`, `default`, `clone`: an inherent getter with one of these names would shadow the
///   constructor or the derived trait method that generated and user code call;
/// - `call`, `swap_call`: the call slot of an operation's input builder (which holds the client
///   when it is the fluent builder) and the method that fills it.
pub const RESERVED_MEMBER_NAMES: &[&str] = &[
    "build",
    "builder",
    "call",
    "swap_call",
    "send",
    "customize",
    "validate",
    "as_input",
    "config",
    "into_future",
    "new",
    "default",
    "clone",
];

/// [`field_name`] plus the reserved-name renaming of [`RESERVED_MEMBER_NAMES`]
/// (`build` -> `build_value`).
pub fn member_name(smithy: &str) -> String {
    let name = field_name(smithy);
    if RESERVED_MEMBER_NAMES.contains(&name.as_str()) {
        format!("{name}_value")
    } else {
        name
    }
}

/// Variant names the generator reserves in enums and unions (`Unknown`, the variant for
/// values this version of the crate does not know); a member that would get one of them is
/// renamed with a `Value` suffix (`Unknown` -> `UnknownValue`).
pub const RESERVED_VARIANT_NAMES: &[&str] = &["Unknown"];

/// [`variant_name`] plus the reserved-name renaming of [`RESERVED_VARIANT_NAMES`]
/// (`UNKNOWN` -> `UnknownValue`).
pub fn enum_variant_name(smithy: &str) -> String {
    let name = variant_name(smithy);
    if RESERVED_VARIANT_NAMES.contains(&name.as_str()) {
        format!("{name}Value")
    } else {
        name
    }
}

/// The name of the builder the generator emits next to type `type_name` (a name produced by
/// [`type_name`]): `Foo` -> `FooBuilder`, `Self_` -> `SelfBuilder`.
///
/// The generator writes std types by absolute path (`::std::option::Option`, ...), so shapes
/// named `String`, `Option` or `Result` need no renaming; the builder suffix is what can
/// collide (a shape `Foo` next to a shape `FooBuilder`), which collision detection checks by
/// comparing the outputs of this function with the type names.
pub fn builder_name(type_name: &str) -> String {
    // `Self_` only carries its `_` to dodge the keyword; `Self_Builder` would read badly.
    let base = type_name.trim_end_matches('_');
    let base = if base.is_empty() { "Empty" } else { base };
    format!("{base}Builder")
}

/// Strict and reserved keywords of the 2015-2024 editions that may be raw identifiers.
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "dyn", "else", "enum", "extern", "false", "fn", "for", "if",
    "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "static", "struct", "trait",
    "true", "type", "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro", "override",
    "priv", "typeof", "unsized", "virtual", "yield", "try", "gen",
];

/// Keywords that cannot be raw identifiers (`r#self` is an error); they get an `_` suffix.
const NON_RAW_KEYWORDS: &[&str] = &["self", "Self", "super", "crate"];

/// Mixed-case words that AWS writes as one word but a case converter splits (`IPv6` would
/// become `i_pv6`), with the spelling that converts well.
const WHOLE_WORDS: &[(&str, &str)] = &[
    ("IPv4", "Ipv4"),
    ("IPv6", "Ipv6"),
    ("IoT", "Iot"),
    ("OAuth", "Oauth"),
    ("oAuth", "oauth"),
    ("KiB", "Kib"),
    ("MiB", "Mib"),
    ("GiB", "Gib"),
    ("TiB", "Tib"),
    ("PiB", "Pib"),
];

/// UpperCamelCase with the digit and empty fallbacks and the `Self` keyword handled.
fn upper_camel(smithy: &str) -> String {
    let words = normalize(smithy);
    // Convert each `_`-separated segment on its own so an `_` between two digits can be
    // kept: `1_2` -> `1_2` rather than `12` (rustc accepts `_` between caseless characters).
    let mut out = String::new();
    for segment in words.split('_') {
        let converted = segment.to_upper_camel_case();
        if converted.is_empty() {
            continue;
        }
        let ends_with_digit = out.ends_with(|c: char| c.is_ascii_digit());
        if ends_with_digit && converted.starts_with(|c: char| c.is_ascii_digit()) {
            out.push('_');
        }
        out.push_str(&converted);
    }
    if out.is_empty() {
        "Empty".to_owned()
    } else if out.starts_with(|c: char| c.is_ascii_digit()) {
        format!("Value{out}")
    } else if NON_RAW_KEYWORDS.contains(&out.as_str()) {
        format!("{out}_")
    } else {
        out
    }
}

/// snake_case with the digit and empty fallbacks; keywords are left to the callers.
fn snake(smithy: &str) -> String {
    let out = normalize(smithy).to_snake_case();
    if out.is_empty() {
        "empty".to_owned()
    } else if out.starts_with(|c: char| c.is_ascii_digit()) {
        format!("value_{out}")
    } else {
        out
    }
}

/// Steps 1 and 2 of the module recipe: ASCII-only characters, then the AWS spellings that
/// [`heck`] would split in the wrong place.
fn normalize(smithy: &str) -> String {
    let chars: Vec<char> = smithy.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect();
    let mut out = String::with_capacity(chars.len());
    let mut i = 0;
    while i < chars.len() {
        if let Some(len) = whole_word_at(&chars, i, &mut out) {
            i += len;
            continue;
        }
        if let Some(len) = acronym_plural_at(&chars, i, &mut out) {
            i += len;
            continue;
        }
        // `SESv2`: a version suffix after an acronym is a word of its own (not `SE` + `Sv2`).
        let after_acronym = i >= 2 && chars[i - 1].is_ascii_uppercase() && chars[i - 2].is_ascii_uppercase();
        let version = chars[i] == 'v' && chars.get(i + 1).is_some_and(char::is_ascii_digit);
        if after_acronym && version {
            out.push('_');
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// At `chars[i..]`, a [`WHOLE_WORDS`] entry not continued by a lowercase letter (so `IoT`
/// matches in `IoTData` but not in a longer word): writes its replacement and returns its
/// length.
fn whole_word_at(chars: &[char], i: usize, out: &mut String) -> Option<usize> {
    WHOLE_WORDS.iter().find_map(|(word, replacement)| {
        let len = word.chars().count();
        let candidate = chars.get(i..i + len)?;
        let matches = candidate.iter().copied().eq(word.chars());
        let next_is_lower = chars.get(i + len).is_some_and(|c| c.is_ascii_lowercase());
        if matches && !next_is_lower {
            out.push_str(replacement);
            Some(len)
        } else {
            None
        }
    })
}

/// At `chars[i..]`, two or more capitals followed by a plural `s` that ends the word
/// (`ARNs`, `IDs` in `ListIDsResponse`): writes it as one capitalised word (`Arns`) so the
/// case converter does not split it into `AR` + `Ns`. Returns the length consumed.
fn acronym_plural_at(chars: &[char], i: usize, out: &mut String) -> Option<usize> {
    // Only at the start of a run of capitals: `XARNs` must not match at `ARNs`.
    if i > 0 && chars[i - 1].is_ascii_uppercase() {
        return None;
    }
    let caps = chars[i..].iter().take_while(|c| c.is_ascii_uppercase()).count();
    if caps < 2 || chars.get(i + caps) != Some(&'s') {
        return None;
    }
    let ends_word = !matches!(chars.get(i + caps + 1), Some(c) if c.is_ascii_lowercase());
    if !ends_word {
        return None;
    }
    out.push(chars[i]);
    out.extend(chars[i + 1..i + caps].iter().map(char::to_ascii_lowercase));
    out.push('s');
    Some(caps + 1)
}

/// Whether `name` is an ASCII identifier (`[A-Za-z_][A-Za-z0-9_]*`), the only kind this
/// module makes; keywords count (proc-macro2 accepts them).
fn is_plain_ident(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    /// rustc's `non_camel_case_types` check (rustc_lint/src/nonstandard_style.rs).
    fn is_upper_camel(name: &str) -> bool {
        let name = name.trim_matches('_');
        let chars: Vec<char> = name.chars().collect();
        name.is_empty()
            || (!chars[0].is_lowercase()
                && !name.contains("__")
                && !chars
                    .windows(2)
                    .any(|w| (w[0].is_alphabetic() && w[1] == '_') || (w[1].is_alphabetic() && w[0] == '_')))
    }

    /// rustc's `non_snake_case` check.
    fn is_snake(name: &str) -> bool {
        let name = unraw(name).trim_matches('_');
        !name.contains("__") && !name.chars().any(char::is_uppercase)
    }

    /// The name parses as an identifier the way generated code would write it.
    fn assert_valid(name: &str) {
        assert!(!name.is_empty());
        // syn rejects keywords as plain identifiers, so this also catches a missed keyword.
        let parsed: syn::Ident = syn::parse_str(name).unwrap_or_else(|e| panic!("{name:?}: {e}"));
        assert_eq!(parsed.to_string(), name);
        let built = ident(name);
        assert_eq!(built.to_string(), name);
        syn::parse_str::<syn::Ident>(&built.to_string()).unwrap_or_else(|e| panic!("{name:?}: {e}"));
    }

    fn check_table(f: fn(&str) -> String, table: &[(&str, &str)], style: fn(&str) -> bool) {
        let mut failures = Vec::new();
        for (input, expected) in table {
            let actual = f(input);
            if actual != *expected {
                failures.push(format!("{input:?}: expected {expected:?}, got {actual:?}"));
            }
            assert_valid(&actual);
            assert!(style(&actual), "{actual:?} (from {input:?}) is not the expected style");
        }
        assert!(failures.is_empty(), "\n{}", failures.join("\n"));
    }

    /// Inputs every function is also checked against for validity and style.
    const ODD_INPUTS: &[&str] = &[
        "",
        "_",
        "__",
        "-",
        "1",
        "123abc",
        "a.b-c d",
        "héllo",
        "日本語",
        "Ünïcödé",
        "self",
        "Self",
        "SELF",
        "super",
        "crate",
        "extern",
        "type",
        "r#type",
        "_1",
        "1_2",
        "__proto__",
        "A__B",
        "a__b",
        "x86_64",
        "ARNs",
        "IDs",
        "IoT",
        "IPv6",
        "MiBps",
        "\u{0}",
        " ",
        "\n\t",
        "a\u{301}",
        "Unknown",
        "build",
        "🦀",
        "Option",
        "Result",
        "gen",
        "try",
        "union",
    ];

    #[test]
    fn type_names() {
        check_table(
            type_name,
            &[
                ("CreateMetricAttributionRequest", "CreateMetricAttributionRequest"),
                ("CreateMetricAttribution", "CreateMetricAttribution"),
                ("metricsOutputConfig", "MetricsOutputConfig"),
                ("datasetGroupArn", "DatasetGroupArn"),
                ("clientRequestToken", "ClientRequestToken"),
                ("resourceId", "ResourceId"),
                ("ARN", "Arn"),
                ("ARNs", "Arns"),
                ("ListARNsRequest", "ListArnsRequest"),
                ("S3DataConfig", "S3DataConfig"),
                ("s3DataDestination", "S3DataDestination"),
                ("KMSKeyArn", "KmsKeyArn"),
                ("__listOfString", "ListOfString"),
                ("__listOf__PeriodTriggersElement", "ListOfPeriodTriggersElement"),
                ("__stringMin1Max128", "StringMin1Max128"),
                ("IPv6Address", "Ipv6Address"),
                ("IoT", "Iot"),
                ("AwsIoTAnalytics", "AwsIotAnalytics"),
                ("EC2InstanceType", "Ec2InstanceType"),
                ("Route53Domains", "Route53Domains"),
                ("type", "Type"),
                ("self", "Self_"),
                ("Self", "Self_"),
                ("SELF", "Self_"),
                ("super", "Super"),
                ("crate", "Crate"),
                ("box", "Box"),
                ("Box", "Box"),
                ("async", "Async"),
                ("Result", "Result"),
                ("Option", "Option"),
                ("String", "String"),
                ("Vec", "Vec"),
                ("Error", "Error"),
                ("Unknown", "Unknown"),
                ("a.b-c d", "ABCD"),
                ("héllo", "HLlo"),
                ("日本語", "Empty"),
                ("", "Empty"),
                ("---", "Empty"),
                ("1", "Value1"),
                ("1Password", "Value1password"),
                ("x86_64", "X86_64"),
                ("GiB", "Gib"),
                ("SizeInMiB", "SizeInMib"),
                ("IDs", "Ids"),
                ("HTTPSettings", "HttpSettings"),
                ("SSEKMS", "Ssekms"),
                ("DBClusterSnapshot", "DbClusterSnapshot"),
                ("VPCEndpointIDs", "VpcEndpointIds"),
                ("IAMRoleARNs", "IamRoleArns"),
                ("__integerMin0Max15", "IntegerMin0Max15"),
                ("SESv2Destination", "SesV2Destination"),
                ("OAuth2Config", "Oauth2Config"),
                ("X509CertificateData", "X509CertificateData"),
                ("ResourceNotFoundException", "ResourceNotFoundException"),
            ],
            is_upper_camel,
        );
    }

    #[test]
    fn field_names() {
        check_table(
            field_name,
            &[
                ("metricsOutputConfig", "metrics_output_config"),
                ("datasetGroupArn", "dataset_group_arn"),
                ("clientRequestToken", "client_request_token"),
                ("S3DataConfig", "s3_data_config"),
                ("s3DataDestination", "s3_data_destination"),
                ("S3Path", "s3_path"),
                ("KMSKeyArn", "kms_key_arn"),
                ("kmsKeyArn", "kms_key_arn"),
                ("resourceId", "resource_id"),
                ("ARNs", "arns"),
                ("roleARNs", "role_arns"),
                ("IDs", "ids"),
                ("ListIDsForX", "list_ids_for_x"),
                ("IPv6Address", "ipv6_address"),
                ("ipv6Address", "ipv6_address"),
                ("IPv4Cidr", "ipv4_cidr"),
                ("IoT", "iot"),
                ("iotJobId", "iot_job_id"),
                ("sizeInGiB", "size_in_gib"),
                ("type", "r#type"),
                ("Type", "r#type"),
                ("TYPE", "r#type"),
                ("self", "self_"),
                ("Self", "self_"),
                ("super", "super_"),
                ("crate", "crate_"),
                ("extern", "r#extern"),
                ("box", "r#box"),
                ("async", "r#async"),
                ("await", "r#await"),
                ("dyn", "r#dyn"),
                ("match", "r#match"),
                ("ref", "r#ref"),
                ("static", "r#static"),
                ("struct", "r#struct"),
                ("in", "r#in"),
                ("else", "r#else"),
                ("move", "r#move"),
                ("try", "r#try"),
                ("gen", "r#gen"),
                ("yield", "r#yield"),
                ("union", "union"),
                ("Result", "result"),
                ("Option", "option"),
                ("String", "string"),
                ("build", "build"),
                ("__listOfString", "list_of_string"),
                ("a.b-c d", "a_b_c_d"),
                ("héllo", "h_llo"),
                ("", "empty"),
                ("1", "value_1"),
                ("2xlarge", "value_2xlarge"),
                ("x86_64", "x86_64"),
                ("STRING_LIST", "string_list"),
                ("NextToken", "next_token"),
                ("maxResults", "max_results"),
                ("VPCEndpointIDs", "vpc_endpoint_ids"),
                ("oAuth2Token", "oauth2_token"),
                ("x509Certificate", "x509_certificate"),
                ("base64Data", "base64_data"),
                ("numberOfGPUs", "number_of_gpus"),
                ("httpsEndpoint", "https_endpoint"),
            ],
            is_snake,
        );
    }

    #[test]
    fn long_module_names_are_bounded_unique_and_stable() {
        let a = module_name(&format!("Op{}", "x".repeat(298)));
        let b = module_name(&format!("Op{}y", "x".repeat(297)));
        assert_eq!(a.len(), MAX_MODULE_NAME);
        assert!(a.starts_with("opxxx") && b.starts_with("opxxx"), "{a}");
        assert_ne!(a, b);
        assert_eq!(a, module_name(&format!("Op{}", "x".repeat(298))));
        assert_valid(&a);
        assert!(is_snake(&a), "{a}");
        let exact = "a".repeat(MAX_MODULE_NAME);
        assert_eq!(module_name(&exact), exact);
        // Words cut at the limit leave no `__` before the hash.
        let words = module_name(&"ab_".repeat(40));
        assert!(!words.contains("__") && words.len() <= MAX_MODULE_NAME, "{words}");
    }

    #[test]
    fn module_names() {
        check_table(
            module_name,
            &[
                ("CreateMetricAttribution", "create_metric_attribution"),
                ("DescribeMetricAttribution", "describe_metric_attribution"),
                ("ListTagsForResource", "list_tags_for_resource"),
                ("Personalize", "personalize"),
                ("IoT", "iot"),
                ("IoT Data Plane", "iot_data_plane"),
                ("IoT Events Data", "iot_events_data"),
                ("Elastic Load Balancing v2", "elastic_load_balancing_v2"),
                ("ACM PCA", "acm_pca"),
                ("API Gateway", "api_gateway"),
                ("ECR PUBLIC", "ecr_public"),
                ("CloudHSM V2", "cloud_hsm_v2"),
                ("Route 53 Domains", "route_53_domains"),
                ("EC2", "ec2"),
                ("S3", "s3"),
                ("type", "type_"),
                ("self", "self_"),
                ("Self", "self_"),
                ("super", "super_"),
                ("crate", "crate_"),
                ("mod", "mod_"),
                ("box", "box_"),
                ("async", "async_"),
                ("extern", "extern_"),
                ("", "empty"),
                ("1", "value_1"),
                ("a.b-c d", "a_b_c_d"),
                ("héllo", "h_llo"),
                ("Application Auto Scaling", "application_auto_scaling"),
                ("CloudWatch Logs", "cloud_watch_logs"),
                ("DynamoDB Streams", "dynamo_db_streams"),
                ("EC2 Instance Connect", "ec2_instance_connect"),
                ("IVS RealTime", "ivs_real_time"),
                ("S3 Control", "s3_control"),
                ("SESv2", "ses_v2"),
                ("WAFV2", "wafv2"),
                ("Lex Models V2", "lex_models_v2"),
                ("Cost and Usage Report Service", "cost_and_usage_report_service"),
                ("CodeStar connections", "code_star_connections"),
                ("Pinpoint SMS Voice V2", "pinpoint_sms_voice_v2"),
                ("IoT Wireless", "iot_wireless"),
                ("IoTFleetWise", "iot_fleet_wise"),
                ("finspace data", "finspace_data"),
                ("MediaPackageV2", "media_package_v2"),
                ("Bedrock Agent Runtime", "bedrock_agent_runtime"),
                ("GetIoTDeviceStatus", "get_iot_device_status"),
                ("DescribeDBClusters", "describe_db_clusters"),
                ("ListARNs", "list_arns"),
                ("BatchGetItem", "batch_get_item"),
                ("CreateOAuth2Token", "create_oauth2_token"),
            ],
            is_snake,
        );
    }

    #[test]
    fn variant_names() {
        check_table(
            variant_name,
            &[
                ("STRING_LIST", "StringList"),
                ("STRING", "String"),
                ("t2.micro", "T2Micro"),
                ("t2_micro", "T2Micro"),
                ("c4.large.elasticsearch", "C4LargeElasticsearch"),
                ("r5ad_2xlarge", "R5ad2xlarge"),
                ("1", "Value1"),
                ("1.2", "Value1_2"),
                ("12", "Value12"),
                ("2xlarge", "Value2xlarge"),
                ("", "Empty"),
                ("ip-address-list", "IpAddressList"),
                ("Unknown", "Unknown"),
                ("UNKNOWN", "Unknown"),
                ("AWS::EC2::Instance", "AwsEc2Instance"),
                ("utf_8", "Utf8"),
                ("euc_jisx0213", "EucJisx0213"),
                ("leftEyeBrowLeft", "LeftEyeBrowLeft"),
                ("IPv6", "Ipv6"),
                ("Self", "Self_"),
                ("self", "Self_"),
                ("type", "Type"),
                ("a.b-c d", "ABCD"),
                ("héllo", "HLlo"),
                ("*", "Empty"),
                ("AWS::DataSync::LocationNFS", "AwsDataSyncLocationNfs"),
                ("AWS::Route53Resolver::ResolverRule", "AwsRoute53ResolverResolverRule"),
                ("CBR-AAC_HQ-256000", "CbrAacHq256000"),
                ("One or more inputs to this request were not found.", "OneOrMoreInputsToThisRequestWereNotFound"),
                ("custom-resource", "CustomResource"),
                ("fr-FR", "FrFr"),
                ("m5.xlarge.elasticsearch", "M5XlargeElasticsearch"),
                ("m6a.8xlarge", "M6a8xlarge"),
                ("ml.c4.8xlarge", "MlC4_8xlarge"),
                ("nodejs8.10", "Nodejs8_10"),
                ("public-read-write", "PublicReadWrite"),
                ("r3.2xlarge.search", "R3_2xlargeSearch"),
                ("r6gd.medium", "R6gdMedium"),
                ("r7i.xlarge", "R7iXlarge"),
                ("scn.data.shipmentstoporder", "ScnDataShipmentstoporder"),
                ("tag-key", "TagKey"),
                ("in-port-set", "InPortSet"),
                ("ACTIVE", "Active"),
                ("IN_PROGRESS", "InProgress"),
                ("CREATE_FAILED", "CreateFailed"),
                ("SHA256", "Sha256"),
                ("X509", "X509"),
                ("TLS_1_2", "Tls1_2"),
                ("utf8", "Utf8"),
                ("HTTP_2", "Http2"),
            ],
            is_upper_camel,
        );
    }

    #[test]
    fn member_names() {
        check_table(
            member_name,
            &[
                ("build", "build_value"),
                ("Build", "build_value"),
                ("builder", "builder_value"),
                ("Call", "call_value"),
                ("swapCall", "swap_call_value"),
                ("send", "send_value"),
                ("customize", "customize_value"),
                ("validate", "validate_value"),
                ("asInput", "as_input_value"),
                ("config", "config_value"),
                ("Config", "config_value"),
                ("default", "default_value"),
                ("new", "new_value"),
                ("clone", "clone_value"),
                ("type", "r#type"),
                ("self", "self_"),
                ("buildId", "build_id"),
                ("metricsOutputConfig", "metrics_output_config"),
                ("unknown", "unknown"),
            ],
            is_snake,
        );
        for name in RESERVED_MEMBER_NAMES {
            assert_eq!(member_name(name), format!("{name}_value"));
            assert_eq!(field_name(name), *name, "reserved names must be what field_name emits");
        }
    }

    #[test]
    fn enum_variant_names() {
        check_table(
            enum_variant_name,
            &[
                ("Unknown", "UnknownValue"),
                ("UNKNOWN", "UnknownValue"),
                ("unknown", "UnknownValue"),
                ("UnknownError", "UnknownError"),
                ("STRING_LIST", "StringList"),
                ("1", "Value1"),
                ("", "Empty"),
            ],
            is_upper_camel,
        );
        for name in RESERVED_VARIANT_NAMES {
            assert_eq!(enum_variant_name(name), format!("{name}Value"));
        }
    }

    #[test]
    fn builder_names() {
        assert_eq!(builder_name("Foo"), "FooBuilder");
        assert_eq!(builder_name("CreateMetricAttributionInput"), "CreateMetricAttributionInputBuilder");
        assert_eq!(builder_name(&type_name("Self")), "SelfBuilder");
        assert_eq!(builder_name(""), "EmptyBuilder");
        for input in ODD_INPUTS {
            let name = builder_name(&type_name(input));
            assert_valid(&name);
            assert!(is_upper_camel(&name), "{name:?}");
        }
    }

    #[test]
    fn idents() {
        assert_eq!(ident("r#type").to_string(), "r#type");
        assert_eq!(ident("self_").to_string(), "self_");
        assert_eq!(ident("Foo").to_string(), "Foo");
        // Not produced by this module, but must not panic.
        assert_eq!(ident("r#self").to_string(), "self_");
        assert_eq!(ident("r#_").to_string(), "empty");
        assert_eq!(ident("").to_string(), "empty");
        assert_eq!(ident("a-b").to_string(), "a_b");
        assert_eq!(ident("1a").to_string(), "value_1a");
        assert_eq!(ident("r#").to_string(), "empty");
        assert_eq!(ident("type").to_string(), "type");
        assert_eq!(unraw("r#type"), "type");
        assert_eq!(unraw("type_"), "type_");
    }

    #[test]
    fn odd_inputs_give_valid_warning_free_names() {
        for input in ODD_INPUTS {
            for (name, camel) in [
                (type_name(input), true),
                (variant_name(input), true),
                (enum_variant_name(input), true),
                (field_name(input), false),
                (member_name(input), false),
                (module_name(input), false),
            ] {
                assert_valid(&name);
                let styled = if camel { is_upper_camel(&name) } else { is_snake(&name) };
                assert!(styled, "{name:?} from {input:?}");
            }
            assert!(!module_name(input).starts_with("r#"));
        }
    }

    #[test]
    fn every_keyword_is_handled() {
        for keyword in KEYWORDS.iter().chain(NON_RAW_KEYWORDS) {
            assert_valid(&field_name(keyword));
            assert_valid(&member_name(keyword));
            assert_valid(&module_name(keyword));
            assert_valid(&type_name(keyword));
            assert_valid(&variant_name(keyword));
            assert!(!module_name(keyword).starts_with("r#"));
        }
    }

    #[test]
    fn deterministic() {
        for input in ODD_INPUTS {
            assert_eq!(type_name(input), type_name(input));
            assert_eq!(field_name(input), field_name(input));
        }
    }
}
