//! Constraint checks shared by the generated `validate()` methods.
//!
//! Paths are built on the stack and only rendered to text when a violation is found, so a
//! valid input allocates nothing.

use std::fmt;

use regex_automata::dfa::sparse::DFA as SparseDfa;
use regex_automata::dfa::Automaton;

/// One step from a value to a nested value.
#[derive(Debug, Clone, Copy)]
pub enum Segment<'a> {
    /// A structure or union member, by its model name.
    Member(&'static str),
    /// A list position.
    Index(usize),
    /// A map key.
    Key(&'a str),
}

/// Where a value sits inside the validated input: a linked list of segments up to the root.
#[derive(Debug, Clone, Copy)]
pub struct Path<'a> {
    parent: Option<&'a Path<'a>>,
    segment: Option<Segment<'a>>,
}

impl<'a> Path<'a> {
    /// The validated value itself.
    pub const ROOT: Path<'static> = Path { parent: None, segment: None };

    /// The path of member `name` of this value.
    pub fn member(&'a self, name: &'static str) -> Path<'a> {
        Path { parent: Some(self), segment: Some(Segment::Member(name)) }
    }

    /// The path of item `index` of this list.
    pub fn index(&'a self, index: usize) -> Path<'a> {
        Path { parent: Some(self), segment: Some(Segment::Index(index)) }
    }

    /// The path of the value under `key` in this map.
    pub fn key(&'a self, key: &'a str) -> Path<'a> {
        Path { parent: Some(self), segment: Some(Segment::Key(key)) }
    }
}

impl fmt::Display for Path<'_> {
    /// Renders `metrics[2].expression`, `tags["env"]`; the root renders as `<input>`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut segments = Vec::new();
        let mut node = Some(self);
        while let Some(path) = node {
            segments.extend(path.segment);
            node = path.parent;
        }
        if segments.is_empty() {
            return f.write_str("<input>");
        }
        for (position, segment) in segments.iter().rev().enumerate() {
            match segment {
                Segment::Member(name) if position == 0 => f.write_str(name)?,
                Segment::Member(name) => write!(f, ".{name}")?,
                Segment::Index(index) => write!(f, "[{index}]")?,
                Segment::Key(key) => write!(f, "[{key:?}]")?,
            }
        }
        Ok(())
    }
}

/// The model constraint a value broke.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Constraint {
    /// `@required`: the member must be set.
    Required,
    /// `@length`: the size (characters, bytes, items or entries) must be within bounds.
    Length {
        /// Inclusive minimum.
        min: Option<u64>,
        /// Inclusive maximum.
        max: Option<u64>,
    },
    /// `@pattern`: the string must contain a match of the pattern.
    Pattern(&'static str),
    /// `@range`: the number must be within bounds (as written in the model).
    Range {
        /// Inclusive minimum.
        min: Option<&'static str>,
        /// Inclusive maximum.
        max: Option<&'static str>,
    },
    /// `@uniqueItems`: no two list items may be equal.
    UniqueItems,
}

