//! Translation of Smithy `@pattern` regular expressions into Rust regex dialects.
//!
//! AWS models write `smithy.api#pattern` in the dialect of `java.util.regex` (the
//! services validate with it). The translation is written for the `regex` crate (linear
//! time); generated code searches a DFA built from it at generation time ([`dfa`]), or
//! compiles it with `regex` where that DFA would be too large. `fancy-regex` is used only
//! for constructs that need a backtracking engine (look-around, back-references, atomic
//! groups, possessive quantifiers). Patterns are *searched* (`Matcher.find()` / `is_match`), so no
//! anchors are added.
//!
//! The translator parses the Java pattern into a small tree, mirroring the JDK parser
//! (`Pattern.java`, JDK 9+ rules for character classes), then prints the tree in Rust
//! syntax. Nothing is passed through textually, so every Java construct is either
//! rewritten to something with the same meaning or rejected with a [`PatternError`].
//!
//! Decisions worth knowing (Java semantics are kept in each case):
//! - `\d \w \s`, the POSIX `\p{Alpha}`-style classes and `\b` are ASCII-only in Java;
//!   they become explicit ASCII classes (`\w` -> `[0-9A-Z_a-z]`).
//! - `\b`/`\B` use the JDK 19+ definition (word character = `[a-zA-Z0-9_]`). With `regex`
//!   they become `(?-u:\b)`/`(?-u:\B)`, which the crate accepts on `&str` haystacks (an
//!   ASCII boundary never splits a UTF-8 sequence, and empty matches inside a code point
//!   are never reported). `fancy-regex` rejects `(?-u:...)`, so there they are spelled out
//!   with look-around on `[0-9A-Za-z_]`. Not reproduced: the JDK's extra rule that a
//!   non-spacing mark (`\p{Mn}`) following a letter or digit counts as a word character.
//! - `.` excludes Java's line terminators (`\n \r \u0085 \u2028 \u2029`), not only `\n`.
//! - `$` (without `(?m)`) and `\Z` also match before a line terminator that ends the
//!   input (`"abc\n"` matches `^abc$` in Java). When nothing after the `$` can consume
//!   input, this is written as an optional terminator followed by `\z`, which `regex`
//!   can run; elsewhere it needs a look-ahead (`fancy-regex`).
//! - `(?m)` anchors follow Java's line terminators; `^` needs look-behind (`fancy-regex`).
//! - `(?i)` is ASCII-only case folding in Java, so instead of Rust's Unicode `(?i)` the
//!   letters are expanded into classes (`(?i)ab` -> `[Aa][Bb]`).
//! - `\uD800\uDC00` surrogate pairs are combined as Java does; a lone surrogate can never
//!   occur in a Rust string, so it matches nothing.
//! - Counted repetitions of one character too large for `regex`'s program size limit
//!   (`.{1,100000}`, `[^\p{C}]{1,2048}`) go to `fancy-regex`, whose VM runs them as a
//!   loop with a counter instead of unrolled copies.
//! - Group names are dropped (`\k<name>` becomes a numbered reference); they do not
//!   affect matching.
//! - Unicode properties use the `regex` crate tables; they can differ from the JDK's
//!   Unicode version for recently assigned characters.
//!
//! Rejected (valid Java, no faithful translation): `(?x)`, `(?d)`, `(?U)`, `(?iu)`,
//! `CANON_EQ`, Unicode blocks (`\p{InGreek}`), `\N{name}`, `\X`, `\b{g}`,
//! back-references under `(?i)`, look-behind without a constant length (Java allows a
//! bounded one; `fancy-regex` does not), some `Character.isJava*` properties and unusual
//! `&&` forms whose JDK meaning depends on parser quirks.

pub mod dfa;

use std::collections::HashMap;
use std::fmt;
use std::sync::{Mutex, OnceLock, PoisonError};

/// Size limit for compiled programs, used both here (to prove a translation compiles)
/// and by generated code: `regex::RegexBuilder::size_limit` for [`Engine::Regex`] and
/// `fancy_regex::RegexBuilder::delegate_size_limit` for [`Engine::FancyRegex`].
///
/// This is the `regex` crate's default (10 MiB). The few AWS patterns that exceed it
/// (huge counted repetitions of large classes) are translated for `fancy-regex` instead.
pub const SIZE_LIMIT: usize = 10 * (1 << 20);

/// Which engine a translated pattern needs at run time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Engine {
    /// The `regex` crate (linear time); used whenever possible.
    Regex,
    /// The `fancy-regex` crate, for look-around, back-references and atomic groups.
    FancyRegex,
}

/// A Java pattern rewritten for a Rust engine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Translated {
    /// The pattern in the syntax of `engine`.
    pub source: String,
    /// The engine `source` is written for.
    pub engine: Engine,
}

/// Why a pattern cannot be expressed; `Display` gives a one-line message naming the construct.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternError {
    /// Human-readable, one-line description (offsets count characters of the Java pattern).
    pub message: String,
}

impl fmt::Display for PatternError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for PatternError {}

/// Translates a Java-dialect pattern and proves it compiles in the chosen engine with
/// [`SIZE_LIMIT`].
///
/// The result matches exactly the strings Java's `Matcher.find()` would (see the module
/// docs for the few documented caveats). Prefers [`Engine::Regex`]; [`Engine::FancyRegex`]
/// is chosen only when the pattern needs it.
pub fn translate(java: &str) -> Result<Translated, PatternError> {
    let (chars, offsets) = remove_qe_quoting(java);
    let parser = Parser {
        s: chars,
        offsets,
        end_offset: java.chars().count(),
        pos: 0,
        flags: Flags::default(),
        groups: 0,
        names: Vec::new(),
        depth: 0,
    };
    let (tree, groups) = parser.parse()?;

    // First choice: the linear-time engine, unless the tree needs backtracking.
    let (source, needs_fancy) = emit(&tree, groups, Engine::Regex, false);
    if !needs_fancy {
        match regex::RegexBuilder::new(&source).size_limit(SIZE_LIMIT).build() {
            Ok(_) => return Ok(Translated { source, engine: Engine::Regex }),
            // Too big (e.g. `.{1,100000}` copies the class 100000 times): fall through.
            Err(regex::Error::CompiledTooBig(_)) if has_big_repeat(&tree) => {}
            Err(e) => return Err(compile_error("regex", &source, &e.to_string())),
        }
    }
    // fancy-regex; if a delegated part is too big, retry with the large counted
    // repetitions run by fancy-regex's own VM (a loop counter instead of copies).
    let mut last_error = None;
    for vm_repeats in [false, true] {
        if vm_repeats && !has_big_repeat(&tree) {
            break;
        }
        let (source, _) = emit(&tree, groups, Engine::FancyRegex, vm_repeats);
        match fancy_regex::RegexBuilder::new(&source).delegate_size_limit(SIZE_LIMIT).build() {
            Ok(_) => return Ok(Translated { source, engine: Engine::FancyRegex }),
            Err(e) => {
                let too_big = matches!(
                    &e,
                    fancy_regex::Error::CompileError(fancy_regex::CompileError::InnerError(inner))
                        if inner.size_limit().is_some()
                );
                last_error = Some(compile_error("fancy-regex", &source, &e.to_string()));
                if !too_big {
                    break;
                }
            }
        }
    }
    Err(last_error.unwrap_or_else(|| PatternError { message: "internal error: no translation attempted".into() }))
}

/// [`translate`], remembered for the rest of the process. AWS models repeat the same patterns
/// (ARNs, names, tokens) across services, and proving a translation compiles its regex, the
/// costliest step of loading a model; a run over many models (the corpus, a fuzzer) compiles
/// each pattern once. The memory is bounded: it starts over after [`CACHE_CAPACITY`] patterns.
pub fn translate_cached(java: &str) -> Result<Translated, PatternError> {
    static CACHE: PatternCache<Result<Translated, PatternError>> = OnceLock::new();
    remembered(&CACHE, java, translate)
}

/// What a process remembers per pattern text (see [`remembered`]).
type PatternCache<V> = OnceLock<Mutex<HashMap<String, V>>>;

/// `compute(key)`, remembered in `cache` for the rest of the process; the cache starts over
/// after [`CACHE_CAPACITY`] entries.
fn remembered<V: Clone>(cache: &PatternCache<V>, key: &str, compute: impl FnOnce(&str) -> V) -> V {
    let cache = cache.get_or_init(Mutex::default);
    // A panic elsewhere while the lock was held leaves complete entries only.
    let lock = || cache.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(known) = lock().get(key) {
        return known.clone();
    }
    // Computed outside the lock: threads working on different patterns do not wait.
    let value = compute(key);
    let mut entries = lock();
    if entries.len() >= CACHE_CAPACITY {
        entries.clear();
    }
    entries.insert(key.to_owned(), value.clone());
    value
}

/// How many patterns [`translate_cached`] and [`dfa::build_cached`] each remember (the 306 AWS
/// models hold fewer distinct ones).
pub const CACHE_CAPACITY: usize = 8192;

/// Prints `tree` for `engine`; also returns whether it needs `fancy-regex`.
fn emit(tree: &Node, groups: u32, engine: Engine, vm_repeats: bool) -> (String, bool) {
    let mut em = Emitter { engine, needs_fancy: engine == Engine::FancyRegex, vm_repeats, groups };
    let mut source = String::new();
    em.node(tree, Tail { strict: true, dollar: true }, &mut source);
    (source, em.needs_fancy)
}

/// Counted repetitions of one character at least this large are run by fancy-regex's
/// VM when the `regex` program would exceed [`SIZE_LIMIT`].
const BIG_REPEAT: u32 = 100;

fn is_big_repeat(n: &Node) -> bool {
    matches!(n, Node::Repeat { node, min, max, .. }
        if matches!(**node, Node::Char(_) | Node::Set(_)) && max.unwrap_or(*min) >= BIG_REPEAT)
}

fn has_big_repeat(n: &Node) -> bool {
    is_big_repeat(n)
        || match n {
            Node::Group(_, body) => has_big_repeat(body),
            Node::Repeat { node, .. } => has_big_repeat(node),
            Node::Concat(xs) | Node::Alt(xs) => xs.iter().any(has_big_repeat),
            _ => false,
        }
}

fn compile_error(engine: &str, source: &str, err: &str) -> PatternError {
    // regex errors span several lines (they quote the pattern); keep the last, the reason.
    let reason = err.lines().map(str::trim).rfind(|l| !l.is_empty()).unwrap_or("unknown error");
    PatternError { message: format!("translated pattern `{source}` does not compile with {engine}: {reason}") }
}

// ---------------------------------------------------------------------------------------
// Tree
// ---------------------------------------------------------------------------------------

/// A set of characters, kept symbolic because Unicode properties cannot be enumerated.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Set {
    /// Inclusive code point range (may include surrogates; they are clipped on output).
    Range(u32, u32),
    /// A `regex` Unicode property name such as `L` or `Script=Latin`.
    Prop {
        name: String,
        negated: bool,
    },
    Union(Vec<Set>),
    And(Vec<Set>),
    Not(Box<Set>),
}

