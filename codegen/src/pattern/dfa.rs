//! Patterns compiled into DFAs at generation time.
//!
//! Generated code checks a pattern by searching a DFA serialized here (regex-automata's sparse
//! format) instead of compiling the pattern when first used. The generated crate's build then
//! needs only regex-automata's search code, not the `regex` crate's parser and compilers (about
//! a tenth of a small client's build), and a first check compiles nothing. The DFA is built
//! from the translated source by the engine family the `regex` crate uses, with the same
//! syntax defaults, so it accepts exactly the strings `Regex::is_match` would.
//!
//! A DFA can be exponentially larger than its pattern; long counted repetitions of wide
//! classes (`[^\p{C}]{1,2048}`) are the usual case. Those patterns keep the `regex` crate at
//! run time: [`build`] gives up past [`BUILD_LIMIT`] while determinizing, and refuses images
//! above [`MAX_IMAGE_BYTES`].

use std::sync::{Arc, OnceLock};

use regex_automata::dfa::{dense, StartKind};

/// The largest serialized DFA shipped in generated code, per byte order. Every pattern of the
/// IoT model fits (its largest, `^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$`, takes 11.6 KiB).
pub const MAX_IMAGE_BYTES: usize = 16 * 1024;

/// Memory the dense DFA may take while it is built (before conversion to the sparse format,
/// which is several times smaller): bounds the generation time a pattern can cost.
pub const BUILD_LIMIT: usize = 512 * 1024;

/// A DFA serialized for each byte order: `regex_automata::dfa::sparse::DFA::from_bytes` reads
/// the one of the target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DfaImage {
    /// For little-endian targets.
    pub little_endian: Vec<u8>,
    /// For big-endian targets.
    pub big_endian: Vec<u8>,
}

/// The DFA of a pattern translated for `Engine::Regex`, searched unanchored (anywhere in the
/// value, as `is_match`); `None` when it is too large to ship or cannot be a DFA (a Unicode
/// word boundary, which the translator does not produce).
pub fn build(source: &str) -> Option<DfaImage> {
    let config = dense::Config::new()
        .start_kind(StartKind::Unanchored)
        .dfa_size_limit(Some(BUILD_LIMIT))
        .determinize_size_limit(Some(BUILD_LIMIT));
    let dense = dense::Builder::new().configure(config).build(source).ok()?;
    let sparse = dense.to_sparse().ok()?;
    let little_endian = sparse.to_bytes_little_endian();
    if little_endian.len() > MAX_IMAGE_BYTES {
        return None;
    }
    Some(DfaImage { little_endian, big_endian: sparse.to_bytes_big_endian() })
}

/// [`build`], remembered for the rest of the process, as translations are
/// ([`super::translate_cached`]): services of a corpus share most of their patterns.
pub fn build_cached(source: &str) -> Option<Arc<DfaImage>> {
    static CACHE: super::PatternCache<Option<Arc<DfaImage>>> = OnceLock::new();
    super::remembered(&CACHE, source, |source| build(source).map(Arc::new))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pattern::{translate, Engine};
    use regex_automata::dfa::{sparse, Automaton};
    use regex_automata::Input;

    fn native(image: &DfaImage) -> &[u8] {
        if cfg!(target_endian = "little") {
            &image.little_endian
        } else {
            &image.big_endian
        }
    }

    /// The DFA of each translated pattern accepts exactly what `regex` accepts.
    #[test]
    fn dfas_agree_with_regex() {
        let cases: &[(&str, &[&str])] = &[
            (r"^[a-zA-Z0-9:_-]+$", &["metric_1", "a b", "", "x\n", "x\r\n", "x\n\n", "ünï"]),
            (
                r"^arn:([a-z\d-]+):personalize:.*:.*:.+$",
                &["arn:aws:personalize:us-east-1:1:x", "arn:aws:personalize::", "arn:aws:personalize:a\n:b:c"],
            ),
            (r"^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$", &["Größe 2", "tag\u{2028}", "日本語", "a\tb", "\u{85}"]),
            (r"[0-9]{3}", &["ab123cd", "12", "١٢٣"]),
            (r"(?i)abc\b", &["xABC", "abcd", "aBc!", "abc\u{e9}"]),
            (r"^\S+$", &["no-space", "tab\there", "\u{a0}"]),
            (r"^a.c$", &["abc", "a\nc", "a\u{2028}c", "abc\n"]),
        ];
        for (java, inputs) in cases {
            let translated = translate(java).expect("translates");
            assert_eq!(translated.engine, Engine::Regex, "{java}");
            let regex = regex::Regex::new(&translated.source).expect("compiles");
            let image = build(&translated.source).unwrap_or_else(|| panic!("{java} has no DFA"));
            let (dfa, _) = sparse::DFA::from_bytes(native(&image)).expect("deserializes");
            for input in *inputs {
                let found = dfa.try_search_fwd(&Input::new(input).earliest(true)).expect("searches").is_some();
                assert_eq!(found, regex.is_match(input), "{java} on {input:?}");
            }
        }
    }

    #[test]
    fn both_byte_orders_hold_the_same_dfa() {
        let image = build("^[a-z]+$").expect("small DFA");
        assert_eq!(image.little_endian.len(), image.big_endian.len());
        assert_ne!(image.little_endian, image.big_endian);
    }

    #[test]
    fn long_counted_repetitions_of_wide_classes_get_no_dfa() {
        let translated = translate(r"^[\P{M}\p{M}]{1,5000}$").expect("translates");
        assert!(build(&translated.source).is_none());
        // Unicode word boundaries cannot be a DFA; the translator never writes one, but the
        // builder's refusal must be an absence, not a panic.
        assert!(build(r"\bword\b").is_none());
    }
}