/// One broken constraint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// Where the value is, e.g. `metrics[2].expression`.
    pub path: String,
    /// The constraint it breaks.
    pub constraint: Constraint,
    /// A readable explanation.
    pub message: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// Every constraint an input breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationError {
    /// The input type that was validated.
    pub input: &'static str,
    /// The violations, in member order.
    pub violations: Vec<Violation>,
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.violations.len();
        let noun = if count == 1 { "violation" } else { "violations" };
        write!(f, "invalid {}: {count} constraint {noun}", self.input)?;
        for violation in &self.violations {
            write!(f, "\n  - {violation}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationError {}

/// The violations found so far, in the order they were found.
pub type Violations = Vec<Violation>;

/// Implemented by generated types whose values can break a constraint.
pub trait Validate {
    /// Appends every violation found in `self` (located at `path`) to `out`.
    fn validate_at(&self, path: &Path<'_>, out: &mut Vec<Violation>);
}

/// Checks `input` from its root and collects every violation into one error naming the input
/// type `name`: the body of each generated input's `validate()`.
///
/// # Errors
/// Returns all violations at once, each with the path of the offending value.
pub fn validate_input<T: Validate>(input: &T, name: &'static str) -> Result<(), ValidationError> {
    let mut violations = Vec::new();
    input.validate_at(&Path::ROOT, &mut violations);
    if violations.is_empty() {
        Ok(())
    } else {
        Err(ValidationError { input: name, violations })
    }
}

/// An unset member has nothing to check.
impl<T: Validate> Validate for Option<T> {
    fn validate_at(&self, path: &Path<'_>, out: &mut Vec<Violation>) {
        if let Some(value) = self {
            value.validate_at(path, out)
        }
    }
}

/// Each item is checked at its index.
impl<T: Validate> Validate for Vec<T> {
    fn validate_at(&self, path: &Path<'_>, out: &mut Vec<Violation>) {
        for (index, item) in self.iter().enumerate() {
            item.validate_at(&path.index(index), out)
        }
    }
}

impl<T: Validate> Validate for Box<T> {
    fn validate_at(&self, path: &Path<'_>, out: &mut Vec<Violation>) {
        (**self).validate_at(path, out)
    }
}

/// Checks `@length` against a size already measured by the caller (characters for strings).
pub fn check_length(
    path: &Path<'_>,
    size: usize,
    min: Option<u64>,
    max: Option<u64>,
    unit: &str,
    out: &mut Vec<Violation>,
) {
    let size = size as u64;
    let too_short = min.is_some_and(|min| size < min);
    let too_long = max.is_some_and(|max| size > max);
    if too_short || too_long {
        let bound = bound_text(min, max);
        out.push(Violation {
            path: path.to_string(),
            constraint: Constraint::Length { min, max },
            message: format!("length must be {bound} {unit}, found {size}"),
        });
    }
}

/// `between 1 and 5`, `at least 1` or `at most 5`: the bounds of a length or range constraint.
fn bound_text(min: Option<impl fmt::Display>, max: Option<impl fmt::Display>) -> String {
    match (min, max) {
        (Some(min), Some(max)) => format!("between {min} and {max}"),
        (Some(min), None) => format!("at least {min}"),
        (None, Some(max)) => format!("at most {max}"),
        (None, None) => String::new(),
    }
}

/// The length of a string as Smithy counts it: Unicode scalar values.
pub fn char_count(value: &str) -> usize {
    value.chars().count()
}

/// A compiled `@pattern`; compilation was proven at generation time, but a failure is still
/// reported as a violation rather than a panic.
pub type CompiledPattern = std::sync::LazyLock<Result<Matcher, String>>;

/// The engine a pattern was translated for.
pub enum Matcher {
    /// A DFA the generator built from the pattern, in `regex-automata`'s sparse format: searched
    /// in linear time with nothing compiled at run time, and without the `regex` crate in the
    /// build.
    Dfa(Box<SparseDfa<&'static [u8]>>),
    /// The linear-time `regex` engine, compiled on first use: for patterns whose DFA would be
    /// too large to ship (long counted repetitions of wide classes).
    #[cfg(feature = "regex")]
    Regex(regex::Regex),
    /// `fancy-regex`, for look-around and back-references.
    #[cfg(feature = "fancy-regex")]
    Fancy(fancy_regex::Regex),
}

impl Matcher {
    /// Reads a DFA the generator serialized, from its image for this target's byte order (the
    /// format is checked once, here; a wrong or damaged image is an error, not a panic).
    #[inline]
    pub fn dfa(little_endian: &'static [u8], big_endian: &'static [u8]) -> Result<Matcher, String> {
        let image = if cfg!(target_endian = "big") { big_endian } else { little_endian };
        SparseDfa::from_bytes(image)
            .map(|(dfa, _)| Matcher::Dfa(Box::new(dfa)))
            .map_err(|err| format!("invalid pattern automaton: {err}"))
    }

    /// Compiles for the `regex` engine.
    #[cfg(feature = "regex")]
    pub fn regex(source: &str) -> Result<Matcher, String> {
        regex::Regex::new(source).map(Matcher::Regex).map_err(|err| err.to_string())
    }

    /// Compiles for `fancy-regex`.
    #[cfg(feature = "fancy-regex")]
    pub fn fancy(source: &str) -> Result<Matcher, String> {
        fancy_regex::Regex::new(source).map(Matcher::Fancy).map_err(|err| err.to_string())
    }

    fn is_match(&self, value: &str) -> Result<bool, String> {
        match self {
            // Unanchored and earliest: any match anywhere, as `Regex::is_match`. The generator
            // builds DFAs without heuristic Unicode word boundaries, so no input makes the
            // search give up; an error is reported all the same.
            Matcher::Dfa(dfa) => dfa
                .try_search_fwd(&regex_automata::Input::new(value).earliest(true))
                .map(|found| found.is_some())
                .map_err(|err| err.to_string()),
            #[cfg(feature = "regex")]
            Matcher::Regex(regex) => Ok(regex.is_match(value)),
            #[cfg(feature = "fancy-regex")]
            Matcher::Fancy(regex) => regex.is_match(value).map_err(|err| err.to_string()),
        }
    }
}

/// Checks `@pattern` (searched, not anchored, as Smithy specifies). `model` is the pattern as
/// written in the model, shown in messages.
pub fn check_pattern(
    path: &Path<'_>,
    value: &str,
    pattern: &CompiledPattern,
    model: &'static str,
    out: &mut Vec<Violation>,
) {
    pattern_violation(path, value, Some(&format_args!("{value:?}")), pattern, model, out)
}

/// [`check_pattern`] for a `@sensitive` value, which the message never shows.
pub fn check_sensitive_pattern(
    path: &Path<'_>,
    value: &str,
    pattern: &CompiledPattern,
    model: &'static str,
    out: &mut Vec<Violation>,
) {
    pattern_violation(path, value, None, pattern, model, out)
}

/// The `@length` and `@pattern` constraints of a string, described once per distinct set in a
/// generated crate's `patterns.rs` and shared by every member and item they apply to: a
/// generated check is then one call instead of a block per constraint.
#[derive(Clone, Copy)]
pub struct TextRules {
    min_length: Option<u64>,
    max_length: Option<u64>,
    pattern: Option<(&'static CompiledPattern, &'static str)>,
    sensitive: bool,
}

impl TextRules {
    /// No constraint yet.
    pub const NONE: TextRules = TextRules { min_length: None, max_length: None, pattern: None, sensitive: false };

    /// At least `min` characters.
    pub const fn min_length(self, min: u64) -> Self {
        TextRules { min_length: Some(min), ..self }
    }

    /// At most `max` characters.
    pub const fn max_length(self, max: u64) -> Self {
        TextRules { max_length: Some(max), ..self }
    }

    /// Matches `pattern`, written `model` in the model (shown in messages).
    pub const fn pattern(self, pattern: &'static CompiledPattern, model: &'static str) -> Self {
        TextRules { pattern: Some((pattern, model)), ..self }
    }

    /// `@sensitive`: messages never show the value.
    pub const fn sensitive(self) -> Self {
        TextRules { sensitive: true, ..self }
    }
}

impl fmt::Debug for TextRules {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TextRules")
            .field("min_length", &self.min_length)
            .field("max_length", &self.max_length)
            .field("pattern", &self.pattern.map(|(_, model)| model))
            .field("sensitive", &self.sensitive)
            .finish()
    }
}

/// Checks `value` against `rules`: its length in characters (Unicode scalar values, as Smithy
/// counts them), then its pattern.
pub fn check_text(path: &Path<'_>, value: &str, rules: &TextRules, out: &mut Vec<Violation>) {
    if rules.min_length.is_some() || rules.max_length.is_some() {
        check_length(path, char_count(value), rules.min_length, rules.max_length, "characters", out);
    }
    match rules.pattern {
        Some((pattern, model)) if rules.sensitive => pattern_violation(path, value, None, pattern, model, out),
        Some((pattern, model)) => {
            pattern_violation(path, value, Some(&format_args!("{value:?}")), pattern, model, out);
        }
        None => {}
    }
}

/// [`check_text`] for an optional member: nothing to check when it is absent.
pub fn check_optional_text(path: &Path<'_>, value: Option<&str>, rules: &TextRules, out: &mut Vec<Violation>) {
    if let Some(value) = value {
        check_text(path, value, rules, out);
    }
}

/// [`check_optional_text`] for several string members of the structure at `path`, in order:
/// each entry is a member's model name, its value (`None` when unset) and its rules.
pub fn check_texts(path: &Path<'_>, members: &[(&'static str, Option<&str>, &TextRules)], out: &mut Violations) {
    for &(name, value, rules) in members {
        check_optional_text(&path.member(name), value, rules, out);
    }
}

/// Pushes the violation of `@pattern` by `value`, if any, showing `shown` (or `(sensitive)`).
fn pattern_violation(
    path: &Path<'_>,
    value: &str,
    shown: Option<&dyn fmt::Display>,
    pattern: &CompiledPattern,
    model: &'static str,
    out: &mut Vec<Violation>,
) {
    let outcome = match &**pattern {
        Ok(matcher) => matcher.is_match(value),
        Err(err) => Err(err.clone()),
    };
    let message = match outcome {
        Ok(true) => return,
        Ok(false) => format!("value {} does not match pattern `{model}`", Shown(shown)),
        Err(err) => format!("pattern `{model}` could not be evaluated: {err}"),
    };
    out.push(Violation { path: path.to_string(), constraint: Constraint::Pattern(model), message });
}

/// A value in a message, or `(sensitive)` in its place.
struct Shown<'a>(Option<&'a dyn fmt::Display>);

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(value) => value.fmt(f),
            None => f.write_str("(sensitive)"),
        }
    }
}