impl Set {
    fn range(lo: u32, hi: u32) -> Set {
        Set::Range(lo, hi)
    }
    fn ch(c: u32) -> Set {
        Set::Range(c, c)
    }
    fn prop(name: &str) -> Set {
        Set::Prop { name: name.to_string(), negated: false }
    }
    fn empty() -> Set {
        Set::Union(Vec::new())
    }
    fn not(set: Set) -> Set {
        match set {
            Set::Prop { name, negated } => Set::Prop { name, negated: !negated },
            Set::Not(inner) => *inner,
            other => Set::Not(Box::new(other)),
        }
    }
    /// `Some(c)` if the set is exactly one (non-surrogate) character.
    fn single(&self) -> Option<char> {
        match self {
            Set::Range(lo, hi) if lo == hi => char::from_u32(*lo),
            Set::Union(xs) if xs.len() == 1 => xs[0].single(),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Look {
    /// `^` without `(?m)`, `\A`, `\G` (a single `find()` starts at 0).
    Start,
    /// `\z`.
    End,
    /// `$` without `(?m)`, `\Z`: end of input, or before a final line terminator.
    EndLine,
    /// `^` with `(?m)`.
    LineStart,
    /// `$` with `(?m)`.
    LineEnd,
    WordBoundary,
    NotWordBoundary,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum GroupKind {
    Capture(Option<String>),
    NonCapture,
    Atomic,
    Ahead { negated: bool },
    Behind { negated: bool },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Greed {
    Greedy,
    Lazy,
    Possessive,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Node {
    Empty,
    Char(char),
    Set(Set),
    Concat(Vec<Node>),
    Alt(Vec<Node>),
    Group(GroupKind, Box<Node>),
    Repeat {
        node: Box<Node>,
        min: u32,
        max: Option<u32>,
        greed: Greed,
    },
    Look(Look),
    BackRef(u32),
    /// `\R` (JDK 9+: `\r\n|[\n\x0B\f\r\x85\u2028\u2029]`, with backtracking).
    LineBreak,
}

/// Matches only the empty string, without conditions: may follow a `$` we rewrite as
/// "consume the final line terminator".
fn is_transparent(n: &Node) -> bool {
    match n {
        Node::Empty => true,
        Node::Group(GroupKind::Capture(_) | GroupKind::NonCapture | GroupKind::Atomic, body) => is_transparent(body),
        Node::Concat(xs) | Node::Alt(xs) => xs.iter().all(is_transparent),
        Node::Repeat { node, .. } => is_transparent(node),
        _ => false,
    }
}

/// Like [`is_transparent`], but also allows `$`-style assertions: they hold wherever
/// a preceding Java `$` held, and at the end of input, so `$$` may consume like `$`.
fn is_dollar_transparent(n: &Node) -> bool {
    match n {
        Node::Empty | Node::Look(Look::EndLine | Look::LineEnd) => true,
        Node::Group(GroupKind::Capture(_) | GroupKind::NonCapture | GroupKind::Atomic, body) => {
            is_dollar_transparent(body)
        }
        Node::Concat(xs) | Node::Alt(xs) => xs.iter().all(is_dollar_transparent),
        Node::Repeat { node, .. } => is_dollar_transparent(node),
        _ => false,
    }
}

/// Zero-width and capture-free: repeating it is the same as testing it once (or not at all).
fn is_zero_width(n: &Node) -> bool {
    match n {
        Node::Empty | Node::Look(_) => true,
        Node::Group(GroupKind::Ahead { .. } | GroupKind::Behind { .. }, body) => !has_capture(body),
        Node::Group(GroupKind::NonCapture | GroupKind::Atomic, body) => is_zero_width(body),
        Node::Concat(xs) | Node::Alt(xs) => xs.iter().all(is_zero_width),
        _ => false,
    }
}

fn has_capture(n: &Node) -> bool {
    match n {
        Node::Group(GroupKind::Capture(_), _) => true,
        Node::Group(_, body) => has_capture(body),
        Node::Concat(xs) | Node::Alt(xs) => xs.iter().any(has_capture),
        Node::Repeat { node, .. } => has_capture(node),
        _ => false,
    }
}

// ---------------------------------------------------------------------------------------
// Parser (mirrors java.util.regex.Pattern)
// ---------------------------------------------------------------------------------------

/// Deeper nesting is rejected instead of risking the stack on garbage input.
const MAX_DEPTH: usize = 100;

/// Largest counted repetition Java accepts (`Pattern.MAX_REPS`).
const MAX_REPS: u32 = 0x7FFF_FFFF;

#[derive(Debug, Clone, Copy, Default)]
struct Flags {
    case_insensitive: bool,
    multiline: bool,
    dotall: bool,
    unicode_case: bool,
}

/// Java removes `\Q...\E` before parsing, turning quoted characters into escaped
/// literals; do the same. Returns the characters and each one's offset in `java`.
fn remove_qe_quoting(java: &str) -> (Vec<char>, Vec<usize>) {
    let src: Vec<char> = java.chars().collect();
    let mut out = Vec::with_capacity(src.len());
    let mut offsets = Vec::with_capacity(src.len());
    let mut i = 0;
    while i < src.len() {
        let c = src[i];
        if c != '\\' {
            out.push(c);
            offsets.push(i);
            i += 1;
            continue;
        }
        match src.get(i + 1) {
            Some('Q') => {
                i += 2;
                while i < src.len() {
                    let q = src[i];
                    if q == '\\' && src.get(i + 1) == Some(&'E') {
                        i += 2;
                        break;
                    }
                    if q.is_ascii_digit() {
                        // `\x3N`, so a digit never extends a preceding escape (`\0\Q1\E`).
                        for e in ['\\', 'x', '3', q] {
                            out.push(e);
                            offsets.push(i);
                        }
                    } else if q.is_ascii() && !q.is_ascii_alphabetic() {
                        out.push('\\');
                        offsets.push(i);
                        out.push(q);
                        offsets.push(i);
                    } else {
                        out.push(q);
                        offsets.push(i);
                    }
                    i += 1;
                }
            }
            Some(&n) => {
                out.push(c);
                offsets.push(i);
                out.push(n);
                offsets.push(i + 1);
                i += 2;
            }
            None => {
                out.push(c);
                offsets.push(i);
                i += 1;
            }
        }
    }
    (out, offsets)
}

/// Result of an escape that can appear inside a character class.
enum Esc {
    Char(u32),
    Set(Set),
}

struct Parser {
    s: Vec<char>,
    offsets: Vec<usize>,
    end_offset: usize,
    pos: usize,
    flags: Flags,
    /// Capturing groups opened so far (Java numbers back-references against this).
    groups: u32,
    names: Vec<(String, u32)>,
    depth: usize,
}

type PResult<T> = Result<T, PatternError>;

impl Parser {
    fn parse(mut self) -> PResult<(Node, u32)> {
        let node = self.parse_alt()?;
        if self.pos < self.s.len() {
            return Err(self.invalid(self.pos, "unmatched closing `)`"));
        }
        Ok((node, self.groups))
    }

    // -- cursor helpers --

    fn peek(&self) -> Option<char> {
        self.s.get(self.pos).copied()
    }
    fn peek_at(&self, ahead: usize) -> Option<char> {
        self.s.get(self.pos + ahead).copied()
    }
    fn bump(&mut self) -> Option<char> {
        let c = self.peek();
        if c.is_some() {
            self.pos += 1;
        }
        c
    }
    fn offset(&self, pos: usize) -> usize {
        self.offsets.get(pos).copied().unwrap_or(self.end_offset)
    }
    /// Java itself rejects the pattern.
    fn invalid(&self, pos: usize, what: &str) -> PatternError {
        PatternError { message: format!("invalid Java pattern: {what} at offset {}", self.offset(pos)) }
    }
    /// Valid Java, but no faithful Rust translation.
    fn unsupported(&self, pos: usize, what: &str) -> PatternError {
        PatternError { message: format!("{what} at offset {} is not supported", self.offset(pos)) }
    }
    fn enter(&mut self, pos: usize) -> PResult<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.unsupported(pos, &format!("nesting deeper than {MAX_DEPTH} levels")));
        }
        Ok(())
    }

    // -- structure --

    /// Alternatives up to `)` or the end (Java `expr`).
    fn parse_alt(&mut self) -> PResult<Node> {
        let mut alts = vec![self.parse_seq()?];
        while self.peek() == Some('|') {
            self.pos += 1;
            alts.push(self.parse_seq()?);
        }
        Ok(if alts.len() == 1 { alts.pop().unwrap_or(Node::Empty) } else { Node::Alt(alts) })
    }

    /// A sequence of quantified atoms (Java `sequence`).
    fn parse_seq(&mut self) -> PResult<Node> {
        let mut items = Vec::new();
        while let Some(c) = self.peek() {
            let atom = match c {
                '|' | ')' => break,
                '(' => match self.parse_group()? {
                    Some(node) => node,
                    None => continue, // flag-only group such as `(?i)`
                },
                '[' => Node::Set(self.parse_class(true)?),
                '\\' => self.parse_escape()?,
                '^' => {
                    self.pos += 1;
                    Node::Look(if self.flags.multiline { Look::LineStart } else { Look::Start })
                }
                '$' => {
                    self.pos += 1;
                    Node::Look(if self.flags.multiline { Look::LineEnd } else { Look::EndLine })
                }
                '.' => {
                    self.pos += 1;
                    Node::Set(if self.flags.dotall { Set::range(0, 0x10FFFF) } else { Set::not(line_terminators()) })
                }
                '?' | '*' | '+' => {
                    return Err(self.invalid(self.pos, &format!("dangling meta character `{c}`")));
                }
                // Java parses an empty atom here; the quantifier parser then requires
                // `{n...}` (else "illegal repetition"), and repeating nothing is nothing.
                '{' => Node::Empty,
                _ => {
                    self.pos += 1;
                    self.literal(c as u32)
                }
            };
            let node = self.parse_quantifier(atom)?;
            if node != Node::Empty {
                items.push(node);
            }
        }
        Ok(match items.len() {
            0 => Node::Empty,
            1 => items.pop().unwrap_or(Node::Empty),
            _ => Node::Concat(items),
        })
    }

    /// Java `closure`: at most one quantifier, optionally lazy (`?`) or possessive (`+`).
    fn parse_quantifier(&mut self, atom: Node) -> PResult<Node> {
        let start = self.pos;
        let (min, max) = match self.peek() {
            Some('?') => (0, Some(1)),
            Some('*') => (0, None),
            Some('+') => (1, None),
            Some('{') => {
                if !self.peek_at(1).is_some_and(|c| c.is_ascii_digit()) {
                    return Err(self.invalid(start, "illegal repetition `{`"));
                }
                self.pos += 1;
                let min = self.parse_count(start)?;
                let max = if self.peek() == Some(',') {
                    self.pos += 1;
                    if self.peek() == Some('}') {
                        None
                    } else if self.peek().is_some_and(|c| c.is_ascii_digit()) {
                        Some(self.parse_count(start)?)
                    } else {
                        Some(0) // Java: `{2,x` -> "unclosed counted closure" just below
                    }
                } else {
                    Some(min)
                };
                if self.peek() != Some('}') {
                    return Err(self.invalid(start, "unclosed counted closure"));
                }
                if max.is_some_and(|m| m < min) {
                    return Err(self.invalid(start, "illegal repetition range"));
                }
                (min, max)
            }
            _ => return Ok(atom),
        };
        self.pos += 1; // the quantifier's last character
        let greed = match self.peek() {
            Some('?') => {
                self.pos += 1;
                Greed::Lazy
            }
            Some('+') => {
                self.pos += 1;
                Greed::Possessive
            }
            _ => Greed::Greedy,
        };
        // Java stops repeating a zero-width atom after one pass: `X*` is "X or not",
        // i.e. always true, and `X{2,}` is just `X`. (fancy-regex refuses to repeat them.)
        if is_zero_width(&atom) {
            return Ok(if min == 0 { Node::Empty } else { atom });
        }
        Ok(Node::Repeat { node: Box::new(atom), min, max, greed })
    }

    fn parse_count(&mut self, start: usize) -> PResult<u32> {
        let mut n: u32 = 0;
        while let Some(d) = self.peek().and_then(|c| c.to_digit(10)) {
            n = n
                .checked_mul(10)
                .and_then(|n| n.checked_add(d))
                .filter(|n| *n <= MAX_REPS)
                .ok_or_else(|| self.invalid(start, "illegal repetition range"))?;
            self.pos += 1;
        }
        Ok(n)
    }

    /// Java `group0`. `None` for a flag-only group like `(?i)`, whose flags stay in
    /// effect until the end of the enclosing group.
    fn parse_group(&mut self) -> PResult<Option<Node>> {
        let open = self.pos;
        self.pos += 1;
        self.enter(open)?;
        let saved = self.flags;
        let kind = if self.peek() == Some('?') {
            self.pos += 1;
            match self.bump() {
                Some(':') => GroupKind::NonCapture,
                Some('=') => GroupKind::Ahead { negated: false },
                Some('!') => GroupKind::Ahead { negated: true },
                Some('>') => GroupKind::Atomic,
                Some('<') => match self.bump() {
                    Some(c) if c.is_ascii_alphabetic() => {
                        let mut name = c.to_string();
                        loop {
                            match self.bump() {
                                Some(c) if c.is_ascii_alphanumeric() => name.push(c),
                                Some('>') => break,
                                _ => {
                                    return Err(self.invalid(open, "named capturing group is missing trailing `>`"));
                                }
                            }
                        }
                        if self.names.iter().any(|(n, _)| *n == name) {
                            return Err(self.invalid(open, &format!("named group `{name}` is defined twice")));
                        }
                        self.groups += 1;
                        self.names.push((name.clone(), self.groups));
                        GroupKind::Capture(Some(name))
                    }
                    Some('=') => GroupKind::Behind { negated: false },
                    Some('!') => GroupKind::Behind { negated: true },
                    _ => return Err(self.invalid(open, "unknown look-behind group")),
                },
                Some('$' | '@') => return Err(self.invalid(open, "unknown group type")),
                Some(_) => {
                    self.pos -= 1;
                    self.parse_flags()?;
                    match self.bump() {
                        Some(')') => {
                            self.depth -= 1;
                            return Ok(None);
                        }
                        Some(':') => GroupKind::NonCapture,
                        _ => return Err(self.invalid(open, "unknown inline modifier")),
                    }
                }
                None => return Err(self.invalid(open, "unclosed group")),
            }
        } else {
            self.groups += 1;
            GroupKind::Capture(None)
        };
        let body = self.parse_alt()?;
        if self.bump() != Some(')') {
            return Err(self.invalid(open, "unclosed group"));
        }
        self.flags = saved;
        self.depth -= 1;
        Ok(Some(Node::Group(kind, Box::new(body))))
    }

    /// Java `addFlag`/`subFlag`: `imsdxuUc`, with one optional `-` section.
    fn parse_flags(&mut self) -> PResult<()> {
        let mut on = true;
        while let Some(c) = self.peek() {
            let pos = self.pos;
            match c {
                'i' => self.flags.case_insensitive = on,
                'm' => self.flags.multiline = on,
                's' => self.flags.dotall = on,
                'u' => self.flags.unicode_case = on,
                'd' if on => return Err(self.unsupported(pos, "inline flag `d` (UNIX_LINES)")),
                'x' if on => return Err(self.unsupported(pos, "inline flag `x` (COMMENTS)")),
                'c' if on => return Err(self.unsupported(pos, "inline flag `c` (CANON_EQ)")),
                'U' if on => {
                    return Err(self.unsupported(pos, "inline flag `U` (UNICODE_CHARACTER_CLASS)"));
                }
                'U' => self.flags.unicode_case = false,
                'd' | 'x' | 'c' => {} // turning off a flag that is never on
                '-' if on => on = false,
                _ => break,
            }
            self.pos += 1;
        }
        if self.flags.case_insensitive && self.flags.unicode_case {
            return Err(self.unsupported(self.pos, "Unicode case-insensitive matching `(?iu)`"));
        }
        Ok(())
    }

    /// A backslash escape outside a character class.
    fn parse_escape(&mut self) -> PResult<Node> {
        let start = self.pos;
        self.pos += 1;
        let Some(c) = self.bump() else {
            return Err(self.invalid(start, "trailing backslash"));
        };
        Ok(match c {
            'p' | 'P' => Node::Set(self.parse_property(start, c == 'P')?),
            '1'..='9' => {
                // Java takes more digits only while they name an existing group.
                let mut n = c as u32 - '0' as u32;
                while let Some(d) = self.peek().and_then(|c| c.to_digit(10)) {
                    let next = n * 10 + d;
                    if next > self.groups {
                        break;
                    }
                    n = next;
                    self.pos += 1;
                }
                self.backref(start, n)?
            }
            'k' => {
                if self.bump() != Some('<') {
                    return Err(self.invalid(start, "`\\k` is not followed by `<`"));
                }
                let mut name = String::new();
                if let Some(c) = self.bump() {
                    name.push(c);
                }
                loop {
                    match self.bump() {
                        Some(c) if c.is_ascii_alphanumeric() => name.push(c),
                        Some('>') => break,
                        _ => return Err(self.invalid(start, "named back-reference is missing trailing `>`")),
                    }
                }
                let Some(n) = self.names.iter().find(|(n, _)| *n == name).map(|(_, g)| *g) else {
                    return Err(self.invalid(start, &format!("named group `{name}` does not exist")));
                };
                self.backref(start, n)?
            }
            'A' | 'G' => Node::Look(Look::Start),
            'Z' => Node::Look(Look::EndLine),
            'z' => Node::Look(Look::End),
            'b' => {
                if self.peek() == Some('{') && self.peek_at(1) == Some('g') {
                    if self.peek_at(2) == Some('}') {
                        return Err(self.unsupported(start, "grapheme cluster boundary `\\b{g}`"));
                    }
                    return Err(self.invalid(start, "illegal/unsupported escape sequence `\\b{g`"));
                }
                Node::Look(Look::WordBoundary)
            }
            'B' => Node::Look(Look::NotWordBoundary),
            'R' => Node::LineBreak,
            'X' => return Err(self.unsupported(start, "grapheme cluster `\\X`")),
            _ => match self.char_escape(start, c, false, false)? {
                Esc::Char(cp) => self.literal(cp),
                Esc::Set(set) => Node::Set(set),
            },
        })
    }

    fn backref(&self, start: usize, n: u32) -> PResult<Node> {
        if self.flags.case_insensitive {
            return Err(self.unsupported(start, "back-reference under `(?i)`"));
        }
        Ok(Node::BackRef(n))
    }

    /// Escapes valid both inside and outside classes (Java `escape`). `c` is the
    /// character after the backslash, already consumed.
    fn char_escape(&mut self, start: usize, c: char, in_class: bool, is_range: bool) -> PResult<Esc> {
        let set = |s: Set| Ok(Esc::Set(s));
        match c {
            '0' => self.octal(start).map(Esc::Char),
            'a' => Ok(Esc::Char(0x07)),
            'e' => Ok(Esc::Char(0x1B)),
            'f' => Ok(Esc::Char(0x0C)),
            'n' => Ok(Esc::Char(0x0A)),
            'r' => Ok(Esc::Char(0x0D)),
            't' => Ok(Esc::Char(0x09)),
            'c' => match self.bump() {
                Some(x) => Ok(Esc::Char(x as u32 ^ 64)),
                None => Err(self.invalid(start, "illegal control escape sequence")),
            },
            'u' => self.unicode_escape(start).map(Esc::Char),
            'x' => self.hex_escape(start).map(Esc::Char),
            // Java: `\v` as a range endpoint means the single character VT.
            'v' if is_range => Ok(Esc::Char(0x0B)),
            'd' => set(digit()),
            'D' => set(Set::not(digit())),
            'w' => set(word()),
            'W' => set(Set::not(word())),
            's' => set(space()),
            'S' => set(Set::not(space())),
            'h' => set(horizontal_space()),
            'H' => set(Set::not(horizontal_space())),
            'v' => set(vertical_space()),
            'V' => set(Set::not(vertical_space())),
            'N' => Err(self.unsupported(start, "named character `\\N{...}`")),
            '1'..='9' if in_class => Err(self.invalid(start, "back-reference inside a character class")),
            c if c.is_ascii_alphabetic() => {
                Err(self.invalid(start, &format!("illegal/unsupported escape sequence `\\{c}`")))
            }
            // Any other escaped character is itself (`\/`, `\_`, `\-`, `\é`, ...).
            c => Ok(Esc::Char(c as u32)),
        }
    }

    /// Java `o()`: `\0n`, `\0nn`, `\0mnn` (m <= 3).
    fn octal(&mut self, start: usize) -> PResult<u32> {
        let oct = |c: Option<char>| c.and_then(|c| c.to_digit(8));
        let Some(n) = oct(self.peek()) else {
            return Err(self.invalid(start, "illegal octal escape sequence"));
        };
        self.pos += 1;
        let Some(m) = oct(self.peek()) else { return Ok(n) };
        self.pos += 1;
        match oct(self.peek()) {
            Some(o) if n <= 3 => {
                self.pos += 1;
                Ok(n * 64 + m * 8 + o)
            }
            _ => Ok(n * 8 + m),
        }
    }

    /// Java `x()`: `\xhh` or `\x{h...h}`.
    fn hex_escape(&mut self, start: usize) -> PResult<u32> {
        let hex = |c: Option<char>| c.and_then(|c| c.to_digit(16));
        if let Some(a) = hex(self.peek()) {
            if let Some(b) = hex(self.peek_at(1)) {
                self.pos += 2;
                return Ok(a * 16 + b);
            }
        } else if self.peek() == Some('{') && hex(self.peek_at(1)).is_some() {
            self.pos += 1;
            let mut v: u32 = 0;
            while let Some(d) = hex(self.peek()) {
                self.pos += 1;
                v = v * 16 + d;
                if v > 0x10FFFF {
                    return Err(self.invalid(start, "hexadecimal codepoint is too big"));
                }
            }
            if self.bump() != Some('}') {
                return Err(self.invalid(start, "unclosed hexadecimal escape sequence"));
            }
            return Ok(v);
        }
        Err(self.invalid(start, "illegal hexadecimal escape sequence"))
    }

    /// Java `u()`: `\uhhhh`, combining a high/low surrogate pair into one code point.
    fn unicode_escape(&mut self, start: usize) -> PResult<u32> {
        let n = self.four_hex(start)?;
        if (0xD800..0xDC00).contains(&n) && self.peek() == Some('\\') && self.peek_at(1) == Some('u') {
            let save = self.pos;
            self.pos += 2;
            let low = self.four_hex(start)?;
            if (0xDC00..0xE000).contains(&low) {
                return Ok(0x10000 + ((n - 0xD800) << 10) + (low - 0xDC00));
            }
            self.pos = save;
        }
        Ok(n)
    }

    fn four_hex(&mut self, start: usize) -> PResult<u32> {
        let mut v = 0;
        for _ in 0..4 {
            let Some(d) = self.bump().and_then(|c| c.to_digit(16)) else {
                return Err(self.invalid(start, "illegal Unicode escape sequence"));
            };
            v = v * 16 + d;
        }
        Ok(v)
    }

    /// A literal character outside a class, applying Java's ASCII-only `(?i)`.
    fn literal(&self, cp: u32) -> Node {
        match char::from_u32(cp) {
            // A lone surrogate cannot occur in a Rust string.
            None => Node::Set(Set::empty()),
            Some(c) if self.flags.case_insensitive && c.is_ascii_alphabetic() => Node::Set(Set::Union(vec![
                Set::ch(c.to_ascii_uppercase() as u32),
                Set::ch(c.to_ascii_lowercase() as u32),
            ])),
            Some(c) => Node::Char(c),
        }
    }

    // -- character classes --

    /// Java `clazz`. With `consume`, `pos` is at `[` and the closing `]` is consumed;
    /// without (the right operand of `&&`), parsing starts at the first member and
    /// stops before `]`. JDK 9+ semantics: `^` negates the whole class, nested classes
    /// are unions, `&&` intersects everything before it with the operand after it.
    fn parse_class(&mut self, consume: bool) -> PResult<Set> {
        let open = self.pos;
        self.enter(open)?;
        let mut negated = false;
        if consume {
            self.pos += 1;
            if self.peek() == Some('^') {
                negated = true;
                self.pos += 1;
            }
        }
        let mut items: Vec<Set> = Vec::new();
        let mut operands: Vec<Set> = Vec::new();
        loop {
            let Some(c) = self.peek() else {
                return Err(self.invalid(open, "unclosed character class"));
            };
            match c {
                '[' => {
                    if !operands.is_empty() {
                        return Err(self.unsupported(self.pos, "class members after a `&&` operand"));
                    }
                    items.push(self.parse_class(true)?);
                    continue;
                }
                '&' if self.peek_at(1) == Some('&') => {
                    let amp = self.pos;
                    self.pos += 2;
                    let mut right: Option<Set> = None;
                    loop {
                        match self.peek() {
                            None => return Err(self.invalid(open, "unclosed character class")),
                            Some(']' | '&') => break,
                            Some('[') => {
                                let nested = self.parse_class(true)?;
                                right = Some(match right {
                                    None => nested,
                                    Some(prev) => Set::Union(vec![prev, nested]),
                                });
                            }
                            Some(_) => {
                                if right.is_some() {
                                    // The JDK silently drops the nested classes here.
                                    return Err(self.unsupported(self.pos, "`&&` operand mixing `[...]` and members"));
                                }
                                right = Some(self.parse_class(false)?);
                            }
                        }
                    }
                    let Some(right) = right else {
                        return Err(self.unsupported(amp, "empty operand after `&&`"));
                    };
                    // Java: with nothing before `&&`, the class is just the right operand.
                    if !items.is_empty() {
                        operands.push(Set::Union(std::mem::take(&mut items)));
                    }
                    operands.push(right);
                    continue;
                }
                // `]` first in a class is a literal, as in `[]a]`.
                ']' if !(items.is_empty() && operands.is_empty()) => {
                    if consume {
                        self.pos += 1;
                    }
                    self.depth -= 1;
                    let set = match operands.len() {
                        0 => Set::Union(items),
                        1 => operands.pop().unwrap_or_else(Set::empty),
                        _ => Set::And(operands),
                    };
                    return Ok(if negated { Set::not(set) } else { set });
                }
                _ => {}
            }
            if !operands.is_empty() {
                // Java would fold these into the *left* operand through a shared bit set.
                return Err(self.unsupported(self.pos, "class members after a `&&` operand"));
            }
            items.push(self.parse_class_member()?);
        }
    }

    /// Java `range`: one member (character, range, escape or property) of a class.
    fn parse_class_member(&mut self) -> PResult<Set> {
        let start = self.pos;
        let first = if self.peek() == Some('\\') {
            self.pos += 1;
            let Some(e) = self.bump() else {
                return Err(self.invalid(start, "trailing backslash"));
            };
            if e == 'p' || e == 'P' {
                return self.parse_property(start, e == 'P');
            }
            let is_range = self.peek() == Some('-');
            match self.char_escape(start, e, true, is_range)? {
                Esc::Set(set) => return Ok(set), // a following `-` is a literal
                Esc::Char(cp) => cp,
            }
        } else {
            match self.bump() {
                Some(c) => c as u32,
                None => return Err(self.invalid(start, "unclosed character class")),
            }
        };
        if self.peek() == Some('-') {
            match self.peek_at(1) {
                Some('[' | ']') => {}
                None => return Err(self.invalid(start, "unclosed character class")),
                Some(_) => {
                    self.pos += 1;
                    let last = if self.peek() == Some('\\') {
                        let esc = self.pos;
                        self.pos += 1;
                        let Some(e) = self.bump() else {
                            return Err(self.invalid(esc, "trailing backslash"));
                        };
                        match e {
                            'p' | 'P' => return Err(self.invalid(esc, "illegal character range")),
                            _ => match self.char_escape(esc, e, true, true)? {
                                Esc::Char(cp) => cp,
                                Esc::Set(_) => return Err(self.invalid(start, "illegal character range")),
                            },
                        }
                    } else {
                        match self.bump() {
                            Some(c) => c as u32,
                            None => return Err(self.invalid(start, "unclosed character class")),
                        }
                    };
                    if last < first {
                        return Err(self.invalid(start, "illegal character range"));
                    }
                    return Ok(self.class_range(first, last));
                }
            }
        }
        Ok(self.class_range(first, first))
    }

    /// A range inside a class, with Java's ASCII-only `(?i)` (`CIRange`): also accept
    /// ASCII letters whose other case falls in the range.
    fn class_range(&self, lo: u32, hi: u32) -> Set {
        let mut parts = vec![Set::range(lo, hi)];
        if self.flags.case_insensitive {
            let overlap = |a: u32, b: u32| (lo.max(a), hi.min(b));
            let (ulo, uhi) = overlap('A' as u32, 'Z' as u32);
            if ulo <= uhi {
                parts.push(Set::range(ulo + 32, uhi + 32));
            }
            let (llo, lhi) = overlap('a' as u32, 'z' as u32);
            if llo <= lhi {
                parts.push(Set::range(llo - 32, lhi - 32));
            }
        }
        if parts.len() == 1 {
            parts.pop().unwrap_or_else(Set::empty)
        } else {
            Set::Union(parts)
        }
    }

    /// `\p{...}`/`\P{...}` (Java `family`); `pos` is after the `p`.
    fn parse_property(&mut self, start: usize, negated: bool) -> PResult<Set> {
        let name: String = if self.peek() == Some('{') {
            self.pos += 1;
            let begin = self.pos;
            loop {
                match self.bump() {
                    Some('}') => break,
                    Some(_) => {}
                    None => return Err(self.invalid(start, "unclosed character family")),
                }
            }
            self.s[begin..self.pos - 1].iter().collect()
        } else {
            match self.bump() {
                Some(c) => c.to_string(),
                None => return Err(self.invalid(start, "unknown character property")),
            }
        };
        if name.is_empty() {
            return Err(self.invalid(start, "empty character family"));
        }
        let shown = format!("\\{}{{{name}}}", if negated { 'P' } else { 'p' });
        let set = match property(&name, self.flags.case_insensitive) {
            Prop::Set(set) => set,
            Prop::Unknown => {
                return Err(self.invalid(start, &format!("unknown character property `{shown}`")));
            }
            Prop::Unsupported(what) => {
                return Err(self.unsupported(start, &format!("{what} `{shown}`")));
            }
        };
        Ok(if negated { Set::not(set) } else { set })
    }
}

// ---------------------------------------------------------------------------------------
// Java character classes and properties
// ---------------------------------------------------------------------------------------

fn ranges(rs: &[(u32, u32)]) -> Set {
    Set::Union(rs.iter().map(|&(a, b)| Set::range(a, b)).collect())
}
fn props(names: &[&str]) -> Set {
    Set::Union(names.iter().map(|n| Set::prop(n)).collect())
}
fn digit() -> Set {
    ranges(&[(0x30, 0x39)])
}
fn word() -> Set {
    ranges(&[(0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A)])
}
fn space() -> Set {
    ranges(&[(0x09, 0x0D), (0x20, 0x20)])
}
fn horizontal_space() -> Set {
    ranges(&[
        (0x09, 0x09),
        (0x20, 0x20),
        (0xA0, 0xA0),
        (0x1680, 0x1680),
        (0x180E, 0x180E),
        (0x2000, 0x200A),
        (0x202F, 0x202F),
        (0x205F, 0x205F),
        (0x3000, 0x3000),
    ])
}
fn vertical_space() -> Set {
    ranges(&[(0x0A, 0x0D), (0x85, 0x85), (0x2028, 0x2029)])
}
/// What Java's `.` does not match (without `(?s)`).
fn line_terminators() -> Set {
    ranges(&[(0x0A, 0x0A), (0x0D, 0x0D), (0x85, 0x85), (0x2028, 0x2029)])
}
/// `Character.isLowerCase || isUpperCase || isTitleCase`: case properties under `(?i)`.
fn cased() -> Set {
    props(&["Lowercase", "Uppercase", "Lt"])
}
/// Java's `HEX_DIGIT()` (note: all of `\p{Nd}`, not Unicode's Hex_Digit).
fn java_hex_digit() -> Set {
    Set::Union(vec![
        Set::prop("Nd"),
        ranges(&[(0x30, 0x39), (0x41, 0x46), (0x61, 0x66), (0xFF10, 0xFF19), (0xFF21, 0xFF26), (0xFF41, 0xFF46)]),
    ])
}
/// Java's `WHITE_SPACE()`.
fn java_white_space() -> Set {
    Set::Union(vec![Set::prop("Z"), ranges(&[(0x09, 0x0D), (0x85, 0x85)])])
}

enum Prop {
    Set(Set),
    Unknown,
    Unsupported(&'static str),
}

/// Java `family`: resolves a `\p{name}` the way the JDK does.
fn property(name: &str, ci: bool) -> Prop {
    if let Some((key, value)) = name.split_once('=') {
        return match key.to_ascii_lowercase().as_str() {
            "sc" | "script" => script(value),
            "blk" | "block" => Prop::Unsupported("Unicode block"),
            "gc" | "general_category" => java_property(value, ci),
            _ => Prop::Unknown,
        };
    }
    if name.starts_with("In") {
        return Prop::Unsupported("Unicode block");
    }
    if let Some(rest) = name.strip_prefix("Is") {
        return match unicode_property(&rest.to_ascii_uppercase(), ci) {
            Some(set) => Prop::Set(set),
            None => match java_property(rest, ci) {
                Prop::Unknown => script(rest),
                found => found,
            },
        };
    }
    java_property(name, ci)
}

fn script(name: &str) -> Prop {
    if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        // The regex crate validates the name when the translation is compiled.
        Prop::Set(Set::prop(&format!("Script={name}")))
    } else {
        Prop::Unknown
    }
}

/// `CharPredicates.forUnicodeProperty` (name already upper-cased): binary properties
/// and the Unicode flavour of the POSIX names.
fn unicode_property(name: &str, ci: bool) -> Option<Set> {
    Some(match name {
        "ALPHABETIC" | "ALPHA" => Set::prop("Alphabetic"),
        "ASSIGNED" => Set::not(Set::prop("Cn")),
        "CONTROL" | "CNTRL" => Set::prop("Cc"),
        "HEXDIGIT" | "HEX_DIGIT" | "XDIGIT" => java_hex_digit(),
        "IDEOGRAPHIC" => Set::prop("Ideographic"),
        "JOINCONTROL" | "JOIN_CONTROL" => ranges(&[(0x200C, 0x200D)]),
        "LETTER" => Set::prop("L"),
        "LOWERCASE" | "LOWER" => {
            if ci {
                cased()
            } else {
                Set::prop("Lowercase")
            }
        }
        "UPPERCASE" | "UPPER" => {
            if ci {
                cased()
            } else {
                Set::prop("Uppercase")
            }
        }
        "TITLECASE" => {
            if ci {
                cased()
            } else {
                Set::prop("Lt")
            }
        }
        "NONCHARACTERCODEPOINT" | "NONCHARACTER_CODE_POINT" => Set::prop("Noncharacter_Code_Point"),
        "PUNCTUATION" | "PUNCT" => Set::prop("P"),
        "WHITESPACE" | "WHITE_SPACE" | "SPACE" => java_white_space(),
        "WORD" => Set::Union(vec![props(&["Alphabetic", "Mn", "Me", "Mc", "Nd", "Pc"]), ranges(&[(0x200C, 0x200D)])]),
        "ALNUM" => props(&["Alphabetic", "Nd"]),
        "DIGIT" => Set::prop("Nd"),
        "BLANK" => Set::Union(vec![Set::prop("Zs"), Set::ch(0x09)]),
        // (Surrogates, Java's `Cs`, never occur in Rust strings.)
        "GRAPH" => Set::not(props(&["Z", "Cc", "Cn"])),
        "PRINT" => Set::not(props(&["Zl", "Zp", "Cc", "Cn"])),
        _ => return None,
    })
}

/// `CharPredicates.forProperty`: general categories (case-sensitive), ASCII POSIX
/// classes and `java*` methods of `Character`.
fn java_property(name: &str, ci: bool) -> Prop {
    Prop::Set(match name {
        "Cn" | "Lm" | "Lo" | "Mn" | "Me" | "Mc" | "Nd" | "Nl" | "No" | "Zs" | "Zl" | "Zp" | "Cc" | "Cf" | "Co"
        | "Pd" | "Ps" | "Pe" | "Pc" | "Po" | "Sm" | "Sc" | "Sk" | "So" | "Pi" | "Pf" | "L" | "M" | "N" | "Z" | "C"
        | "P" | "S" | "LC" => Set::prop(name),
        // Surrogates never occur in Rust strings (and `regex` has no `\p{Cs}`).
        "Cs" => Set::empty(),
        "Lu" | "Ll" | "Lt" => {
            if ci {
                props(&["Lu", "Ll", "Lt"])
            } else {
                Set::prop(name)
            }
        }
        "LD" => props(&["L", "Nd"]),
        "L1" => ranges(&[(0x00, 0xFF)]),
        "all" => ranges(&[(0x00, 0x10FFFF)]),
        // POSIX classes: ASCII only.
        "ASCII" => ranges(&[(0x00, 0x7F)]),
        "Alnum" => ranges(&[(0x30, 0x39), (0x41, 0x5A), (0x61, 0x7A)]),
        "Alpha" => ranges(&[(0x41, 0x5A), (0x61, 0x7A)]),
        "Blank" => ranges(&[(0x09, 0x09), (0x20, 0x20)]),
        "Cntrl" => ranges(&[(0x00, 0x1F), (0x7F, 0x7F)]),
        "Digit" => digit(),
        "Graph" => ranges(&[(0x21, 0x7E)]),
        "Lower" if ci => ranges(&[(0x41, 0x5A), (0x61, 0x7A)]),
        "Lower" => ranges(&[(0x61, 0x7A)]),
        "Print" => ranges(&[(0x20, 0x7E)]),
        "Punct" => ranges(&[(0x21, 0x2F), (0x3A, 0x40), (0x5B, 0x60), (0x7B, 0x7E)]),
        "Space" => space(),
        "Upper" if ci => ranges(&[(0x41, 0x5A), (0x61, 0x7A)]),
        "Upper" => ranges(&[(0x41, 0x5A)]),
        "XDigit" => ranges(&[(0x30, 0x39), (0x41, 0x46), (0x61, 0x66)]),
        // java.lang.Character predicates.
        "javaLowerCase" if ci => cased(),
        "javaLowerCase" => Set::prop("Lowercase"),
        "javaUpperCase" if ci => cased(),
        "javaUpperCase" => Set::prop("Uppercase"),
        "javaTitleCase" if ci => cased(),
        "javaTitleCase" => Set::prop("Lt"),
        "javaAlphabetic" => Set::prop("Alphabetic"),
        "javaIdeographic" => Set::prop("Ideographic"),
        "javaDigit" => Set::prop("Nd"),
        "javaDefined" => Set::not(Set::prop("Cn")),
        "javaLetter" => Set::prop("L"),
        "javaLetterOrDigit" => props(&["L", "Nd"]),
        "javaSpaceChar" => Set::prop("Z"),
        "javaISOControl" => ranges(&[(0x00, 0x1F), (0x7F, 0x9F)]),
        "javaMirrored" => Set::prop("Bidi_Mirrored"),
        // Character.isWhitespace: separators except no-break spaces, plus \t-\r, \x1C-\x1F.
        "javaWhitespace" => Set::Union(vec![
            ranges(&[(0x09, 0x0D), (0x1C, 0x1F)]),
            Set::And(vec![Set::prop("Z"), Set::not(ranges(&[(0xA0, 0xA0), (0x2007, 0x2007), (0x202F, 0x202F)]))]),
        ]),
        "javaJavaIdentifierStart"
        | "javaJavaIdentifierPart"
        | "javaUnicodeIdentifierStart"
        | "javaUnicodeIdentifierPart"
        | "javaIdentifierIgnorable" => return Prop::Unsupported("Java identifier property"),
        _ => return Prop::Unknown,
    })
}

// ---------------------------------------------------------------------------------------
// Printer
// ---------------------------------------------------------------------------------------

/// Never matches: what a class with no members (e.g. only a lone surrogate) becomes.
const EMPTY_CLASS: &str = r"[^\x{0}-\x{10FFFF}]";
/// Java's (non-multiline) line terminators, minus `\n`, as class members.
const TERMINATORS_BUT_LF: &str = r"\r\x{85}\x{2028}\x{2029}";
const WORD_CLASS: &str = "[0-9A-Za-z_]";

/// What may follow a node, up to the end of the pattern or of the enclosing look-ahead.
#[derive(Debug, Clone, Copy)]
struct Tail {
    /// Nothing that consumes input or tests a position: `(?m)$` may consume a terminator.
    strict: bool,
    /// As `strict`, but more `$`/`\Z` are allowed: a Java `$` may consume the final terminator.
    dollar: bool,
}

impl Tail {
    const NONE: Tail = Tail { strict: false, dollar: false };
    const ALL: Tail = Tail { strict: true, dollar: true };
}

struct Emitter {
    engine: Engine,
    /// Set while printing for `regex` when a construct needs the backtracking engine.
    needs_fancy: bool,
    /// Print large single-character counted repetitions as `(?>X){m,n}` so fancy-regex
    /// runs them with a loop counter instead of delegating a huge `regex` program.
    vm_repeats: bool,
    /// Number of capturing groups in the pattern.
    groups: u32,
}

impl Emitter {
    /// Records that the pattern needs `fancy-regex` (printing for `regex` goes on, so
    /// the caller learns it and prints again for `fancy-regex`).
    fn fancy(&mut self) {
        self.needs_fancy = true;
    }

    /// `\n` not preceded by `\r` (Java never matches `$` between `\r` and `\n`).
    fn lone_lf(&self) -> &'static str {
        match self.engine {
            // CRLF-mode `$` holds before `\n` unless it follows `\r`.
            Engine::Regex => r"(?mR:$)\n",
            Engine::FancyRegex => r"(?<!\r)\n",
        }
    }

    /// `tail` says what can follow `n` (see [`Tail`]).
    fn node(&mut self, n: &Node, tail: Tail, out: &mut String) {
        match n {
            Node::Empty => {}
            Node::Char(c) => push_char(out, *c),
            Node::Set(set) => match set.single() {
                Some(c) => push_char(out, c),
                None => push_class(out, set),
            },
            Node::Concat(xs) => {
                for (i, x) in xs.iter().enumerate() {
                    let rest = &xs[i + 1..];
                    let t = Tail {
                        strict: tail.strict && rest.iter().all(is_transparent),
                        dollar: tail.dollar && rest.iter().all(is_dollar_transparent),
                    };
                    // `$` directly followed by a character that is not a line terminator
                    // can never match (models contain typos like `^\d{12}$/`).
                    if let (Node::Look(Look::EndLine | Look::LineEnd), Some(Node::Char(c))) = (x, rest.first()) {
                        if !matches!(c, '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}') {
                            out.push_str(EMPTY_CLASS);
                            continue;
                        }
                    }
                    self.node(x, t, out);
                }
            }
            Node::Alt(xs) => {
                for (i, x) in xs.iter().enumerate() {
                    if i > 0 {
                        out.push('|');
                    }
                    self.node(x, tail, out);
                }
            }
            Node::Group(kind, body) => {
                let (open, body_tail) = match kind {
                    GroupKind::Capture(None) => ("(".to_string(), tail),
                    // Names do not matter for matching, and `\k<name>` was resolved to a
                    // number (fancy-regex refuses numbered references to named groups).
                    GroupKind::Capture(Some(_)) => ("(".to_string(), tail),
                    GroupKind::NonCapture => ("(?:".to_string(), tail),
                    GroupKind::Atomic => {
                        self.fancy();
                        ("(?>".to_string(), tail)
                    }
                    // What a look-ahead body consumes is irrelevant: it is a tail.
                    GroupKind::Ahead { negated } => {
                        self.fancy();
                        ((if *negated { "(?!" } else { "(?=" }).to_string(), Tail::ALL)
                    }
                    GroupKind::Behind { negated } => {
                        self.fancy();
                        ((if *negated { "(?<!" } else { "(?<=" }).to_string(), Tail::NONE)
                    }
                };
                out.push_str(&open);
                self.node(body, body_tail, out);
                out.push(')');
            }
            Node::Repeat { node, min, max, greed } => {
                // Another iteration may follow the body, so it is a tail only if single.
                let body_tail = if *max == Some(1) { tail } else { Tail::NONE };
                let mut body = String::new();
                self.node(node, body_tail, &mut body);
                let atomic_body = matches!(**node, Node::Char(_) | Node::Set(_) | Node::Group(..) | Node::LineBreak);
                let mut rep = if self.vm_repeats && is_big_repeat(n) {
                    // One character matches one way, so `(?>X)` is `X`; the atomic group
                    // makes fancy-regex loop over it instead of delegating copies.
                    format!("(?>{body})")
                } else if atomic_body {
                    body
                } else {
                    format!("(?:{body})")
                };
                match (min, max) {
                    (0, Some(1)) => rep.push('?'),
                    (0, None) => rep.push('*'),
                    (1, None) => rep.push('+'),
                    (n, None) => rep.push_str(&format!("{{{n},}}")),
                    (n, Some(m)) if n == m => rep.push_str(&format!("{{{n}}}")),
                    (n, Some(m)) => rep.push_str(&format!("{{{n},{m}}}")),
                }
                match greed {
                    Greed::Greedy => out.push_str(&rep),
                    Greed::Lazy => {
                        out.push_str(&rep);
                        out.push('?');
                    }
                    // A fixed count of one character can only match one way, so
                    // possessive is the same as greedy (`\d{12}+`).
                    Greed::Possessive if Some(*min) == *max && matches!(**node, Node::Char(_) | Node::Set(_)) => {
                        out.push_str(&rep)
                    }
                    // Java: `X*+` is exactly `(?>X*)`.
                    Greed::Possessive => {
                        self.fancy();
                        out.push_str("(?>");
                        out.push_str(&rep);
                        out.push(')');
                    }
                }
            }
            Node::Look(look) => self.look(*look, tail, out),
            // Java allocates at least 10 groups: `\5` without a group 5 compiles and
            // never matches.
            Node::BackRef(k) if *k > self.groups => out.push_str(EMPTY_CLASS),
            Node::BackRef(k) => {
                self.fancy();
                // Grouped so a following digit cannot extend the number.
                out.push_str(&format!("(?:\\{k})"));
            }
            Node::LineBreak => out.push_str(r"(?:\r\n|[\n\x0B\f\r\x{85}\x{2028}\x{2029}])"),
        }
    }

    fn look(&mut self, look: Look, tail: Tail, out: &mut String) {
        match look {
            Look::Start => out.push('^'),
            Look::End => out.push_str(r"\z"),
            Look::EndLine => {
                // End of input, or before a final `\r\n` / line terminator.
                if tail.dollar {
                    out.push_str(&format!(r"(?:\r\n|[{TERMINATORS_BUT_LF}]|{})?\z", self.lone_lf()));
                } else {
                    self.fancy();
                    out.push_str(&format!(r"(?=(?:\r\n|[{TERMINATORS_BUT_LF}]|{})?\z)", self.lone_lf()));
                }
            }
            Look::LineEnd => {
                // End of input, or before any line terminator (not inside `\r\n`).
                if tail.strict {
                    out.push_str(&format!(r"(?:\z|[{TERMINATORS_BUT_LF}]|{})", self.lone_lf()));
                } else {
                    self.fancy();
                    out.push_str(&format!(r"(?:\z|(?=[{TERMINATORS_BUT_LF}])|(?<!\r)(?=\n))"));
                }
            }
            Look::LineStart => {
                // Start, or after a line terminator (not inside `\r\n`), never at the end.
                self.fancy();
                out.push_str(r"(?:^|(?<=[\n\x{85}\x{2028}\x{2029}])|(?<=\r)(?!\n))(?!\z)");
            }
            Look::WordBoundary | Look::NotWordBoundary => {
                let negated = look == Look::NotWordBoundary;
                match self.engine {
                    Engine::Regex => out.push_str(if negated { r"(?-u:\B)" } else { r"(?-u:\b)" }),
                    Engine::FancyRegex => {
                        let w = WORD_CLASS;
                        if negated {
                            out.push_str(&format!("(?:(?<={w})(?={w})|(?<!{w})(?!{w}))"));
                        } else {
                            out.push_str(&format!("(?:(?<={w})(?!{w})|(?<!{w})(?={w}))"));
                        }
                    }
                }
            }
        }
    }
}

/// A character outside or inside a class. Only the characters that are special to
/// `regex`/`fancy-regex` get a backslash (never `<`/`>`: `\<` is a word boundary).
fn push_char(out: &mut String, c: char) {
    match c {
        '\n' => out.push_str(r"\n"),
        '\r' => out.push_str(r"\r"),
        '\t' => out.push_str(r"\t"),
        '\\' | '.' | '+' | '*' | '?' | '(' | ')' | '|' | '[' | ']' | '{' | '}' | '^' | '$' | '#' | '&' | '-' | '~' => {
            out.push('\\');
            out.push(c);
        }
        ' ' => out.push(' '),
        c if c.is_control() || c.is_whitespace() || (!c.is_ascii() && is_invisible(c)) => {
            out.push_str(&format!(r"\x{{{:X}}}", c as u32))
        }
        c => out.push(c),
    }
}

/// Format and other invisible characters are written as `\x{...}` for readability.
fn is_invisible(c: char) -> bool {
    matches!(c as u32, 0xAD | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x206F | 0xFEFF | 0xFFF9..=0xFFFB)
}

/// Prints `set` as a bracketed class.
fn push_class(out: &mut String, set: &Set) {
    match set {
        Set::Not(inner) => match &**inner {
            Set::And(ops) => {
                out.push_str("[^");
                push_and(out, ops);
                out.push(']');
            }
            other => {
                let mut members = String::new();
                push_members(&mut members, other);
                if members.is_empty() {
                    out.push_str(r"[\x{0}-\x{10FFFF}]");
                } else {
                    out.push_str("[^");
                    out.push_str(&members);
                    out.push(']');
                }
            }
        },
        Set::And(ops) => {
            out.push('[');
            push_and(out, ops);
            out.push(']');
        }
        _ => {
            let mut members = String::new();
            push_members(&mut members, set);
            if members.is_empty() {
                out.push_str(EMPTY_CLASS);
            } else {
                out.push('[');
                out.push_str(&members);
                out.push(']');
            }
        }
    }
}

fn push_and(out: &mut String, ops: &[Set]) {
    for (i, op) in ops.iter().enumerate() {
        if i > 0 {
            out.push_str("&&");
        }
        push_class(out, op);
    }
}

/// Prints the members of a union (without brackets); nested sets get their own.
fn push_members(out: &mut String, set: &Set) {
    match set {
        Set::Range(lo, hi) => {
            // Surrogates cannot occur in Rust strings (nor in `regex` classes).
            let (lo, hi) = (*lo, *hi);
            let pieces = [(lo, hi.min(0xD7FF)), (lo.max(0xE000), hi)];
            for (a, b) in pieces {
                if let (Some(a), Some(b)) = (char::from_u32(a), char::from_u32(b)) {
                    if a <= b {
                        push_char(out, a);
                        if a != b {
                            out.push('-');
                            push_char(out, b);
                        }
                    }
                }
            }
        }
        Set::Prop { name, negated } => {
            out.push_str(if *negated { r"\P{" } else { r"\p{" });
            out.push_str(name);
            out.push('}');
        }
        Set::Union(xs) => xs.iter().for_each(|x| push_members(out, x)),
        Set::And(_) | Set::Not(_) => push_class(out, set),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cached_translations_are_the_translations() {
        for java in ["^[a-z]+$", "^(?!aws:).*$", "[", "^\\p{L}{1,64}$"] {
            assert_eq!(translate_cached(java), translate(java), "{java}");
            assert_eq!(translate_cached(java), translate(java), "{java}, remembered");
        }
    }

    /// Compiles a translation with its engine (as generated code will) and searches `input`.
    fn is_match(t: &Translated, input: &str) -> bool {
        match t.engine {
            Engine::Regex => {
                regex::RegexBuilder::new(&t.source).size_limit(SIZE_LIMIT).build().unwrap().is_match(input)
            }
            Engine::FancyRegex => fancy_regex::RegexBuilder::new(&t.source)
                .delegate_size_limit(SIZE_LIMIT)
                .build()
                .unwrap()
                .is_match(input)
                .unwrap(),
        }
    }

    /// (Java pattern, input, what java.util.regex `find()` answers).
    const CASES: &[(&str, &str, bool)] = &[
        // Required examples.
        (r"^[\p{Graph}\x20]*$", "hello world", true),
        (r"^[\p{Graph}\x20]*$", "A-z~!", true),
        (r"^[\p{Graph}\x20]*$", "héllo", false),
        (r"^[\p{Graph}\x20]*$", "tab\there", false),
        (r"^\w+$", "héllo", false),
        (r"^\w+$", "abc_1", true),
        (r"^\d+$", "١٢", false),
        (r"^\d+$", "12", true),
        (r"^[\w-.]+$", "a-b.c_1", true),
        (r"^[\w-.]+$", "a b", false),
        (r"^[\w-.]+$", "a,b", false),
        (r"^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$", "héllo wörld", true),
        (r"^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$", "a#b", false),
        (r"^[a-zA-Z0-9][a-zA-Z0-9\-_]*$", "my-bucket_1", true),
        (r"^[a-zA-Z0-9][a-zA-Z0-9\-_]*$", "-bucket", false),
        (r"^[a-zA-Z0-9][a-zA-Z0-9\-_]*$", "a.b", false),
        (r"^arn:([a-z\d-]+):personalize:.*:.*:.+$", "arn:aws:personalize:us-east-1:123:solution/x", true),
        (r"^arn:([a-z\d-]+):personalize:.*:.*:.+$", "arn:aws:s3:us-east-1:123:x", false),
        (r"^arn:([a-z\d-]+):personalize:.*:.*:.+$", "arn:aws:personalize:a\rb:c:d", false),
        // Searching, not anchored.
        (r"abc", "xxabcxx", true),
        (r"^abc", "xxabc", false),
        // Shorthands are ASCII.
        (r"^\s+$", " \t\n\x0B\x0C\r", true),
        (r"^\s+$", "\u{A0}", false),
        (r"^\S+$", "\u{A0}", true),
        (r"^\W+$", "é", true),
        (r"^\D+$", "١", true),
        (r"^[^\w]+$", "é-", true),
        (r"^[^\d\s]+$", "a b", false),
        (r"^\h+$", " \t\u{A0}\u{3000}", true),
        (r"^\h+$", "\n", false),
        (r"^\v+$", "\n\x0B\x0C\r\u{85}\u{2028}\u{2029}", true),
        (r"^\v+$", " ", false),
        (r"^\V+$", "ab", true),
        (r"^a\Rb$", "a\r\nb", true),
        (r"^a\Rb$", "a\u{2028}b", true),
        (r"^a\R\nb$", "a\r\nb", true), // JDK 9+: `\R` backtracks to a lone `\r`
        // `\w-` and ranges with punctuation inside classes.
        (r"^[\w-]+$", "a-", true),
        (r"^[+-.]+$", ",", true),
        (r"^[+-.]+$", "/", false),
        (r"^[!#$%&'*+-.^_`|~0-9a-zA-Z]+$", "a^b|c~", true),
        (r"^[!#$%&'*+-.^_`|~0-9a-zA-Z]+$", "a b", false),
        (r"^[-a-z]+$", "-a", true),
        (r"^[a-z-]+$", "-a", true),
        (r"^[a\-z]+$", "b", false),
        (r"^[]a]+$", "]a", true),
        (r"^[^]a]+$", "b", true),
        (r"^[^]a]+$", "]", false),
        (r"^[a^]+$", "^", true),
        (r"^[a~~b]+$", "~", true),
        // POSIX classes, inside and outside brackets, and negations.
        (r"^\p{Lower}+$", "abc", true),
        (r"^\p{Lower}+$", "é", false),
        (r"^\p{Upper}+$", "ABC", true),
        (r"^\p{ASCII}+$", "\u{0}~\u{7F}", true),
        (r"^\p{ASCII}+$", "é", false),
        (r"^\p{Alpha}+$", "aZ", true),
        (r"^\p{Alpha}+$", "é", false),
        (r"^\p{Digit}+$", "09", true),
        (r"^\p{Alnum}+$", "a9", true),
        (r"^\p{Alnum}+$", "_", false),
        (r"^\p{Punct}+$", "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", true),
        (r"^\p{Punct}+$", "a", false),
        (r"^\p{Punct}+$", "¡", false),
        (r"^\p{Print}+$", "a b~", true),
        (r"^\p{Print}+$", "\t", false),
        (r"^\p{Blank}+$", " \t", true),
        (r"^\p{Blank}+$", "\n", false),
        (r"^\p{Cntrl}+$", "\u{0}\u{1F}\u{7F}", true),
        (r"^\p{Cntrl}+$", "\u{80}", false),
        (r"^\p{XDigit}+$", "09afAF", true),
        (r"^\p{XDigit}+$", "g", false),
        (r"^\p{Space}+$", " \x0B", true),
        (r"^\P{Graph}+$", " é", true),
        (r"^\P{Graph}+$", "a", false),
        (r"^[^\p{Graph}]+$", " é", true),
        (r"^[^\p{Graph}]+$", "a", false),
        (r"^[^\p{Cntrl}]*$", "abc é", true),
        (r"^[^\p{Cntrl}]*$", "a\nb", false),
        (r"^[\P{Alpha}x]+$", "1x", true),
        (r"^[\P{Alpha}x]+$", "y", false),
        (r"^[\p{Alnum}\p{Punct}\p{Blank}]*$", "a-b c\t", true),
        (r"^[\p{Alnum}\p{Punct}\p{Blank}]*$", "a\nb", false),
        (r"^[\p{Print}&&[^|:/]]+$", "abc", true),
        (r"^[\p{Print}&&[^|:/]]+$", "a:b", false),
        (r"^[\p{Print}&&[^|:/]]+$", "é", false),
        (r"^[a-z&&[^aeiou]]+$", "bcd", true),
        (r"^[a-z&&[^aeiou]]+$", "bad", false),
        (r"^[a-z&&def]+$", "de", true),
        (r"^[a-z&&def]+$", "a", false),
        (r"^[^a-z&&[aeiou]]+$", "b", true),
        (r"^[^a-z&&[aeiou]]+$", "a", false),
        (r"^[a-c[x-z]]+$", "bx", true),
        (r"^[a-c[x-z]]+$", "m", false),
        (r"^[^a[b]]+$", "b", false), // JDK 9+: `^` negates the nested class too
        // Java-only property names.
        (r"^\p{javaLowerCase}+$", "aé", true),
        (r"^\p{javaLowerCase}+$", "A", false),
        (r"^\p{javaWhitespace}+$", " \t\u{2003}", true),
        (r"^\p{javaWhitespace}+$", "\u{A0}", false),
        (r#"^[0-9\p{IsAlphabetic}+:,.@'" -]*$"#, "Zoë 1+", true),
        (r#"^[0-9\p{IsAlphabetic}+:,.@'" -]*$"#, "a#", false),
        (r"^[^\p{C}\p{IsWhitespace}]+$", "aé!", true),
        (r"^[^\p{C}\p{IsWhitespace}]+$", "a\u{3000}", false),
        (r"^\p{IsLatin}+$", "abé", true),
        (r"^\p{IsLatin}+$", "α", false),
        (r"^\p{IsGreek}+$", "αβ", true),
        (r"^\p{script=Greek}+$", "αβ", true),
        (r"^\p{IsL}+$", "aé", true),
        (r"^\p{IsDigit}+$", "١٢", true),
        (r"^\p{IsPunctuation}+$", "¡!", true),
        (r"^(\p{LD}|\p{Punct}| )+$", "a1 é!", true),
        (r"^(\p{LD}|\p{Punct}| )+$", "\t", false),
        (r"^[\p{all}]*$", "any\nthing", true),
        (r"^\p{L1}+$", "ÿa", true),
        (r"^\p{L1}+$", "Ā", false),
        (r"^\pL+$", "aé", true),
        (r"^\PL+$", "1", true),
        (r"^\p{Lu}+$", "AÉ", true),
        (r"^\p{Lu}+$", "a", false),
        (r"^\p{Cs}?a\P{Cs}$", "aé", true),
        (r"^\p{IsGraph}+$", "é!", true),
        (r"^\p{IsGraph}+$", "\u{A0}", false),
        (r"^\p{IsPrint}+$", "é \u{A0}", true),
        (r"^\p{IsPrint}+$", "\t", false),
        // Unicode general categories.
        (r"^[\p{L}\p{M}\p{N}]+$", "e\u{301}٣", true),
        (r"^\p{Z}$", "\u{2003}", true),
        (r"^\p{S}+$", "$+€", true),
        (r"^\p{P}+$", "!¿", true),
        (r"^\P{C}+$", "ab", true),
        (r"^\P{C}+$", "a\u{0}", false),
        (r"^\P{M}+$", "a\u{301}", false),
        // Escapes.
        (r"^\x41\x{1F600}$", "A😀", true),
        (r"^\u0041\u00e9$", "Aé", true),
        (r"^\uD83D\uDE00$", "😀", true),
        (r"^[\uD800\uDC00-\uDBFF\uDFFF]$", "😀", true),
        (r"^[\uD800\uDC00-\uDBFF\uDFFF]$", "a", false),
        (r"^[\u0020-\uD7FF\uE000-\uFFFD\uD800\uDC00-\uDBFF\uDFFF\r\n\t]*$", "ok 😀\n", true),
        (r"^[\u0020-\uD7FF\uE000-\uFFFD\uD800\uDC00-\uDBFF\uDFFF\r\n\t]*$", "\u{1}", false),
        (r"^a\uD800?b$", "ab", true), // a lone surrogate never matches
        (r"^[^/:|\000-\037]+$", "abc", true),
        (r"^[^/:|\000-\037]+$", "a\u{1F}", false),
        (r"^\0101\012$", "A\n", true),
        (r"^\e\a\f$", "\u{1B}\u{7}\u{C}", true),
        (r"^\cA\c?$", "\u{1}\u{7F}", true),
        (r"^\t\n\r$", "\t\n\r", true),
        (r"^\Qa.b*\E+$", "a.b**", true),
        (r"^\Qa.b*\E+$", "axb*", false),
        (r"^[\Q]-\E]+$", "]-", true),
        (r"^\Q1\E$", "1", true),
        (r"^\/\_\:\@\'\ \#\=\,\!\~$", "/_:@' #=,!~", true),
        (r"^a\<b\>$", "a<b>", true),
        (r"^\$\^\.\*\+\?\(\)\[\]\{\}\|\\$", "$^.*+?()[]{}|\\", true),
        (r"^a}]$", "a}]", true),
        (r"^‘’$", "‘’", true),
        // Dot and line terminators; `$` before a final terminator.
        (r"^.$", "é", true),
        (r"^.$", "\r", false),
        (r"^.$", "\u{85}", false),
        (r"^.$", "\u{2028}", false),
        (r"(?s)^.$", "\r", true),
        (r"^abc$", "abc\n", true),
        (r"^abc$", "abc\r\n", true),
        (r"^abc$", "abc\r", true),
        (r"^abc$", "abc\u{2029}", true),
        (r"^abc$", "abc\n\n", false),
        (r"^abc$", "abcd", false),
        (r"^a\s$", "a\r\n", false), // `$` never matches between `\r` and `\n`
        (r"^a\s$", "a\n\n", true),
        (r"^[^x]{1,2}$", "a\r\n", true),
        (r"^abc\Z", "abc\n", true),
        (r"^abc\z", "abc\n", false),
        (r"^\Aabc\z$", "abc", true),
        (r"^(ab$|c)d", "ab", false),
        (r"^(?:abc$)?$", "abc\n", true),
        (r"a$\n", "a\n", true), // needs the look-ahead form of `$`
        (r"a$\n", "a\nb", false),
        (r"^(?!.*-$)[a-z-]+$", "ab-", false),
        (r"^(?!.*-$)[a-z-]+$", "a-b", true),
        (r"^(^2$)$", "2\n", true), // `$$` is `$`: still the linear engine
        (r"^sg-([a-z0-9]{8}$|[a-z0-9]{17}$)$", "sg-0123abcd\r\n", true),
        (r"^sg-([a-z0-9]{8}$|[a-z0-9]{17}$)$", "sg-0123abcd\n\n", false),
        (r"(?m)a$$", "a\n\n", true),
        (r"^a$$\n", "a\n", true),
        (r"^\d{3}$/", "123", false), // `$/` can never match
        (r"^\d{3}$/", "123\n/", false),
        (r"^.{1,100000}$", "abc", true), // too big for `regex`: fancy-regex loops
        (r"^.{1,100000}$", "", false),
        (r"^.{1,100000}$", "a\nb", false),
        (r"^[\P{M}\p{M}]{0,20000}$", "e\u{301}", true),
        (r"^(?<x>a)\1$", "aa", true), // numbered reference to a named group
        (r"^(a|\5)$", "a", true),     // Java: a missing group never matches
        (r"^(a|\5)$", "", false),
        // Multiline anchors.
        (r"(?m)^b$", "a\nb\nc", true),
        (r"(?m)^b$", "a\r\nb\r\nc", true),
        (r"(?m)^b$", "a\u{85}b\u{2028}c", true),
        (r"(?m)^b$", "abc", false),
        (r"(?m)^$", "", false), // Java: multiline `^` never matches at the end
        (r"(?m)a$", "a\r\n", true),
        (r"(?m)a$\n", "a\r\n", false),
        (
            r"^(?ms)\s*^-----BEGIN (?-s:.*)PRIVATE KEY-----$.*?^-----END (?-s:.*)PRIVATE KEY-----$\s*$",
            "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n",
            true,
        ),
        (
            r"^(?ms)\s*^-----BEGIN (?-s:.*)PRIVATE KEY-----$.*?^-----END (?-s:.*)PRIVATE KEY-----$\s*$",
            "x-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n",
            false,
        ),
        // Word boundaries are ASCII.
        (r"\bfoo\b", "a foo b", true),
        (r"\bfoo\b", "afoo", false),
        (r"\bfoo\b", "éfooé", true),
        (r"\Bfoo", "afoo", true),
        (r"\Bfoo", "éfoo", false),
        (r"^\b[0-9a-f]{8}\b-[0-9a-f]{4}$", "0123abcd-ef01", true),
        (r"^(\bTSTALIASID\b|[0-9a-zA-Z]+)$", "TSTALIASID", true),
        (r"(?=a)\bfoo", "foo", false),
        (r"(?=f)\bfoo\b", "x foo", true),
        (r"(?=f)\bfoo\b", "éfooé", true),
        (r"(?=f)\Bfoo", "éfoo", false),
        // Case-insensitivity is ASCII-only in Java.
        (r"^(?i)(true|false)$", "TrUe", true),
        (r"^(?i)(true|false)$", "yes", false),
        (r"(?i)k", "\u{212A}", false), // Kelvin sign folds to `k` only with UNICODE_CASE
        (r"(?i)é", "É", false),
        (r"^(?i)[a-c]+$", "AbC", true),
        (r"^(?i)[^a-c]+$", "B", false),
        (r"^(?i)[X-c]+$", "xY_", true),
        (r"^(?i)\p{Lower}+$", "aB", true),
        (r"^(?i:a)b$", "AB", false),
        (r"^(?i:a)b$", "Ab", true),
        (r"^(?i)a(?-i)b$", "Ab", true),
        (r"^(?i)a(?-i)b$", "AB", false),
        (r"^(a(?i)b)c$", "aBc", true),
        (r"^(a(?i)b)c$", "aBC", false),
        (r"^(?i)all|[0-9]{12}$", "ALLx", true),
        (r"^(?!(?i)(arn|aws):)[\p{L}\p{M}\p{S}\p{N}\p{P}]+$", "ARN:x", false),
        (r"^(?!(?i)(arn|aws):)[\p{L}\p{M}\p{S}\p{N}\p{P}]+$", "name", true),
        // Quantifiers.
        (r"^a{2}$", "aa", true),
        (r"^a{2,}$", "aaaa", true),
        (r"^a{2,3}$", "aaaa", false),
        (r"^a*?b$", "aab", true),
        (r"^a{2}{3}$", "aa", true), // Java repeats an empty atom for the second `{3}`
        (r"^[0-9A-Z]{2}+$", "A1", true),
        (r"^\d{1}+:\d{12}+$", "1:123456789012", true),
        (r"^a*+a$", "aaa", false), // possessive: never gives a character back
        (r"^a*a$", "aaa", true),
        (r"^(?:ab)++c$", "ababc", true),
        (r"^(?>a|ab)c$", "abc", false), // atomic group
        (r"^(?>ab|a)c$", "abc", true),
        (r"^(?>a*?)b$", "aab", false),
        (r"^(?=a)*b$", "b", true),
        // Look-around and back-references.
        (r"^(?!-)[a-z-]+(?<!-)$", "a-b", true),
        (r"^(?!-)[a-z-]+(?<!-)$", "a-", false),
        (r"^[0-9a-z\.\-]*(?<!\.)$", "a.b", true),
        (r"^[0-9a-z\.\-]*(?<!\.)$", "a.", false),
        (r"^(a)(b)\2\1$", "abba", true),
        (r"^(a)(b)\2\1$", "abab", false),
        (r"^(a)\11$", "aa1", true), // `\11` is `\1` then `1`: only one group exists
        (r"^(?<x>a|b)\k<x>$", "bb", true),
        (r"^(?<x>a|b)\k<x>$", "ab", false),
        (r"^(?<year>\d{4})-(?<m>\d\d)$", "2024-01", true),
        // Alternation, empty alternatives and groups.
        (r"^$|^[a-z]+$", "", true),
        (r"^(|a)b$", "b", true),
        (r"^(?:)+$", "", true),
        (r"^(?s)", "anything", true),
    ];

    #[test]
    fn matches_like_java() {
        let mut translated = std::collections::HashMap::new();
        let mut failures = Vec::new();
        for &(java, input, expected) in CASES {
            let t =
                translated.entry(java).or_insert_with(|| translate(java).unwrap_or_else(|e| panic!("{java:?}: {e}")));
            if is_match(t, input) != expected {
                failures.push(format!("{java:?} on {input:?}: expected {expected}, via {:?} {:?}", t.engine, t.source));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn engine_choice() {
        let regex = [
            r"^[\p{Graph}\x20]*$",
            r"^\w+$",
            r"^abc$",
            r"\bfoo\b",
            r"^[0-9A-Z]{2}+$",
            r"^(?i)(true|false)$",
            r"^(?s)\s*-----BEGIN CERTIFICATE-----.+-----END CERTIFICATE-----\s*$",
            r"^a\R$",
            r"^(^auto$)|(^0$)|(^1$)$",
            r"^sg-([a-z0-9]{8}$|[a-z0-9]{17}$)$",
            r"^[\d]{12}$/",
        ];
        for java in regex {
            assert_eq!(translate(java).unwrap().engine, Engine::Regex, "{java}");
        }
        let fancy = [
            r"^(?!-)[a-z]+$",
            r"^[a-z]*(?<!\.)$",
            r"^(a)\1$",
            r"^(?>a|ab)c$",
            r"^a*+$",
            r"(?m)^a",
            r"a$\n",
            r"(?=x)\bfoo",
            r"^.{1,100000}$",
            r"^[^\p{C}]{1,2048}$",
        ];
        for java in fancy {
            assert_eq!(translate(java).unwrap().engine, Engine::FancyRegex, "{java}");
        }
    }

    #[test]
    fn translations_read_well() {
        let cases = [
            (r"^\d+$", r"^[0-9]+(?:\r\n|[\r\x{85}\x{2028}\x{2029}]|(?mR:$)\n)?\z"),
            (r"[\w-.]+", r"[0-9A-Z_a-z\-\.]+"),
            (r"a\.b\/c", r"a\.b/c"),
            (r"\bx", r"(?-u:\b)x"),
            (r"(?i)ab", r"[Aa][Bb]"),
            (r"[+-.]", r"[\+-\.]"),
            (r"\u00e9\x{1F600}", "é😀"),
            (r"(?<name>a)\k<name>", r"(a)(?:\1)"),
        ];
        for (java, rust) in cases {
            assert_eq!(translate(java).unwrap().source, rust, "{java}");
        }
    }

    #[test]
    fn rejects() {
        let invalid = [
            "[abc",
            "(",
            ")",
            "\\",
            "a\\",
            "[a-",
            "*a",
            "a**",
            "a{",
            "{abc}",
            "a{2,1}",
            "a{2",
            "[z-a]",
            "[a--]",
            "\\y",
            "\\E",
            "(?<a_b>x)",
            "(?<1>x)",
            "(?z)",
            "(?i-s-m)",
            "\\k<nope>",
            "\\p{Nope}",
            "\\p{}",
            "\\p{L",
            "\\x",
            "\\xG0",
            "\\x{110000}",
            "\\u12",
            "\\0",
            "\\08",
            "\\c",
            "[\\1]",
            "[\\b]",
            "[a-\\d]",
            "(?<x",
            "(?$a)",
            "(?<a>x)(?<a>y)",
            "a)b",
        ];
        for java in invalid {
            let err = translate(java).expect_err(java);
            assert!(err.message.starts_with("invalid Java pattern:"), "{java}: {err}");
        }
        let unsupported = [
            (r"(?x)a b", "`x`"),
            (r"(?d)^a", "`d`"),
            (r"(?U)\w", "`U`"),
            (r"(?iu)é", "(?iu)"),
            (r"\p{InGreek}", "block"),
            (r"\p{block=Greek}", "block"),
            (r"\N{LATIN SMALL LETTER A}", "\\N"),
            (r"\X", "\\X"),
            (r"\b{g}", "\\b{g}"),
            (r"(?i)(a)\1", "back-reference"),
            (r"\p{javaJavaIdentifierStart}", "identifier"),
            (r"[a&&[b]c]", "&&"),
            (r"[a&&]", "&&"),
            (&"(".repeat(500), "nesting"),
        ];
        for (java, needle) in unsupported {
            let err = translate(java).expect_err(java);
            assert!(err.message.contains(needle), "{java}: {err}");
            assert!(!err.message.contains('\n'), "{java}: {err}");
        }
        let e = translate("ab[c").unwrap_err();
        assert_eq!(e.to_string(), "invalid Java pattern: unclosed character class at offset 2");
    }

    /// Deterministic pseudo-random garbage over regex metacharacters: must never panic.
    #[test]
    fn never_panics() {
        const ALPHABET: &[&str] = &[
            "(", ")", "[", "]", "{", "}", "\\", "^", "$", ".", "|", "?", "*", "+", "-", "&&", "a", "1", "0", ",", "<",
            ">", "=", "!", ":", "p", "P", "{L}", "Q", "E", "x", "u", "k", "b", "B", "d", "w", "s", "i", "m", "é", "#",
            " ", "~", "2", "D83D", "c", "R", "Z", "z",
        ];
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move || {
            // xorshift64*
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            state.wrapping_mul(0x2545_F491_4F6C_DD1D)
        };
        let mut ok = 0;
        for _ in 0..600 {
            let len = (next() % 14) as usize;
            let pattern: String = (0..len).map(|_| ALPHABET[(next() % ALPHABET.len() as u64) as usize]).collect();
            if translate(&pattern).is_ok() {
                ok += 1;
            }
        }
        assert!(ok > 10, "the generator should also produce some valid patterns ({ok})");
    }
}
