//! Paginated operations on the command line, as the AWS CLI pages them.
//!
//! By default every page is fetched and the pages are merged into one response: the first
//! page's members, with the items (the trait's `items`, a list or a map) of every page
//! concatenated and the output token removed. Options:
//!
//! - `--no-paginate`: one call, its response printed as the service sent it (token included);
//! - `--page-size N`: sets the trait's `pageSize` member of every call;
//! - `--max-items N`: prints at most N items; when more are left, the response gets a
//!   `NextToken` member that resumes after the last one printed;
//! - `--starting-token T`: resumes where such a `NextToken` left off, or starts at a token the
//!   service returned.
//!
//! A `NextToken` of `--max-items` is, as in the AWS CLI, base64 of a JSON object: the service
//! token to send (under the input token member's name, absent for the first page) and
//! `boto_truncate_amount`, the number of items of that page already printed. A starting token
//! that is not such an object is sent to the service as it is.
//!
//! Operations whose trait names no items cannot be merged: they are called once, their response
//! printed as it is (with its token for `--starting-token`), and `--max-items` is refused.
//!
//! A service that returns the token it was sent ends the pages, as the library's paginators do.

use super::{Failure, Operation, Paginated};
use base64::Engine as _;
use serde_json::{Map, Value};

/// The pagination options of a command line, checked against its operation.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(super) struct Flags {
    /// `--no-paginate`, or an operation whose pages cannot be merged: one call, printed as is.
    pub(super) single_page: bool,
    /// `--max-items`.
    pub(super) max_items: Option<usize>,
    /// `--page-size`.
    pub(super) page_size: Option<u64>,
    /// `--starting-token`, decoded.
    pub(super) start: Start,
}

/// Where the first page starts.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(super) struct Start {
    /// The service token to send with the first call.
    pub(super) token: Option<Value>,
    /// How many items of the first page were already printed.
    pub(super) skip: usize,
}

/// The options as given on the command line.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct Given<'a> {
    /// `--no-paginate`.
    pub(super) no_paginate: bool,
    /// `--max-items`.
    pub(super) max_items: Option<&'a str>,
    /// `--page-size`.
    pub(super) page_size: Option<&'a str>,
    /// `--starting-token`.
    pub(super) starting_token: Option<&'a str>,
}

/// The name of the member a truncated response gets, as in the AWS CLI.
const NEXT_TOKEN: &str = "NextToken";
/// The key of the number of items already printed, in tokens of `--max-items`.
const TRUNCATE_AMOUNT: &str = "boto_truncate_amount";

/// Checks the pagination options `given` for `operation`.
pub(super) fn flags(given: Given<'_>, operation: &Operation) -> Result<Option<Flags>, Failure> {
    let Some(paginated) = operation.paginated else {
        let used = [
            ("--no-paginate", given.no_paginate),
            ("--max-items", given.max_items.is_some()),
            ("--page-size", given.page_size.is_some()),
            ("--starting-token", given.starting_token.is_some()),
        ];
        if let Some((option, _)) = used.iter().find(|(_, used)| *used) {
            return Err(Failure::usage(format!(
                "`{option}` applies only to paginated operations; {} is not paginated",
                operation.model_name
            )));
        }
        return Ok(None);
    };
    let count = |option: &str, text: Option<&str>| -> Result<Option<u64>, Failure> {
        let Some(text) = text else { return Ok(None) };
        match text.trim().parse::<u64>() {
            Ok(n) if n > 0 => Ok(Some(n)),
            _ => Err(Failure::usage(format!("`{option}` takes a positive whole number, not `{text}`"))),
        }
    };
    let max_items = count("--max-items", given.max_items)?;
    let page_size = count("--page-size", given.page_size)?;
    if page_size.is_some() && paginated.page_size.is_none() {
        return Err(Failure::usage(format!("{} has no page size member; drop `--page-size`", operation.model_name)));
    }
    if max_items.is_some() {
        if given.no_paginate {
            return Err(Failure::usage("`--max-items` pages through results; it cannot go with `--no-paginate`"));
        }
        if paginated.items.is_none() {
            return Err(Failure::usage(format!(
                "{} names no items to count, so `--max-items` cannot apply; use `--no-paginate` and `--starting-token`",
                operation.model_name
            )));
        }
    }
    let start = match given.starting_token {
        Some(text) => decode_token(text, paginated.input_token),
        None => Start::default(),
    };
    Ok(Some(Flags {
        single_page: given.no_paginate || paginated.items.is_none(),
        max_items: max_items.map(|n| usize::try_from(n).unwrap_or(usize::MAX)),
        page_size,
        start,
    }))
}