/// Checks `@range`; `below`/`above` are the comparisons the generated code made against the
/// model's bounds (so any numeric type works without lossy conversions here).
pub fn check_range(
    path: &Path<'_>,
    value: &dyn fmt::Display,
    below: bool,
    above: bool,
    min: Option<&'static str>,
    max: Option<&'static str>,
    out: &mut Vec<Violation>,
) {
    range_violation(path, Some(value), below, above, min, max, out)
}

/// [`check_range`] for a `@sensitive` value, which the message never shows.
pub fn check_sensitive_range(
    path: &Path<'_>,
    below: bool,
    above: bool,
    min: Option<&'static str>,
    max: Option<&'static str>,
    out: &mut Vec<Violation>,
) {
    range_violation(path, None, below, above, min, max, out)
}

fn range_violation(
    path: &Path<'_>,
    shown: Option<&dyn fmt::Display>,
    below: bool,
    above: bool,
    min: Option<&'static str>,
    max: Option<&'static str>,
    out: &mut Vec<Violation>,
) {
    if !(below || above) {
        return;
    }
    let bound = bound_text(min, max);
    out.push(Violation {
        path: path.to_string(),
        constraint: Constraint::Range { min, max },
        message: format!("value must be {bound}, found {}", Shown(shown)),
    });
}

