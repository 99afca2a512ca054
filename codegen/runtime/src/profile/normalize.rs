//! What the sections of each file mean, as aws-config decides it: in the config file
//! `[default]`, `[profile NAME]`, `[sso-session NAME]` and `[services NAME]`; in the credentials
//! file bare `[NAME]`. Sections that do not fit their file, and names or keys with characters
//! the SDKs reject, are skipped with a warning, as the SDKs skip them.

use std::collections::BTreeMap;

use super::parse::{RawSection, Value};

/// Which shared file a text came from; the two name their sections differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FileKind {
    /// `AWS_CONFIG_FILE`, `~/.aws/config`.
    Config,
    /// `AWS_SHARED_CREDENTIALS_FILE`, `~/.aws/credentials`.
    Credentials,
}

/// What a section defines.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum SectionName {
    Profile(String),
    SsoSession(String),
    Services(String),
}

/// The sections of one file by meaning, repeated sections merged (later properties win).
pub(crate) fn normalize(kind: FileKind, sections: Vec<RawSection>) -> BTreeMap<SectionName, BTreeMap<String, Value>> {
    let classified: Vec<_> = sections
        .into_iter()
        .filter_map(|section| {
            let name = classify(kind, &section.header);
            if name.is_none() {
                tracing::warn!(header = %section.header, file = ?kind, "skipping a section the shared files do not define");
            }
            name.map(|name| (name, section.properties))
        })
        .collect();
    // In the config file `[profile default]` replaces `[default]` when both are present.
    let explicit_default = classified.iter().any(|((_, prefixed), _)| *prefixed);
    let mut out: BTreeMap<SectionName, BTreeMap<String, Value>> = BTreeMap::new();
    for ((name, prefixed), properties) in classified {
        if kind == FileKind::Config && name == SectionName::Profile(DEFAULT.into()) && explicit_default && !prefixed {
            tracing::warn!("skipping [default]: the config file also has [profile default]");
            continue;
        }
        let merged = out.entry(name).or_default();
        for (key, value) in properties {
            if valid_identifier(&key) {
                merged.insert(key, value);
            } else {
                tracing::warn!(key = %key, "skipping a property whose name has characters the SDKs reject");
            }
        }
    }
    out
}

const DEFAULT: &str = "default";

/// The meaning of a header, and whether it was `[profile default]` (the second flag is true
/// only for that header).
fn classify(kind: FileKind, header: &str) -> Option<(SectionName, bool)> {
    let (word, rest) = match header.split_once([' ', '\t']) {
        Some((word, rest)) => (word, Some(rest.trim_matches([' ', '\t']))),
        None => (header, None),
    };
    let name = match (kind, word, rest) {
        (FileKind::Credentials, name, None) => SectionName::Profile(name.to_owned()),
        (FileKind::Config, DEFAULT, None) => SectionName::Profile(DEFAULT.to_owned()),
        (FileKind::Config, "profile", Some(name)) => SectionName::Profile(name.to_owned()),
        (FileKind::Config, "sso-session", Some(name)) => SectionName::SsoSession(name.to_owned()),
        (FileKind::Config, "services", Some(name)) => SectionName::Services(name.to_owned()),
        _ => return None,
    };
    let (SectionName::Profile(text) | SectionName::SsoSession(text) | SectionName::Services(text)) = &name;
    if !valid_identifier(text) {
        return None;
    }
    let prefixed_default = kind == FileKind::Config && word == "profile" && rest == Some(DEFAULT);
    Some((name, prefixed_default))
}

/// The characters the SDKs allow in profile names and property keys.
fn valid_identifier(text: &str) -> bool {
    !text.is_empty() && text.chars().all(|c| c.is_ascii_alphanumeric() || "_-/.%@:+".contains(c))
}

#[cfg(test)]
mod tests {
    use super::super::parse::parse;
    use super::*;

    /// The section names of `text` read as a file of `kind`, with the `k` property of each.
    fn names(kind: FileKind, text: &str) -> Vec<(SectionName, Option<String>)> {
        let sections = normalize(kind, parse(text).expect("valid syntax"));
        sections.into_iter().map(|(name, properties)| (name, properties.get("k").map(|v| v.text.clone()))).collect()
    }

    fn profile(name: &str, k: Option<&str>) -> (SectionName, Option<String>) {
        (SectionName::Profile(name.into()), k.map(Into::into))
    }

    /// A file kind, its text, and its sections with their `k` property.
    type Case = (FileKind, &'static str, Vec<(SectionName, Option<String>)>);

    #[test]
    fn section_names_by_file() {
        use FileKind::{Config, Credentials};
        let cases: &[Case] = &[
            (Config, "[default]\nk=1", vec![profile("default", Some("1"))]),
            (Config, "[profile dev]\nk=1", vec![profile("dev", Some("1"))]),
            (Config, "[profile \t dev ]\nk=1", vec![profile("dev", Some("1"))]),
            (Config, "[profile default]\nk=1", vec![profile("default", Some("1"))]),
            (Config, "[profile default]\nk=1\n[default]\nk=2", vec![profile("default", Some("1"))]),
            (Config, "[default]\nk=2\n[profile default]\nk=1", vec![profile("default", Some("1"))]),
            (Config, "[dev]\nk=1", vec![]),
            (Config, "[profile]\nk=1", vec![]),
            (Config, "[profile bad name!]\nk=1", vec![]),
            (
                Config,
                "[profile Dev]\nk=1\n[profile dev]\nk=2",
                vec![profile("Dev", Some("1")), profile("dev", Some("2"))],
            ),
            (Config, "[profile a]\nk=1\n[profile a]\nk=2", vec![profile("a", Some("2"))]),
            (
                Config,
                "[sso-session corp]\nk=1\n[services local]\nk=2",
                vec![
                    (SectionName::SsoSession("corp".into()), Some("1".into())),
                    (SectionName::Services("local".into()), Some("2".into())),
                ],
            ),
            (Credentials, "[default]\nk=1", vec![profile("default", Some("1"))]),
            (Credentials, "[dev]\nk=1", vec![profile("dev", Some("1"))]),
            (Credentials, "[profile dev]\nk=1", vec![]),
            (Credentials, "[sso-session corp]\nk=1", vec![]),
            (Credentials, "[a@b.c+d/e:f%g]\nk=1", vec![profile("a@b.c+d/e:f%g", Some("1"))]),
            (Credentials, "[default]\nbad key=1\nk=2", vec![profile("default", Some("2"))]),
        ];
        for (kind, text, expected) in cases {
            assert_eq!(&names(*kind, text), expected, "{kind:?} {text:?}");
        }
    }
}