/// Reads a `--starting-token`: a token of `--max-items`, else a service token.
pub(super) fn decode_token(text: &str, input_token: &str) -> Start {
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(text.trim())
        .ok()
        .and_then(|bytes| serde_json::from_slice::<Map<String, Value>>(&bytes).ok());
    match decoded {
        Some(mut object) if object.contains_key(TRUNCATE_AMOUNT) || object.contains_key(input_token) => {
            let skip = object.remove(TRUNCATE_AMOUNT).and_then(|n| n.as_u64()).unwrap_or(0);
            Start { token: object.remove(input_token), skip: usize::try_from(skip).unwrap_or(usize::MAX) }
        }
        _ => Start { token: Some(Value::String(text.to_owned())), skip: 0 },
    }
}

/// The `NextToken` that resumes at `token` after `skip` items of its page.
pub(super) fn encode_token(input_token: &str, token: Option<&Value>, skip: usize) -> String {
    let mut object = Map::new();
    if let Some(token) = token {
        object.insert(input_token.to_owned(), token.clone());
    }
    if skip > 0 {
        object.insert(TRUNCATE_AMOUNT.to_owned(), Value::from(skip));
    }
    base64::engine::general_purpose::STANDARD.encode(Value::Object(object).to_string())
}

/// Sets the page size and the starting token in the input JSON of the first call.
pub(super) fn prepare_input(input: &mut Value, paginated: &Paginated, flags: &Flags) {
    let Some(object) = input.as_object_mut() else { return };
    if let (Some(size), Some(member)) = (flags.page_size, paginated.page_size) {
        object.insert(member.to_owned(), Value::from(size));
    }
    if let Some(token) = &flags.start.token {
        object.insert(paginated.input_token.to_owned(), token.clone());
    }
}

/// Fetches the pages with `page` (input JSON in, output JSON out) from `input` and merges them
/// as the [module documentation](self) says.
pub(super) fn collect(
    paginated: &Paginated,
    flags: &Flags,
    mut input: Value,
    mut page: impl FnMut(Value) -> Result<Value, Failure>,
) -> Result<Value, Failure> {
    let first = page(input.clone())?;
    let Some(items_path) = paginated.items.filter(|_| !flags.single_page) else { return Ok(first) };
    let mut merged: Option<Value> = None;
    let mut items = Collected::default();
    let mut sent = flags.start.token.clone();
    let mut skip = flags.start.skip;
    let mut output = first;
    let mut resume = None;
    loop {
        let mut page_items = take(&mut output, items_path);
        page_items.drop_front(skip);
        let next = token_at(&output, paginated.output_token).cloned();
        if merged.is_none() {
            merged = Some(output);
        }
        if let Some(max) = flags.max_items {
            let room = max.saturating_sub(items.len());
            if page_items.len() > room {
                page_items.truncate(room);
                items.append(page_items);
                resume = Some(encode_token(paginated.input_token, sent.as_ref(), skip + room));
                break;
            }
        }
        items.append(page_items);
        let Some(next) = next else { break };
        if flags.max_items == Some(items.len()) {
            resume = Some(encode_token(paginated.input_token, Some(&next), 0));
            break;
        }
        if sent.as_ref() == Some(&next) {
            break;
        }
        if let Some(object) = input.as_object_mut() {
            object.insert(paginated.input_token.to_owned(), next.clone());
        }
        sent = Some(next);
        skip = 0;
        output = page(input.clone())?;
    }
    let mut merged = merged.unwrap_or_else(|| Value::Object(Map::new()));
    remove_at(&mut merged, paginated.output_token);
    if let Some(all) = items.into_value() {
        put_at(&mut merged, items_path, all);
    }
    if let (Some(token), Some(object)) = (resume, merged.as_object_mut()) {
        object.insert(NEXT_TOKEN.to_owned(), Value::String(token));
    }
    Ok(merged)
}

