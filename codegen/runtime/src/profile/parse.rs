//! The literal syntax of the shared config and credentials files, as the AWS SDKs read it:
//! `[section]` headers, `key = value` properties, indented continuation lines, indented
//! sub-properties under a property with an empty value, and `#`/`;` comments. What a section
//! header means (profile, SSO session, services) is decided in `normalize`.

use std::collections::BTreeMap;

/// The only characters the format treats as whitespace (not `\r`, `\u{a0}`, ...).
const WHITESPACE: &[char] = &[' ', '\t'];
const COMMENT: &[char] = &['#', ';'];

/// A property's value: its text (continuation lines joined with `\n`) and, when the first line
/// is empty, the `key = value` pairs of its indented block.
///
/// `Debug` shows neither: values include secret keys and session tokens.
#[derive(Clone, Default, PartialEq, Eq)]
pub(crate) struct Value {
    pub(crate) text: String,
    pub(crate) sub_properties: BTreeMap<String, String>,
}

impl std::fmt::Debug for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Value")
            .field("text", &format_args!("<{} bytes>", self.text.len()))
            .field("sub_properties", &self.sub_properties.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// A section as written: its header without the brackets, and its properties.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawSection {
    pub(crate) header: String,
    pub(crate) properties: BTreeMap<String, Value>,
}

/// A line the format does not allow. The message never quotes the line, which may hold a secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SyntaxError {
    /// 1-based.
    pub(crate) line: usize,
    pub(crate) message: &'static str,
}

/// The property the next indented line continues.
struct Open {
    key: String,
    /// An empty first line makes the indented lines sub-properties.
    nested: bool,
}

/// Splits a file into its sections, in file order (a header may repeat).
pub(crate) fn parse(text: &str) -> Result<Vec<RawSection>, SyntaxError> {
    let mut sections: Vec<RawSection> = Vec::new();
    let mut open: Option<Open> = None;
    for (index, line) in text.lines().enumerate() {
        let error = |message| SyntaxError { line: index + 1, message };
        let trimmed = line.trim_matches(WHITESPACE);
        // Indented comments are ignored too, as botocore does, so a sub-property block can hold them.
        if trimmed.is_empty() || trimmed.starts_with(COMMENT) {
            continue;
        }
        if line.starts_with('[') {
            let header = strip_comment(line, false)
                .strip_prefix('[')
                .and_then(|rest| rest.strip_suffix(']'))
                .ok_or_else(|| error("a section header must end with `]`"))?;
            sections
                .push(RawSection { header: header.trim_matches(WHITESPACE).to_owned(), properties: BTreeMap::new() });
            open = None;
            continue;
        }
        let section =
            sections.last_mut().ok_or_else(|| error("expected a section header such as `[default]` first"))?;
        if line.starts_with(WHITESPACE) {
            let open = open.as_ref().ok_or_else(|| error("an indented line must continue a property"))?;
            let Some(value) = section.properties.get_mut(&open.key) else {
                return Err(error("an indented line must continue a property"));
            };
            if open.nested {
                let (key, sub_value) = property(line).map_err(error)?;
                value.sub_properties.insert(key, sub_value.to_owned());
            }
            value.text.push('\n');
            value.text.push_str(trimmed);
        } else {
            let (key, text) = property(line).map_err(error)?;
            open = Some(Open { key: key.clone(), nested: text.is_empty() });
            section.properties.insert(key, Value { text: text.to_owned(), sub_properties: BTreeMap::new() });
        }
    }
    Ok(sections)
}

/// `key = value` with its comment removed; keys are case-insensitive (lower-cased, as aws-config).
fn property(line: &str) -> Result<(String, &str), &'static str> {
    let (key, value) = strip_comment(line, true).split_once('=').ok_or("expected `name = value`")?;
    let key = key.trim_matches(WHITESPACE);
    if key.is_empty() {
        return Err("a property must have a name before `=`");
    }
    Ok((key.to_ascii_lowercase(), value.trim_matches(WHITESPACE)))
}