/// Checks that a required member is set.
pub fn check_required<T>(path: &Path<'_>, value: &Option<T>, out: &mut Vec<Violation>) {
    if value.is_none() {
        out.push(Violation {
            path: path.to_string(),
            constraint: Constraint::Required,
            message: "a value is required".to_owned(),
        });
    }
}

/// Checks `@uniqueItems`, naming the first repeated position.
pub fn check_unique<T: PartialEq>(path: &Path<'_>, items: &[T], out: &mut Vec<Violation>) {
    for (later, item) in items.iter().enumerate() {
        if let Some(earlier) = items[..later].iter().position(|other| other == item) {
            out.push(Violation {
                path: path.to_string(),
                constraint: Constraint::UniqueItems,
                message: format!("items must be unique, but item {later} repeats item {earlier}"),
            });
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_render_members_indexes_and_keys() {
        let root = Path::ROOT;
        let metrics = root.member("metrics");
        let second = metrics.index(2);
        let expression = second.member("expression");
        assert_eq!(expression.to_string(), "metrics[2].expression");
        let tags = root.member("tags");
        assert_eq!(tags.key("env").to_string(), "tags[\"env\"]");
        assert_eq!(Path::ROOT.to_string(), "<input>");
    }

    #[test]
    fn length_bounds_are_inclusive() {
        let mut out = Vec::new();
        for size in [1, 63] {
            check_length(&Path::ROOT, size, Some(1), Some(63), "characters", &mut out);
        }
        assert!(out.is_empty());
        check_length(&Path::ROOT, 0, Some(1), Some(63), "characters", &mut out);
        check_length(&Path::ROOT, 64, Some(1), Some(63), "characters", &mut out);
        assert_eq!(out.len(), 2);
        assert_eq!(out[1].message, "length must be between 1 and 63 characters, found 64");
    }

    #[test]
    fn unique_items_names_the_repeat() {
        let mut out = Vec::new();
        check_unique(&Path::ROOT, &["a", "b", "a"], &mut out);
        assert_eq!(out[0].message, "items must be unique, but item 2 repeats item 0");
    }

    /// A matcher over the DFA of `pattern`, built and serialized as the generator does.
    fn dfa_of(pattern: &str) -> Result<Matcher, String> {
        use regex_automata::dfa::{dense, StartKind};
        let dense = dense::Builder::new()
            .configure(dense::Config::new().start_kind(StartKind::Unanchored))
            .build(pattern)
            .map_err(|err| err.to_string())?;
        let sparse = dense.to_sparse().map_err(|err| err.to_string())?;
        Matcher::dfa(Vec::leak(sparse.to_bytes_little_endian()), Vec::leak(sparse.to_bytes_big_endian()))
    }

    #[test]
    fn dfa_matches_anywhere_as_regex_does() {
        static SHORT: CompiledPattern = CompiledPattern::new(|| dfa_of("[0-9]{3}"));
        static WHOLE: CompiledPattern = CompiledPattern::new(|| dfa_of(r"^\p{L}+\z"));
        let matches = |pattern: &CompiledPattern, value: &str| {
            let mut out = Vec::new();
            check_pattern(&Path::ROOT, value, pattern, "p", &mut out);
            out.is_empty()
        };
        assert!(matches(&SHORT, "ab123cd"));
        assert!(!matches(&SHORT, "ab12cd"));
        assert!(matches(&WHOLE, "Größe"));
        assert!(!matches(&WHOLE, "Größe 2"));
        assert!(!matches(&WHOLE, ""));
    }

    #[test]
    fn broken_pattern_is_a_violation_not_a_panic() {
        static BROKEN: CompiledPattern =
            CompiledPattern::new(|| Matcher::dfa(b"not an automaton", b"not an automaton"));
        let mut out = Vec::new();
        check_pattern(&Path::ROOT, "x", &BROKEN, "(", &mut out);
        assert!(out[0].message.contains("could not be evaluated"));
    }

    #[test]
    fn text_rules_check_length_then_pattern_and_hide_sensitive_values() {
        static CODE: CompiledPattern = CompiledPattern::new(|| dfa_of("^[a-z]+\\z"));
        static CODE_RULES: TextRules = TextRules::NONE.min_length(2).max_length(4).pattern(&CODE, "^[a-z]+$");
        static SECRET_RULES: TextRules = TextRules::NONE.pattern(&CODE, "^[a-z]+$").sensitive();
        let root = Path::ROOT;
        let messages = |value: Option<&str>, rules: &TextRules| {
            let mut out = Vec::new();
            check_optional_text(&root.member("code"), value, rules, &mut out);
            out.iter().map(|v| v.to_string()).collect::<Vec<_>>()
        };
        assert!(messages(Some("abc"), &CODE_RULES).is_empty());
        assert!(messages(None, &CODE_RULES).is_empty());
        let both = messages(Some("ABCDE"), &CODE_RULES);
        assert_eq!(both.len(), 2, "{both:?}");
        assert!(both[0].contains("code") && both[0].contains("characters"), "{both:?}");
        assert!(both[1].contains("\"ABCDE\" does not match pattern `^[a-z]+$`"), "{both:?}");
        let hidden = messages(Some("Hunter2"), &SECRET_RULES);
        assert_eq!(hidden.len(), 1, "{hidden:?}");
        assert!(hidden[0].contains("(sensitive)") && !hidden[0].contains("Hunter2"), "{hidden:?}");
    }
}