/// The items of the pages so far: a list's, or a map's entries.
#[derive(Debug, Default)]
enum Collected {
    /// No page had items yet.
    #[default]
    None,
    /// List items.
    List(Vec<Value>),
    /// Map entries.
    Map(Vec<(String, Value)>),
}

impl Collected {
    fn len(&self) -> usize {
        match self {
            Collected::None => 0,
            Collected::List(items) => items.len(),
            Collected::Map(entries) => entries.len(),
        }
    }

    fn drop_front(&mut self, n: usize) {
        match self {
            Collected::None => {}
            Collected::List(items) => drop(items.drain(..n.min(items.len()))),
            Collected::Map(entries) => drop(entries.drain(..n.min(entries.len()))),
        }
    }

    fn truncate(&mut self, n: usize) {
        match self {
            Collected::None => {}
            Collected::List(items) => items.truncate(n),
            Collected::Map(entries) => entries.truncate(n),
        }
    }

    fn append(&mut self, page: Collected) {
        match (&mut *self, page) {
            (_, Collected::None) => {}
            (Collected::None, page) => *self = page,
            (Collected::List(items), Collected::List(more)) => items.extend(more),
            (Collected::Map(entries), Collected::Map(more)) => entries.extend(more),
            // A page of the other kind cannot come from one model; keep what was there.
            _ => {}
        }
    }

    fn into_value(self) -> Option<Value> {
        match self {
            Collected::None => None,
            Collected::List(items) => Some(Value::Array(items)),
            Collected::Map(entries) => Some(Value::Object(entries.into_iter().collect())),
        }
    }
}

/// Takes the list or map at `path` out of `value`.
fn take(value: &mut Value, path: &[&str]) -> Collected {
    let Some((last, parents)) = path.split_last() else { return Collected::None };
    let mut at = value;
    for key in parents {
        match at.get_mut(*key) {
            Some(next) => at = next,
            None => return Collected::None,
        }
    }
    match at.as_object_mut().and_then(|object| object.remove(*last)) {
        Some(Value::Array(items)) => Collected::List(items),
        Some(Value::Object(entries)) => Collected::Map(entries.into_iter().collect()),
        _ => Collected::None,
    }
}

/// The token at `path`, unless it is absent, null or empty.
fn token_at<'a>(value: &'a Value, path: &[&str]) -> Option<&'a Value> {
    let token = path.iter().try_fold(value, |at, key| at.get(*key))?;
    let empty = match token {
        Value::Null => true,
        Value::String(text) => text.is_empty(),
        Value::Object(object) => object.is_empty(),
        Value::Array(items) => items.is_empty(),
        _ => false,
    };
    (!empty).then_some(token)
}

/// Removes the member at `path`.
fn remove_at(value: &mut Value, path: &[&str]) {
    let Some((last, parents)) = path.split_last() else { return };
    let parent = parents.iter().try_fold(value, |at, key| at.get_mut(*key));
    if let Some(object) = parent.and_then(Value::as_object_mut) {
        object.remove(*last);
    }
}