/// The line trimmed, without its trailing comment. In a property a `#` or `;` starts a comment
/// only after whitespace, so values such as URLs with fragments or base64 keep them.
fn strip_comment(line: &str, needs_whitespace: bool) -> &str {
    let line = line.trim_matches(WHITESPACE);
    let mut after_whitespace = false;
    for (index, c) in line.char_indices() {
        if COMMENT.contains(&c) && (after_whitespace || !needs_whitespace) {
            return line[..index].trim_matches(WHITESPACE);
        }
        after_whitespace = WHITESPACE.contains(&c);
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The sections of `text` as `(header, [(key, text)])`.
    fn sections(text: &str) -> Vec<(String, Vec<(String, String)>)> {
        let parsed = parse(text).unwrap_or_else(|err| panic!("{text:?}: {err:?}"));
        parsed
            .into_iter()
            .map(|section| {
                let properties = section.properties.into_iter().map(|(key, value)| (key, value.text)).collect();
                (section.header, properties)
            })
            .collect()
    }

    /// Sections as `(header, [(key, text)])`.
    type Expected = &'static [(&'static str, &'static [(&'static str, &'static str)])];

    fn owned(expected: Expected) -> Vec<(String, Vec<(String, String)>)> {
        expected
            .iter()
            .map(|(header, properties)| {
                let properties = properties.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
                (header.to_string(), properties)
            })
            .collect()
    }

    #[test]
    fn syntax_features() {
        let cases: &[(&str, &str, Expected)] = &[
            ("empty file", "", &[]),
            ("only comments", "# a\n; b\n\n   \n", &[]),
            ("one section", "[default]\nregion = us-east-1\n", &[("default", &[("region", "us-east-1")])]),
            ("no spaces around =", "[default]\nregion=us-east-1", &[("default", &[("region", "us-east-1")])]),
            ("header whitespace", "[  profile  dev \t]\n", &[("profile  dev", &[])]),
            ("tabs trimmed", "[default]\nregion\t=\tus-east-1\t", &[("default", &[("region", "us-east-1")])]),
            ("CRLF line ends", "[default]\r\nregion = eu-west-1\r\n", &[("default", &[("region", "eu-west-1")])]),
            ("empty value", "[default]\nregion =\n", &[("default", &[("region", "")])]),
            ("value with =", "[d]\nk = a=b==", &[("d", &[("k", "a=b==")])]),
            ("keys lower-cased", "[Dev]\nRegion = US-East-1", &[("Dev", &[("region", "US-East-1")])]),
            ("later key wins", "[d]\nk = 1\nk = 2", &[("d", &[("k", "2")])]),
            ("comment after value", "[d]\nk = v # note\nl = w ; note", &[("d", &[("k", "v"), ("l", "w")])]),
            ("# in value kept", "[d]\nk = a#b;c", &[("d", &[("k", "a#b;c")])]),
            ("comment after header", "[d]# note\n[e] ; note", &[("d", &[]), ("e", &[])]),
            ("indented comment", "[d]\nk = v\n  # note\n", &[("d", &[("k", "v")])]),
            ("continuation", "[d]\nk = a\n  b\n\tc ", &[("d", &[("k", "a\nb\nc")])]),
            ("repeated header", "[d]\nk = 1\n[d]\nl = 2", &[("d", &[("k", "1")]), ("d", &[("l", "2")])]),
            ("unicode value", "[d]\nk = b 🐱 ", &[("d", &[("k", "b 🐱")])]),
        ];
        for (name, text, expected) in cases {
            assert_eq!(sections(text), owned(expected), "{name}");
        }
    }

    #[test]
    fn sub_properties() {
        let text =
            "[services dev]\ns3 =\n  endpoint_url = http://localhost:4566 # local\n  Region=eu-west-1\nsqs = x\n";
        let parsed = parse(text).expect("valid");
        let s3 = &parsed[0].properties["s3"];
        let subs: Vec<_> = s3.sub_properties.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert_eq!(subs, [("endpoint_url", "http://localhost:4566"), ("region", "eu-west-1")]);
        assert!(parsed[0].properties["sqs"].sub_properties.is_empty());
        // A continuation of a non-empty value is text, not a sub-property, even without `=`.
        let parsed = parse("[d]\nk = a\n  no equals sign").expect("valid");
        assert!(parsed[0].properties["k"].sub_properties.is_empty());
    }

    #[test]
    fn malformed_lines_name_their_line() {
        let cases: &[(&str, usize, &str)] = &[
            ("region = x", 1, "section header"),
            ("# c\n  indented", 2, "section header"),
            ("[default", 1, "must end with `]`"),
            ("[default]\n[profile x # c", 2, "must end with `]`"),
            ("[d]\nno equals", 2, "name = value"),
            ("[d]\n= value", 2, "must have a name"),
            ("[d]\n  orphan", 2, "continue a property"),
            ("[d]\nk = v\n[e]\n  orphan", 4, "continue a property"),
            ("[d]\ns3 =\n  endpoint_url = x\n  no equals", 4, "name = value"),
            ("[d]\ns3 =\n  = x", 3, "must have a name"),
        ];
        for (text, line, message) in cases {
            let err = parse(text).expect_err(text);
            assert_eq!(err.line, *line, "{text:?}: {err:?}");
            assert!(err.message.contains(message), "{text:?}: {err:?}");
        }
    }

    #[test]
    fn errors_never_quote_the_line() {
        let err = parse("[d]\naws_secret_access_key: very-secret").expect_err("no `=`");
        assert!(!err.message.contains("very-secret"), "{err:?}");
    }
}