/// Sets the member at `path` to `item`, creating the objects on the way.
fn put_at(value: &mut Value, path: &[&str], item: Value) {
    let Some((last, parents)) = path.split_last() else { return };
    let mut at = value;
    for key in parents {
        let Some(object) = at.as_object_mut() else { return };
        at = object.entry(*key).or_insert_with(|| Value::Object(Map::new()));
    }
    if let Some(object) = at.as_object_mut() {
        object.insert((*last).to_owned(), item);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    static THINGS: Paginated = Paginated {
        input_token: "NextToken",
        output_token: &["NextToken"],
        items: Some(&["Things"]),
        page_size: Some("MaxResults"),
    };

    static TAGS: Paginated = Paginated {
        input_token: "Marker",
        output_token: &["Result", "NextMarker"],
        items: Some(&["Result", "Tags"]),
        page_size: None,
    };

    /// Serves `pages` (keyed by the token sent, `""` for none) and records the inputs.
    fn serve(pages: Value, inputs: &mut Vec<Value>) -> impl FnMut(Value) -> Result<Value, Failure> + '_ {
        move |input| {
            let token = input.get("NextToken").or_else(|| input.get("Marker")).and_then(Value::as_str).unwrap_or("");
            inputs.push(input.clone());
            Ok(pages[token].clone())
        }
    }

    fn things() -> Value {
        json!({
            "": { "Things": [1, 2], "NextToken": "a", "Count": 2 },
            "a": { "Things": [3, 4], "NextToken": "b", "Count": 2 },
            "b": { "Things": [5], "Count": 1 },
        })
    }

    fn run(flags: &Flags, input: Value) -> (Value, Vec<Value>) {
        let mut inputs = Vec::new();
        let mut input = input;
        prepare_input(&mut input, &THINGS, flags);
        let merged = collect(&THINGS, flags, input, serve(things(), &mut inputs)).expect("pages");
        (merged, inputs)
    }

    #[test]
    fn every_page_is_fetched_and_merged_into_the_first() {
        let flags = Flags { page_size: Some(2), ..Flags::default() };
        let (merged, inputs) = run(&flags, json!({ "Prefix": "p" }));
        assert_eq!(merged, json!({ "Things": [1, 2, 3, 4, 5], "Count": 2 }));
        assert_eq!(
            inputs,
            [
                json!({ "Prefix": "p", "MaxResults": 2 }),
                json!({ "Prefix": "p", "MaxResults": 2, "NextToken": "a" }),
                json!({ "Prefix": "p", "MaxResults": 2, "NextToken": "b" }),
            ]
        );
    }

    #[test]
    fn max_items_truncates_and_its_token_resumes_where_it_stopped() {
        let mut printed = Vec::new();
        let mut flags = Flags { max_items: Some(3), ..Flags::default() };
        let mut calls = 0;
        for _ in 0..3 {
            let (merged, inputs) = run(&flags, json!({}));
            calls += inputs.len();
            printed.extend(merged["Things"].as_array().expect("items").iter().cloned());
            let Some(token) = merged.get(NEXT_TOKEN).and_then(Value::as_str) else { break };
            flags.start = decode_token(token, "NextToken");
        }
        assert_eq!(printed, [1, 2, 3, 4, 5].map(Value::from));
        // 1 2 | 3 (page a, stop after 1) -> 4 (page a from 1) | 5
        assert_eq!(calls, 4);
    }

    #[test]
    fn max_items_on_a_page_boundary_resumes_at_the_next_page() {
        let flags = Flags { max_items: Some(2), ..Flags::default() };
        let (merged, inputs) = run(&flags, json!({}));
        assert_eq!(merged["Things"], json!([1, 2]));
        assert_eq!(inputs.len(), 1);
        let start = decode_token(merged[NEXT_TOKEN].as_str().expect("a token"), "NextToken");
        assert_eq!(start, Start { token: Some(json!("a")), skip: 0 });
    }

    #[test]
    fn tokens_of_max_items_are_base64_json_and_other_tokens_are_sent_as_they_are() {
        let token = encode_token("NextToken", Some(&json!("a")), 1);
        let decoded = base64::engine::general_purpose::STANDARD.decode(&token).expect("base64");
        assert_eq!(
            serde_json::from_slice::<Value>(&decoded).expect("JSON"),
            json!({ "NextToken": "a", "boto_truncate_amount": 1 })
        );
        assert_eq!(decode_token(&token, "NextToken"), Start { token: Some(json!("a")), skip: 1 });
        assert_eq!(
            decode_token("opaque-token==", "NextToken"),
            Start { token: Some(json!("opaque-token==")), skip: 0 }
        );
        let first_page = encode_token("NextToken", None, 2);
        assert_eq!(decode_token(&first_page, "NextToken"), Start { token: None, skip: 2 });
    }

    #[test]
    fn a_repeated_token_ends_the_pages() {
        let pages = json!({ "": { "Things": [1], "NextToken": "a" }, "a": { "Things": [2], "NextToken": "a" } });
        let mut inputs = Vec::new();
        let merged = collect(&THINGS, &Flags::default(), json!({}), serve(pages, &mut inputs)).expect("pages");
        assert_eq!(merged, json!({ "Things": [1, 2] }));
        assert_eq!(inputs.len(), 2);
    }

    #[test]
    fn nested_map_items_are_merged_and_the_nested_token_removed() {
        let pages = json!({
            "": { "Result": { "Tags": { "a": "1", "b": "2" }, "NextMarker": "m" } },
            "m": { "Result": { "Tags": { "c": "3" }, "NextMarker": "" } },
        });
        let mut inputs = Vec::new();
        let merged =
            collect(&TAGS, &Flags::default(), json!({ "Resource": "r" }), serve(pages, &mut inputs)).expect("pages");
        assert_eq!(merged, json!({ "Result": { "Tags": { "a": "1", "b": "2", "c": "3" } } }));
        assert_eq!(inputs[1], json!({ "Resource": "r", "Marker": "m" }));
    }

    #[test]
    fn no_paginate_prints_the_first_page_as_it_is() {
        let flags = Flags { single_page: true, ..Flags::default() };
        let (merged, inputs) = run(&flags, json!({}));
        assert_eq!(merged, json!({ "Things": [1, 2], "NextToken": "a", "Count": 2 }));
        assert_eq!(inputs.len(), 1);
    }

    #[test]
    fn options_are_checked_against_the_operation() {
        let [list_things, put_thing] = super::super::table::SERVICES[0].operations else { panic!("two operations") };
        let given = Given { max_items: Some("2"), starting_token: Some("t"), ..Given::default() };
        let checked = flags(given, list_things).expect("valid").expect("paginated");
        assert_eq!(checked.max_items, Some(2));
        assert_eq!(checked.start, Start { token: Some(json!("t")), skip: 0 });
        assert!(!checked.single_page);
        let usage =
            |given: Given<'_>, operation| flags(given, operation).expect_err("a usage error").message().to_owned();
        assert_eq!(
            usage(Given { max_items: Some("2"), ..Given::default() }, put_thing),
            "`--max-items` applies only to paginated operations; PutThing is not paginated"
        );
        assert_eq!(
            usage(Given { max_items: Some("0"), ..Given::default() }, list_things),
            "`--max-items` takes a positive whole number, not `0`"
        );
        assert_eq!(
            usage(Given { page_size: Some("5"), ..Given::default() }, list_things),
            "ListThings has no page size member; drop `--page-size`"
        );
        assert_eq!(
            usage(Given { no_paginate: true, max_items: Some("1"), ..Given::default() }, list_things),
            "`--max-items` pages through results; it cannot go with `--no-paginate`"
        );
        assert_eq!(flags(Given::default(), put_thing).expect("valid"), None);
    }

    #[test]
    fn an_error_ends_the_pages() {
        let mut calls = 0;
        let failed = collect(&THINGS, &Flags::default(), json!({}), |_| {
            calls += 1;
            match calls {
                1 => Ok(json!({ "Things": [1], "NextToken": "a" })),
                _ => Err(Failure::call("ListThings failed: refused")),
            }
        });
        assert_eq!(failed.expect_err("the second page fails").message(), "ListThings failed: refused");
    }
}
