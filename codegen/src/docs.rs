//! Smithy `documentation` (HTML, as AWS writes it) -> Markdown lines for rustdoc.
//!
//! The converter is a small tokenizer feeding a block/inline writer, not an HTML parser: AWS
//! documentation is mostly well-formed `<p>`, `<code>`, `<a>`, `<ul>`/`<li>` and `<note>`, but
//! also contains unclosed tags, stray `<` and `&`, and placeholders such as
//! `arn:aws:iot:<region>:<account>` that look like tags and are not.
//!
//! The output must not trip rustdoc's lints, so:
//! - text is escaped: `[` `]` (no intra-doc links), `<` `>` (no HTML tags), `` ` ``, `*`,
//!   `~`, `\`, `_` at word edges, `&` before a name, and block markers at a line start;
//! - bare `http(s)://` URLs become autolinks `<https://...>` (`rustdoc::bare_urls`);
//! - only absolute `http(s)` link targets become Markdown links: a relative href would be
//!   taken for an intra-doc link;
//! - code blocks are fenced as ```` ```text ```` so rustdoc never compiles model prose, and
//!   nothing else starts with four spaces outside a list (which would be an indented, Rust,
//!   code block).

/// Converts a Smithy `documentation` trait value to Markdown lines for rustdoc.
///
/// The input is HTML as AWS writes it (`<p>`, `<code>`, `<a href>`, `<ul>`/`<ol>`/`<li>`,
/// `<b>`/`<i>`/`<strong>`/`<em>`, `<note>`, `<important>`, `<br/>`, `<pre>`, `<dl>`/`<dt>`/
/// `<dd>`, entities), sometimes plain or Markdown-ish text without tags, sometimes malformed.
/// Each returned line becomes one `#[doc = " line"]` attribute (the caller adds the leading
/// space): no line contains a newline or trailing whitespace, paragraphs are separated by
/// one empty line, and there are no leading or trailing empty lines. Long lines are not
/// wrapped.
///
/// Never panics, whatever the input.
pub fn doc_lines(html: &str) -> Vec<String> {
    let tokens = tokenize(html);
    match tokens.as_slice() {
        [] => return Vec::new(),
        [Token::Text(text)] => return plain_lines(text),
        _ => {}
    }
    // Without any block tag, blank lines are the only paragraph breaks the author wrote.
    let has_blocks = tokens.iter().any(|t| match t {
        Token::Start { name, .. } | Token::End { name } => is_block(name),
        Token::Text(_) => false,
    });
    let mut writer = Writer::new(!has_blocks);
    for token in tokens {
        writer.token(token);
    }
    writer.finish()
}

// ---------------------------------------------------------------------------------------------
// Tokenizer

/// One piece of the input: text has its entities decoded; tag names are lowercase.
#[derive(Debug, Clone, PartialEq)]
enum Token {
    Text(String),
    Start { name: String, href: Option<String>, self_closing: bool },
    End { name: String },
}

/// HTML (and AWS DocBook-ish) tags that are tags even when never closed. Any other name is a
/// tag only if the document also closes it (`<examples>...</examples>`); otherwise it is a
/// placeholder in prose (`<region>`, `<json_string>`) and stays text.
#[rustfmt::skip]
const KNOWN_TAGS: &[&str] = &[
    "a", "abbr", "b", "big", "blockquote", "body", "br", "caption", "center", "cite", "code",
    "col", "colgroup", "dd", "del", "dfn", "div", "dl", "dt", "em", "filename", "font",
    "fullname", "h1", "h2", "h3", "h4", "h5", "h6", "head", "hr", "html", "i", "img",
    "important", "ins", "kbd", "li", "link", "note", "ol", "p", "para", "pre", "q",
    "replaceable", "s", "samp", "section", "small", "span", "strike", "strong", "sub", "sup",
    "table", "tbody", "td", "tfoot", "th", "thead", "title", "tr", "tt", "u", "ul", "var",
    "wbr",
];

/// Tags that end the current paragraph.
#[rustfmt::skip]
const BLOCK_TAGS: &[&str] = &[
    "p", "div", "para", "section", "blockquote", "center", "br", "hr", "ul", "ol", "li", "dl",
    "dt", "dd", "pre", "note", "important", "table", "tr", "caption", "title", "fullname",
    "h1", "h2", "h3", "h4", "h5", "h6",
];

fn is_block(name: &str) -> bool {
    BLOCK_TAGS.contains(&name)
}

/// Longest tag the tokenizer looks for: bounds the work a stray `<` can cause.
const MAX_TAG_LEN: usize = 2048;

/// Splits `html` into text (entities decoded) and the tags the writer acts on.
fn tokenize(html: &str) -> Vec<Token> {
    let closed = closed_tag_names(html);
    let mut tokens = Vec::new();
    let mut text = String::new();
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        text.push_str(&rest[..lt]);
        rest = &rest[lt..];
        if let Some(after) = rest.strip_prefix("<!--") {
            // Comments vanish; an unclosed one swallows the rest, as in a browser.
            rest = after.find("-->").map_or("", |end| &after[end + 3..]);
            continue;
        }
        match parse_tag(rest, &closed) {
            Some((token, len)) => {
                if !text.is_empty() {
                    tokens.push(Token::Text(decode_entities(&text)));
                    text.clear();
                }
                tokens.push(token);
                rest = &rest[len..];
            }
            None => {
                text.push('<');
                rest = &rest[1..];
            }
        }
    }
    text.push_str(rest);
    if !text.is_empty() {
        tokens.push(Token::Text(decode_entities(&text)));
    }
    tokens
}

/// Lowercase names of every `</name` in the document.
fn closed_tag_names(html: &str) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for (i, _) in html.match_indices("</") {
        let name = tag_name(&html[i + 2..]);
        if !name.is_empty() && !names.iter().any(|n| n.eq_ignore_ascii_case(name)) {
            names.push(name.to_ascii_lowercase());
        }
    }
    names
}

/// The tag name at the start of `s`: a letter, then letters, digits and `-`.
fn tag_name(s: &str) -> &str {
    let starts_with_letter = s.starts_with(|c: char| c.is_ascii_alphabetic());
    if !starts_with_letter {
        return "";
    }
    let end = s.find(|c: char| !(c.is_ascii_alphanumeric() || c == '-')).unwrap_or(s.len());
    &s[..end]
}

/// Parses a start or end tag at the start of `s` (which starts with `<`); returns the token
/// and its length in bytes, or `None` when the `<` is text.
fn parse_tag(s: &str, closed: &[String]) -> Option<(Token, usize)> {
    // A tag never ends past MAX_TAG_LEN, so nothing after it needs scanning.
    let limit = (0..=MAX_TAG_LEN.min(s.len())).rev().find(|&i| s.is_char_boundary(i)).unwrap_or(0);
    let s = &s[..limit];
    let is_end = s[1..].starts_with('/');
    let name_start = if is_end { 2 } else { 1 };
    let name = tag_name(&s[name_start..]);
    if name.is_empty() {
        return None;
    }
    let lower = name.to_ascii_lowercase();
    if !KNOWN_TAGS.contains(&lower.as_str()) && !closed.contains(&lower) {
        return None;
    }
    // Attributes: `name`, `name=value`, `name="value"`, `name='value'`, up to `>` or `/>`.
    let bytes = s.as_bytes();
    let mut i = name_start + name.len();
    let mut href = None;
    loop {
        if i >= bytes.len() {
            return None;
        }
        match bytes[i] {
            b'>' => break,
            b'<' => return None,
            b'/' => i += 1,
            c if c.is_ascii_whitespace() => i += 1,
            _ => {
                let attr_start = i;
                while i < bytes.len()
                    && !matches!(bytes[i], b'=' | b'>' | b'/' | b'<')
                    && !bytes[i].is_ascii_whitespace()
                {
                    i += 1;
                }
                let attr = &s[attr_start..i];
                while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                    i += 1;
                }
                if bytes.get(i) != Some(&b'=') {
                    continue;
                }
                i += 1;
                while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                    i += 1;
                }
                let (value, end) = match bytes.get(i) {
                    Some(&quote @ (b'"' | b'\'')) => {
                        let close = s[i + 1..].find(quote as char)?;
                        (&s[i + 1..i + 1 + close], i + close + 2)
                    }
                    _ => {
                        let len = s[i..]
                            .find(|c: char| c.is_ascii_whitespace() || c == '>' || c == '<')
                            .unwrap_or(s.len() - i);
                        (&s[i..i + len], i + len)
                    }
                };
                if attr.eq_ignore_ascii_case("href") {
                    href = Some(decode_entities(value));
                }
                i = end;
            }
        }
    }
    let self_closing = bytes[i - 1] == b'/';
    let token = if is_end { Token::End { name: lower } } else { Token::Start { name: lower, href, self_closing } };
    Some((token, i + 1))
}

/// Decodes `&name;`, `&#N;` and `&#xH;`; anything else (a lone `&`, `&#xZZ;`) stays literal.
fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        // `;` is ASCII, so slicing up to it stays on a char boundary.
        let decoded = rest
            .bytes()
            .take(34)
            .position(|b| b == b';')
            .and_then(|semi| decode_entity(&rest[1..semi]).map(|c| (c, semi + 1)));
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn decode_entity(entity: &str) -> Option<char> {
    if let Some(number) = entity.strip_prefix('#') {
        let code = match number.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => number.parse().ok()?,
        };
        // NUL and other controls would only hurt (a `#[doc]` string with a NUL is legal but
        // useless); turn them into spaces.
        return char::from_u32(code).map(|c| if c.is_control() { ' ' } else { c });
    }
    Some(match entity {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        // Collapsed like any other space: rustdoc output does not need the non-breaking kind.
        "nbsp" => ' ',
        "ndash" => '\u{2013}',
        "mdash" => '\u{2014}',
        "hellip" => '\u{2026}',
        "lsquo" => '\u{2018}',
        "rsquo" => '\u{2019}',
        "ldquo" => '\u{201c}',
        "rdquo" => '\u{201d}',
        "laquo" => '\u{ab}',
        "raquo" => '\u{bb}',
        "copy" => '\u{a9}',
        "reg" => '\u{ae}',
        "trade" => '\u{2122}',
        "times" => '\u{d7}',
        "deg" => '\u{b0}',
        "bull" => '\u{2022}',
        "middot" => '\u{b7}',
        _ => return None,
    })
}

// ---------------------------------------------------------------------------------------------
// Writer

/// An open inline element; `frames[0]` of the writer is the paragraph itself.
#[derive(Debug)]
struct Frame {
    kind: Kind,
    /// The tag that closes it.
    tag: String,
    /// Rendered Markdown so far.
    out: String,
    /// The decoded text inside, tags dropped (code spans and link texts need it).
    raw: String,
    /// Set after an emphasis that ends in punctuation: its closing `**` only closes if what
    /// follows is not a letter (`**Note:**The` stays literal), so a word gets a space first.
    space_before_word: bool,
}

#[derive(Debug, Clone, PartialEq)]
enum Kind {
    Paragraph,
    Strong,
    Emphasis,
    Code,
    /// `<a>`, with its target when that is an absolute http(s) URL.
    Link(Option<String>),
}

impl Frame {
    fn new(kind: Kind, tag: &str) -> Self {
        Frame { kind, tag: tag.to_owned(), out: String::new(), raw: String::new(), space_before_word: false }
    }

    /// Appends rendered Markdown, keeping single spaces between pieces.
    fn push(&mut self, rendered: &str) {
        if rendered.is_empty() {
            return;
        }
        if std::mem::take(&mut self.space_before_word)
            && rendered.starts_with(|c: char| !c.is_whitespace() && !is_punctuation(c))
        {
            self.out.push(' ');
        }
        if rendered.starts_with(' ') && (self.out.is_empty() || self.out.ends_with(' ')) {
            self.out.push_str(&rendered[1..]);
        } else {
            self.out.push_str(rendered);
        }
    }
}

#[derive(Debug)]
struct List {
    ordered: bool,
    next: u32,
    /// Whether an item marker of this list has been written; only those indent content.
    started: bool,
    /// Column of the content of the current item.
    content_indent: usize,
}

/// The marker of a list item whose first line is not written yet.
#[derive(Debug)]
struct Marker {
    /// `- `, `1. `, or `- - ` when an outer item starts on the same line.
    text: String,
    content_indent: usize,
    list: usize,
}

#[derive(Debug)]
struct Writer {
    lines: Vec<String>,
    frames: Vec<Frame>,
    /// Facts about the current paragraph, for turning a lone multi-line `<code>` into a block.
    para_codes: Vec<String>,
    para_has_other: bool,
    /// Text of an open `<pre>`.
    pre: Option<String>,
    lists: Vec<List>,
    marker: Option<Marker>,
    /// `**Note:**` or `**Important:**`, waiting for the first block of the note.
    /// The list depth it was opened at tells whether its first block is its own paragraph.
    label: Option<(&'static str, usize)>,
    /// Whether the last block was written inside a list (then the next item needs no blank).
    last_in_list: bool,
    /// Whether blank lines in text break paragraphs (documents without block tags).
    blank_lines_break: bool,
}

impl Writer {
    fn new(blank_lines_break: bool) -> Self {
        Writer {
            lines: Vec::new(),
            frames: vec![Frame::new(Kind::Paragraph, "")],
            para_codes: Vec::new(),
            para_has_other: false,
            pre: None,
            lists: Vec::new(),
            marker: None,
            label: None,
            last_in_list: false,
            blank_lines_break,
        }
    }

    fn token(&mut self, token: Token) {
        match token {
            Token::Text(text) => self.text(&text),
            Token::Start { name, href, self_closing } => self.start(&name, href, self_closing),
            Token::End { name } => self.end(&name),
        }
    }

    fn top(&mut self) -> &mut Frame {
        let last = self.frames.len() - 1;
        &mut self.frames[last]
    }

    fn in_code(&self) -> bool {
        self.frames.last().is_some_and(|f| f.kind == Kind::Code)
    }

    fn text(&mut self, text: &str) {
        if let Some(pre) = &mut self.pre {
            pre.push_str(text);
            return;
        }
        if self.blank_lines_break && self.frames.len() == 1 {
            let mut parts = split_blank_lines(text).into_iter();
            if let Some(first) = parts.next() {
                self.inline_text(first);
            }
            for part in parts {
                self.flush();
                self.inline_text(part);
            }
        } else {
            self.inline_text(text);
        }
    }

    fn inline_text(&mut self, text: &str) {
        if !text.trim().is_empty() && !self.in_code() {
            self.para_has_other = true;
        }
        let in_link = self.frames.iter().any(|f| matches!(f.kind, Kind::Link(_)));
        let top = self.top();
        top.raw.push_str(text);
        if top.kind != Kind::Code {
            let rendered = escape_text(text, in_link);
            top.push(&rendered);
        }
    }

    fn start(&mut self, name: &str, href: Option<String>, self_closing: bool) {
        if self.pre.is_some() {
            return;
        }
        if self.in_code() && !is_block(name) {
            return;
        }
        match name {
            // `<br/>`, `<p/>`: a break; `<a/>`, `<b/>`: nothing to open.
            _ if self_closing && is_block(name) => self.flush(),
            _ if self_closing => {}
            "pre" => {
                self.flush();
                self.pre = Some(String::new());
            }
            "ul" | "ol" => {
                self.flush();
                self.lists.push(List { ordered: name == "ol", next: 1, started: false, content_indent: 0 });
            }
            "li" => {
                self.flush();
                self.start_item();
            }
            "note" | "important" => {
                self.flush();
                let text = if name == "note" { "**Note:**" } else { "**Important:**" };
                self.label = Some((text, self.lists.len()));
            }
            // Terms and titles: a paragraph of their own, in bold.
            "dt" | "fullname" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                self.flush();
                self.frames.push(Frame::new(Kind::Strong, name));
            }
            "td" | "th" => self.inline_text(" "),
            _ if is_block(name) => self.flush(),
            "b" | "strong" => self.frames.push(Frame::new(Kind::Strong, name)),
            "i" | "em" | "cite" | "dfn" | "var" | "replaceable" => {
                self.frames.push(Frame::new(Kind::Emphasis, name));
            }
            "code" | "tt" | "kbd" | "samp" | "filename" => {
                self.frames.push(Frame::new(Kind::Code, name));
            }
            "a" | "link" => {
                let in_link = self.frames.iter().any(|f| matches!(f.kind, Kind::Link(_)));
                // Links cannot nest in Markdown: an inner one is only text.
                let target = if in_link { None } else { href.and_then(absolute_url) };
                self.frames.push(Frame::new(Kind::Link(target), name));
            }
            // Unknown tags are dropped; their text is kept.
            _ => {}
        }
    }

    fn end(&mut self, name: &str) {
        if self.pre.is_some() {
            if name == "pre" {
                let text = self.pre.take().unwrap_or_default();
                self.fence(&text, false);
            }
            return;
        }
        let top_tag_matches = self.frames.last().is_some_and(|f| f.tag == name);
        if self.in_code() && !top_tag_matches && !is_block(name) {
            return;
        }
        match name {
            "li" => {
                self.flush();
                self.marker = None;
            }
            "ul" | "ol" => {
                self.flush();
                self.lists.pop();
                self.marker = None;
            }
            "note" | "important" => {
                self.flush();
                self.label = None;
            }
            _ if is_block(name) => self.flush(),
            _ => {
                // Close the innermost matching element and whatever was left open inside it.
                if let Some(index) = self.frames.iter().rposition(|f| f.tag == name) {
                    if index > 0 {
                        while self.frames.len() > index {
                            self.close_top();
                        }
                    }
                }
            }
        }
    }

    /// Renders the innermost open element into its parent.
    fn close_top(&mut self) {
        if self.frames.len() < 2 {
            return;
        }
        let Some(frame) = self.frames.pop() else {
            return;
        };
        let same_kind_open = self.frames.iter().any(|f| f.kind == frame.kind);
        let parent_is_paragraph = self.frames.len() == 1;
        let mut space_before_word = false;
        let rendered = match &frame.kind {
            Kind::Paragraph => String::new(),
            Kind::Strong | Kind::Emphasis => {
                // Markers must touch the text (`** x**` is not bold), so spaces move outside.
                let marker = match (&frame.kind, same_kind_open) {
                    (_, true) => "",
                    (Kind::Strong, false) => "**",
                    _ => "*",
                };
                let inner = frame.out.trim();
                let parent_out = self.frames.last().map_or("", |f| f.out.as_str());
                // The same rule for the opening marker (`a**"b"**` does not open): space it
                // from a preceding word.
                let opens_after_word = parent_out.ends_with(|c: char| !c.is_whitespace() && !is_punctuation(c))
                    && !frame.out.starts_with(char::is_whitespace);
                let rendered = wrap_trimmed(&frame.out, marker, marker);
                if marker.is_empty() {
                    rendered
                } else {
                    space_before_word = inner.ends_with(is_punctuation);
                    if inner.starts_with(is_punctuation) && opens_after_word {
                        format!(" {rendered}")
                    } else {
                        rendered
                    }
                }
            }
            Kind::Code => {
                let content = collapse_whitespace(&frame.raw);
                if parent_is_paragraph && !content.is_empty() {
                    self.para_codes.push(frame.raw.clone());
                } else {
                    self.para_has_other |= !content.is_empty();
                }
                match code_span(content.trim()) {
                    span if span.is_empty() => content,
                    span => with_outer_spaces(&frame.raw, &span),
                }
            }
            Kind::Link(target) => {
                let text = frame.out.trim();
                let raw = collapse_whitespace(&frame.raw);
                let raw = raw.trim();
                match target {
                    Some(url) if text.is_empty() || same_url(raw, url) => {
                        with_outer_spaces(&frame.raw, &format!("<{}>", encode_url(url, true)))
                    }
                    Some(url) => with_outer_spaces(&frame.raw, &format!("[{text}]({})", encode_url(url, false))),
                    // `<a>CreateDataset</a>` names an operation or shape: show it as code.
                    None if is_identifier_like(raw) && !frame.out.contains('`') => {
                        with_outer_spaces(&frame.raw, &code_span(raw))
                    }
                    None => frame.out.clone(),
                }
            }
        };
        if let Some(parent) = self.frames.last_mut() {
            parent.raw.push_str(&frame.raw);
            parent.push(&rendered);
            parent.space_before_word = space_before_word && !rendered.ends_with(' ');
        }
    }

    /// Ends the current paragraph, writing it (or, if it is a lone multi-line `<code>`, a
    /// code block).
    fn flush(&mut self) {
        while self.frames.len() > 1 {
            self.close_top();
        }
        let paragraph = std::mem::replace(&mut self.frames[0], Frame::new(Kind::Paragraph, ""));
        let codes = std::mem::take(&mut self.para_codes);
        let has_other = std::mem::replace(&mut self.para_has_other, false);
        if let [code] = codes.as_slice() {
            if !has_other && code.trim().contains('\n') {
                self.fence(code, true);
                return;
            }
        }
        let text = paragraph.out.trim();
        let text = if text.contains("  ") { collapse_spaces(text) } else { text.to_owned() };
        if text.is_empty() {
            return;
        }
        let text = escape_line_start(&text);
        let text = match self.label {
            Some((label, depth)) if depth == self.lists.len() => {
                self.label = None;
                format!("{label} {text}")
            }
            _ => text,
        };
        self.block(vec![text]);
    }

    /// Writes a fenced `text` code block, from a `<pre>` or (`inline_start`) from a `<code>`
    /// whose first line starts right after the tag.
    fn fence(&mut self, text: &str, inline_start: bool) {
        let text = text.replace("\r\n", "\n").replace(['\r', '\x0c'], "\n").replace('\t', "    ");
        let mut lines: Vec<&str> = text.lines().map(str::trim_end).collect();
        while lines.first().is_some_and(|l| l.is_empty()) {
            lines.remove(0);
        }
        while lines.last().is_some_and(|l| l.is_empty()) {
            lines.pop();
        }
        if lines.is_empty() {
            return;
        }
        let min_indent = |lines: &[&str]| {
            lines.iter().filter(|l| !l.is_empty()).map(|l| l.len() - l.trim_start_matches(' ').len()).min().unwrap_or(0)
        };
        // `<code>first line\n        rest</code>`: the first line starts right after the tag,
        // the others carry the HTML source's indentation, which is not the code's.
        let (first_indent, rest_indent) = match lines.split_first() {
            Some((first, rest)) if inline_start && !first.starts_with(' ') => (0, min_indent(rest)),
            _ => {
                let indent = min_indent(&lines);
                (indent, indent)
            }
        };
        let longest_run = longest_backtick_run(&text);
        let fence = "`".repeat(longest_run.max(2) + 1);
        let mut block = vec![format!("{fence}text")];
        // `indent` counts ASCII spaces only, so slicing there is on a char boundary.
        block.extend(lines.iter().enumerate().map(|(i, l)| {
            let indent = if i == 0 { first_indent } else { rest_indent };
            l.get(indent..).unwrap_or("").to_owned()
        }));
        block.push(fence);
        self.block(block);
    }

    /// Starts a list item: its marker waits for the item's first line.
    fn start_item(&mut self) {
        if self.lists.is_empty() {
            // A stray `<li>`: treat it as a bulleted list.
            self.lists.push(List { ordered: false, next: 1, started: false, content_indent: 0 });
        }
        let top = self.lists.len() - 1;
        // `<li><ul><li>`: the outer item has no line yet, so both markers share one (`- - x`).
        let (prefix, base) = match self.marker.take() {
            Some(outer) if outer.list < top => {
                self.lists[outer.list].started = true;
                self.lists[outer.list].content_indent = outer.content_indent;
                (outer.text, outer.content_indent)
            }
            _ => {
                let base = indent_of(&self.lists[..top]);
                (" ".repeat(base), base)
            }
        };
        let list = &mut self.lists[top];
        let bullet = if list.ordered {
            let n = list.next;
            list.next = list.next.saturating_add(1);
            format!("{n}. ")
        } else {
            "- ".to_owned()
        };
        self.marker = Some(Marker { content_indent: base + bullet.len(), text: prefix + &bullet, list: top });
    }

    /// Writes one block (a paragraph line or a fence), separated from the previous one by an
    /// empty line unless it is the next item of a list.
    fn block(&mut self, lines: Vec<String>) {
        if let Some((label, depth)) = self.label.take() {
            // A note that starts with a list or a code block: the label stands alone, before
            // the list rather than in its first item.
            let marker = if depth < self.lists.len() { self.marker.take() } else { None };
            self.block(vec![label.to_owned()]);
            if marker.is_some() {
                self.marker = marker;
                self.last_in_list = false;
            }
        }
        let starts_item = self.marker.is_some();
        let after_text = self.lines.last().is_some_and(|l| !l.is_empty());
        if after_text && !(starts_item && self.last_in_list) {
            self.lines.push(String::new());
        }
        let mut indent = " ".repeat(indent_of(&self.lists));
        let mut first_prefix = None;
        if let Some(marker) = self.marker.take() {
            if let Some(list) = self.lists.get_mut(marker.list) {
                list.started = true;
                list.content_indent = marker.content_indent;
            }
            indent = " ".repeat(marker.content_indent);
            first_prefix = Some(marker.text);
        }
        for (i, line) in lines.into_iter().enumerate() {
            let prefix = match (i, &first_prefix) {
                (0, Some(marker)) => marker.as_str(),
                _ => indent.as_str(),
            };
            if line.is_empty() {
                self.lines.push(String::new());
            } else {
                self.lines.push(format!("{prefix}{line}").trim_end().to_owned());
            }
        }
        self.last_in_list = !self.lists.is_empty();
    }

    fn finish(mut self) -> Vec<String> {
        self.flush();
        if let Some(text) = self.pre.take() {
            self.fence(&text, false);
        }
        while self.lines.last().is_some_and(|l| l.is_empty()) {
            self.lines.pop();
        }
        self.lines
    }
}

/// Content column of the innermost list that has written an item.
fn indent_of(lists: &[List]) -> usize {
    lists.iter().rev().find(|l| l.started).map_or(0, |l| l.content_indent)
}

// ---------------------------------------------------------------------------------------------
// Plain text

/// Documents without any tag: blank lines separate paragraphs, lines starting with `- `, `* `
/// or `+ ` are list items, and `` `code` `` is code (the Markdown-ish text some models use).
fn plain_lines(text: &str) -> Vec<String> {
    let mut writer = Writer::new(false);
    for paragraph in split_blank_lines(text) {
        for line in paragraph.lines() {
            let trimmed = line.trim_start();
            let item = ["- ", "* ", "+ "].iter().find_map(|bullet| trimmed.strip_prefix(bullet));
            match item {
                Some(item) => {
                    writer.flush();
                    writer.start_item();
                    plain_inline(&mut writer, item);
                }
                None => plain_inline(&mut writer, line),
            }
            writer.inline_text(" ");
        }
        writer.flush();
        writer.lists.clear();
        writer.marker = None;
    }
    writer.finish()
}

/// Text with `` `code` `` spans; an unpaired backtick is text.
fn plain_inline(writer: &mut Writer, line: &str) {
    let mut rest = line;
    while let Some(open) = rest.find('`') {
        let Some(len) = rest[open + 1..].find('`') else {
            break;
        };
        writer.inline_text(&rest[..open]);
        writer.frames.push(Frame::new(Kind::Code, "code"));
        writer.inline_text(&rest[open + 1..open + 1 + len]);
        writer.close_top();
        rest = &rest[open + len + 2..];
    }
    writer.inline_text(rest);
}

// ---------------------------------------------------------------------------------------------
// Escaping and small helpers

/// Escapes decoded text for Markdown, collapsing whitespace and turning bare URLs into
/// autolinks (except inside link text, where Markdown cannot nest links).
fn escape_text(text: &str, in_link: bool) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut rest = text;
    while !rest.is_empty() {
        let found = if in_link { None } else { find_url(rest) };
        let Some((start, end)) = found else {
            escape_into(rest, &mut out);
            break;
        };
        escape_into(&rest[..start], &mut out);
        out.push('<');
        out.push_str(&encode_url(&rest[start..end], true));
        out.push('>');
        rest = &rest[end..];
    }
    out
}

fn escape_into(text: &str, out: &mut String) {
    let mut chars = text.chars().peekable();
    let mut prev = None;
    while let Some(c) = chars.next() {
        let next = chars.peek();
        match c {
            c if c.is_whitespace() => {
                if !out.ends_with(' ') {
                    out.push(' ');
                }
            }
            '\\' | '`' | '*' | '[' | ']' | '<' | '>' | '~' => {
                out.push('\\');
                out.push(c);
            }
            // `snake_case` is safe; `_emphasis_` is not.
            '_' => {
                let word = |c: Option<&char>| c.is_some_and(|c| c.is_alphanumeric());
                if !(word(prev.as_ref()) && word(next)) {
                    out.push('\\');
                }
                out.push('_');
            }
            // `&copy;` in text would be read as an entity.
            '&' if next.is_some_and(|c| c.is_ascii_alphanumeric() || *c == '#') => {
                out.push_str("\\&");
            }
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
        prev = Some(c);
    }
}

/// Escapes what would start a Markdown block (heading, list, setext underline) at the start
/// of a paragraph line.
fn escape_line_start(text: &str) -> String {
    let mut chars = text.chars();
    let first = chars.next();
    let second = chars.next();
    match first {
        Some('#' | '=' | '|') => format!("\\{text}"),
        Some('-' | '+') if none_or_space(second) => format!("\\{text}"),
        Some(c) if c.is_ascii_digit() => {
            let digits = text.chars().take_while(char::is_ascii_digit).count();
            let after = text[digits..].chars().next();
            let after_that = text[digits..].chars().nth(1);
            if digits <= 9 && matches!(after, Some('.' | ')')) && none_or_space(after_that) {
                format!("{}\\{}", &text[..digits], &text[digits..])
            } else {
                text.to_owned()
            }
        }
        _ => text.to_owned(),
    }
}

/// Punctuation in CommonMark's sense, approximately: ASCII punctuation, and anything else
/// that is neither a letter, a digit nor whitespace.
fn is_punctuation(c: char) -> bool {
    c.is_ascii_punctuation() || !(c.is_ascii() || c.is_alphanumeric() || c.is_whitespace())
}

/// End of text or a space: what makes `-`, `+` or `1.` a block marker.
fn none_or_space(c: Option<char>) -> bool {
    !matches!(c, Some(c) if !c.is_whitespace())
}

/// The byte range of the first `http://` or `https://` URL in `text`, without trailing
/// punctuation that belongs to the sentence.
fn find_url(text: &str) -> Option<(usize, usize)> {
    let mut from = 0;
    while let Some(offset) = text[from..].find("http") {
        let start = from + offset;
        let after = &text[start..];
        let scheme = if after.starts_with("https://") {
            8
        } else if after.starts_with("http://") {
            7
        } else {
            from = start + 4;
            continue;
        };
        let len = after
            .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '`') || c.is_control())
            .unwrap_or(after.len());
        let mut url = &after[..len];
        loop {
            let trimmed = url.trim_end_matches(['.', ',', ';', ':', '!', '?', '\'', '*']);
            let trimmed = trim_unbalanced(trimmed, '(', ')');
            let trimmed = trim_unbalanced(trimmed, '[', ']');
            if trimmed.len() == url.len() {
                break;
            }
            url = trimmed;
        }
        if url.len() > scheme {
            return Some((start, start + url.len()));
        }
        from = start + scheme;
    }
    None
}

/// Drops a trailing `close` that has no matching `open` in `url` (`(see https://x)`).
fn trim_unbalanced(url: &str, open: char, close: char) -> &str {
    let opens = url.matches(open).count();
    let closes = url.matches(close).count();
    match url.strip_suffix(close) {
        Some(trimmed) if closes > opens => trimmed,
        _ => url,
    }
}

/// An href usable as a Markdown link target: absolute http(s) only (a relative one would be
/// resolved by rustdoc as an intra-doc link), with the whitespace AWS sometimes wraps into it
/// removed.
fn absolute_url(href: String) -> Option<String> {
    let url: String = href.chars().filter(|c| !c.is_whitespace()).collect();
    let lower = url.to_ascii_lowercase();
    let has_host = |scheme: &str| lower.len() > scheme.len() && lower.starts_with(scheme);
    (has_host("http://") || has_host("https://")).then_some(url)
}

/// Percent-encodes what cannot appear in an autolink (`<...>`) or, when not `autolink`, in
/// a Markdown link target (`[text](...)`, where parentheses, quotes and backslashes mean
/// something).
fn encode_url(url: &str, autolink: bool) -> String {
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        match c {
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            '(' if !autolink => out.push_str("%28"),
            ')' if !autolink => out.push_str("%29"),
            '\\' if !autolink => out.push_str("%5C"),
            '"' if !autolink => out.push_str("%22"),
            '`' if !autolink => out.push_str("%60"),
            c if c.is_control() || c.is_whitespace() => {}
            c => out.push(c),
        }
    }
    out
}

/// Whether a link text is just its URL (`<a href="https://x/">https://x</a>`).
fn same_url(text: &str, url: &str) -> bool {
    text.trim_end_matches('/') == url.trim_end_matches('/')
}

/// `CreateDataset`, `aws:SourceArn`, `x.y`: text that reads best as code.
fn is_identifier_like(text: &str) -> bool {
    !text.is_empty()
        && text.chars().any(|c| c.is_ascii_alphabetic())
        && text.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | ':' | '-'))
}

/// A Markdown code span for single-line content (empty for empty content), with a fence
/// longer than any backtick run inside.
fn code_span(content: &str) -> String {
    if content.is_empty() {
        return String::new();
    }
    let fence = "`".repeat(longest_backtick_run(content) + 1);
    // A span starting or ending with a backtick needs a space so the fence is unambiguous.
    let pad = if content.starts_with('`') || content.ends_with('`') { " " } else { "" };
    format!("{fence}{pad}{content}{pad}{fence}")
}

fn longest_backtick_run(text: &str) -> usize {
    text.split(|c| c != '`').map(str::len).max().unwrap_or(0)
}

/// `open + trimmed content + close`, with the content's outer whitespace kept outside.
fn wrap_trimmed(content: &str, open: &str, close: &str) -> String {
    let inner = content.trim();
    if inner.is_empty() {
        return if content.is_empty() { String::new() } else { " ".to_owned() };
    }
    with_outer_spaces(content, &format!("{open}{inner}{close}"))
}

/// `rendered`, with a space before/after if `source` starts/ends with whitespace.
fn with_outer_spaces(source: &str, rendered: &str) -> String {
    let mut out = String::new();
    if source.starts_with(char::is_whitespace) {
        out.push(' ');
    }
    out.push_str(rendered);
    if source.ends_with(char::is_whitespace) {
        out.push(' ');
    }
    out
}

/// Every whitespace run as one space.
fn collapse_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_whitespace() || c.is_control() {
            if !out.ends_with(' ') {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Runs of spaces as one (pieces rendered separately can meet with a space each).
fn collapse_spaces(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if !(c == ' ' && out.ends_with(' ')) {
            out.push(c);
        }
    }
    out
}

/// Splits at blank lines (a newline, optional spaces, a newline); the blank lines go.
fn split_blank_lines(text: &str) -> Vec<&str> {
    let bytes = text.as_bytes();
    let is_space = |b: u8| matches!(b, b' ' | b'\t' | b'\r');
    // The index just past a blank line starting at newline `i`, if there is one.
    let blank_end = |i: usize| {
        let mut j = i + 1;
        while j < bytes.len() && is_space(bytes[j]) {
            j += 1;
        }
        (j < bytes.len() && bytes[j] == b'\n').then_some(j)
    };
    let mut parts = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\n' {
            if let Some(mut end) = blank_end(i) {
                parts.push(&text[start..i]);
                while let Some(next) = blank_end(end) {
                    end = next;
                }
                start = end + 1;
                i = start;
                continue;
            }
        }
        i += 1;
    }
    parts.push(&text[start.min(text.len())..]);
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Checks what every output must satisfy: single lines without trailing whitespace, no
    /// leading, trailing or doubled empty lines, balanced fences, and indentation only where
    /// a list item makes it meaningful (4+ spaces elsewhere would be an indented code block).
    fn check_invariants(input: &str, lines: &[String]) {
        let context = || format!("input: {input:?}\noutput:\n{}", lines.join("\n"));
        assert!(!lines.first().is_some_and(|l| l.is_empty()), "leading empty line\n{}", context());
        assert!(!lines.last().is_some_and(|l| l.is_empty()), "trailing empty line\n{}", context());
        let mut fence: Option<(usize, String)> = None;
        // Content columns of the list items the current line can belong to.
        let mut columns: Vec<usize> = Vec::new();
        let mut previous_empty = false;
        for line in lines {
            assert!(!line.contains(['\n', '\r']), "newline in {line:?}\n{}", context());
            assert_eq!(line.trim_end(), line, "trailing whitespace\n{}", context());
            // A `<pre>` may hold several blank lines in a row; prose never does.
            let doubled = previous_empty && line.is_empty() && fence.is_none();
            assert!(!doubled, "two empty lines\n{}", context());
            previous_empty = line.is_empty();
            if line.is_empty() {
                continue;
            }
            let indent = line.len() - line.trim_start_matches(' ').len();
            if let Some((column, marker)) = &fence {
                assert!(indent >= *column, "fence content left of its block\n{}", context());
                if line.trim_start() == marker {
                    fence = None;
                }
                continue;
            }
            // Leave the items this line is not indented enough to belong to.
            while columns.last().is_some_and(|c| *c > indent) {
                columns.pop();
            }
            let column = columns.last().copied().unwrap_or(0);
            assert_eq!(indent, column, "indentation outside a list item\n{}", context());
            let mut rest = &line[indent..];
            let mut at = indent;
            while let Some(after) = list_marker(rest) {
                at += rest.len() - after.len();
                columns.push(at);
                rest = after;
            }
            if rest.starts_with("```") {
                let marker: String = rest.chars().take_while(|c| *c == '`').collect();
                fence = Some((at, marker));
            }
        }
        assert!(fence.is_none(), "unclosed fence\n{}", context());
    }

    /// The rest of `line` after a list marker (`- ` or `12. `) at its start.
    fn list_marker(line: &str) -> Option<&str> {
        if let Some(rest) = line.strip_prefix("- ") {
            return Some(rest);
        }
        let digits = line.chars().take_while(char::is_ascii_digit).count();
        (digits > 0).then(|| line[digits..].strip_prefix(". ")).flatten()
    }

    fn convert(input: &str) -> String {
        let lines = doc_lines(input);
        check_invariants(input, &lines);
        lines.join("\n")
    }

    fn check_table(table: &[(&str, &str)]) {
        let failures: Vec<String> = table
            .iter()
            .filter_map(|(input, expected)| {
                let actual = convert(input);
                (actual != *expected).then(|| format!("input: {input:?}\nexpected:\n{expected}\nactual:\n{actual}\n"))
            })
            .collect();
        assert!(failures.is_empty(), "\n{}", failures.join("\n"));
    }

    #[test]
    fn paragraphs_and_whitespace() {
        check_table(&[
            ("", ""),
            ("   \n\t ", ""),
            ("<p></p><p> </p>", ""),
            ("<p>Hello   world</p>", "Hello world"),
            ("<p>a</p><p>b</p>", "a\n\nb"),
            ("<p>a</p>\n\n\n   <p>b</p>", "a\n\nb"),
            ("<p>      indented\n      text  </p>", "indented text"),
            ("a<br/>b", "a\n\nb"),
            ("a<br>b<br></br>c", "a\n\nb\n\nc"),
            ("<div>a</div>b", "a\n\nb"),
            ("<p class=\"title\">\n<b>Title</b>\n</p>", "**Title**"),
            ("<fullname>AWS IoT</fullname><p>Text.</p>", "**AWS IoT**\n\nText."),
            ("a<!-- hidden <p> -->b", "ab"),
            ("a<!-- never closed", "a"),
            ("<p>a\r\nb</p>", "a b"),
            ("<p>a\u{0}b</p>", "a b"),
        ]);
    }

    #[test]
    fn inline_markup() {
        check_table(&[
            ("<p>Use <code>x</code>.</p>", "Use `x`."),
            ("<code>a`b</code>", "``a`b``"),
            ("<code>`a</code>", "`` `a ``"),
            ("<p>x <code>  spaced\n   out  </code></p>", "x `spaced out`"),
            ("<p>a <code> </code> b</p>", "a b"),
            ("<p>a <code></code>b</p>", "a b"),
            ("<b>bold</b> and <i>it</i>", "**bold** and *it*"),
            // Emphasis that starts or ends with punctuation only works next to a space or
            // punctuation (CommonMark flanking rules).
            ("<b>Note:</b>The", "**Note:** The"),
            ("<b>Note:</b> The", "**Note:** The"),
            ("<b>Note:</b>: x", "**Note:**: x"),
            ("a<b>\"x\"</b>", "a **\"x\"**"),
            ("(<b>\"x\"</b>)", "(**\"x\"**)"),
            ("<i>(a)</i>b", "*(a)* b"),
            ("<b>x.</b><code>y</code>", "**x.**`y`"),
            ("a<b>b</b>c", "a**b**c"),
            ("<strong>s</strong><em>e</em>", "**s***e*"),
            ("<b> x </b>y", "**x** y"),
            ("<b></b>x", "x"),
            ("<b>a <b>b</b></b>", "**a b**"),
            ("<b><code>x</code></b>", "**`x`**"),
            ("<code><i>region</i>-<b>x</b></code>", "`region-x`"),
            ("<code>arn:aws:iot:<region>:<account></code>", "`arn:aws:iot:<region>:<account>`"),
            ("<p>Contents of <filename>server.properties</filename></p>", "Contents of `server.properties`"),
            ("<p>x:<replaceable>{id}</replaceable>:y</p>", "x:*{id}*:y"),
            ("<span>x</span> <u>y</u> <sup>2</sup>", "x y 2"),
            ("<examples><example>x</example></examples>", "x"),
            ("<p>unclosed <b>bold", "unclosed **bold**"),
            ("<p>unclosed <code>code</p><p>next</p>", "unclosed `code`\n\nnext"),
            ("<p>stray </b></i></code> end</p>", "stray end"),
            ("<p>a <b>b <i>c</b> d</i></p>", "a **b *c*** d"),
        ]);
    }

    #[test]
    fn links_and_urls() {
        check_table(&[
            ("<a href=\"https://e.com/x\">text</a>", "[text](https://e.com/x)"),
            ("<a href='https://e.com/x'>text</a>", "[text](https://e.com/x)"),
            ("<a href=https://e.com/x>text</a>", "[text](https://e.com/x)"),
            ("<a href=\"https://e.com/x\">https://e.com/x</a>", "<https://e.com/x>"),
            ("<a href=\"https://e.com/x/\">https://e.com/x</a>", "<https://e.com/x/>"),
            ("<a href=\"https://e.com/x\"></a>", "<https://e.com/x>"),
            (
                "see <a href=\"https://e.com\"> the docs </a>.",
                // HTML keeps the space before the period; so does the output.
                "see [the docs](https://e.com) .",
            ),
            ("<a href=\"https://e.com\"><code>Foo</code></a>", "[`Foo`](https://e.com)"),
            ("<a href=\"https://e.com/[x]\">a [b]</a>", "[a \\[b\\]](https://e.com/[x])"),
            ("<a href=\"https://e.com/a_(b)\">x</a>", "[x](https://e.com/a_%28b%29)"),
            ("<a href=\"https://docs.aws\n   .amazon.com/x\">x</a>", "[x](https://docs.aws.amazon.com/x)"),
            ("<a href=\"https://e.com?a=1&amp;b=2\">x</a>", "[x](https://e.com?a=1&b=2)"),
            ("<a href=\"https://a.com\">see https://b.com</a>", "[see https://b.com](https://a.com)"),
            ("<a href=\"API_Foo.html\">Foo</a>", "`Foo`"),
            ("<a href=\"#anchor\">the section</a>", "the section"),
            ("<a>CreateDataset</a>", "`CreateDataset`"),
            ("<a>aws:SourceArn</a>", "`aws:SourceArn`"),
            ("<a>the docs</a>", "the docs"),
            ("<a href=\"javascript:x\">x y</a>", "x y"),
            ("<a href=\"https://a.com\">x <a href=\"https://b.com\">y</a></a>", "[x `y`](https://a.com)"),
            ("See https://example.com/a.", "See <https://example.com/a>."),
            (
                "See https://example.com/a, then http://b.org/c?d=e&f=g; done",
                "See <https://example.com/a>, then <http://b.org/c?d=e&f=g>; done",
            ),
            ("(see https://e.com/a)", "(see <https://e.com/a>)"),
            ("see https://e.com/a_(b)", "see <https://e.com/a_(b)>"),
            ("<p>https://e.com/{bucket}/x</p>", "<https://e.com/{bucket}/x>"),
            ("the http:// scheme", "the http:// scheme"),
            ("<code>https://e.com</code>", "`https://e.com`"),
            ("&lt;https://e.com&gt;", "\\<<https://e.com>\\>"),
            ("<p>x https://e.com/<b>y</b></p>", "x <https://e.com/>**y**"),
        ]);
    }

    #[test]
    fn lists() {
        check_table(&[
            ("<ul><li>a</li><li>b</li></ul>", "- a\n- b"),
            ("<ul>\n  <li>\n    <p>a</p>\n  </li>\n  <li><p>b</p></li>\n</ul>", "- a\n- b"),
            ("<ol><li>a</li><li>b</li></ol>", "1. a\n2. b"),
            ("<ul><li>a<ul><li>b</li></ul></li><li>c</li></ul>", "- a\n  - b\n- c"),
            ("<ul><li>a<ul><li>b<ul><li>c</li></ul></li></ul></li></ul>", "- a\n  - b\n    - c"),
            ("<ul><li><p>a</p><p>b</p></li><li>c</li></ul>", "- a\n\n  b\n- c"),
            ("<ol><li><p>a</p><p>b</p></li></ol>", "1. a\n\n   b"),
            ("<p>x</p><ul><li>a</li></ul><p>y</p>", "x\n\n- a\n\ny"),
            ("x<ul><li>a</li></ul>y", "x\n\n- a\n\ny"),
            ("<ul><li><ul><li>a</li><li>b</li></ul></li></ul>", "- - a\n  - b"),
            ("<ul><li></li><li>a</li></ul>", "- a"),
            ("<li>a</li><li>b</li>", "- a\n- b"),
            ("<ul><li>a<li>b</ul>", "- a\n- b"),
            ("<ul><li>a</li>more</ul>", "- a\n\n  more"),
            ("<ul><ul><ul><li>deep</li></ul></ul></ul>", "- deep"),
            ("<ul><ul><ul>text</ul></ul></ul>", "text"),
            ("<ul><li>a<br/>b</li></ul>", "- a\n\n  b"),
            ("<ul><li><pre>x\ny</pre></li></ul>", "- ```text\n  x\n  y\n  ```"),
            ("<ul><li>- a</li><li>1. b</li><li># c</li></ul>", "- \\- a\n- 1\\. b\n- \\# c"),
            ("</ul></ol></li>text", "text"),
            ("<ul><li>a</li></ul><ul><li>b</li></ul>", "- a\n- b"),
        ]);
        let items: String = (1..=10).map(|i| format!("<li>{i}</li>")).collect();
        let expected: Vec<String> = (1..=10).map(|i| format!("{i}. {i}")).collect();
        check_table(&[(&format!("<ol>{items}</ol>"), &expected.join("\n"))]);
    }

    #[test]
    fn notes_and_definitions() {
        check_table(&[
            ("<note><p>Careful.</p></note>", "**Note:** Careful."),
            ("<note>Careful.</note>", "**Note:** Careful."),
            ("<important><p>x</p><p>y</p></important>", "**Important:** x\n\ny"),
            ("<note><ul><li>a</li></ul></note>", "**Note:**\n\n- a"),
            ("<note></note><p>x</p>", "x"),
            ("<ul><li><note><p>n</p></note></li></ul>", "- **Note:** n"),
            ("<ul><li><note><pre>x</pre></note></li></ul>", "- **Note:**\n\n  ```text\n  x\n  ```"),
            ("<ul><li>a<note><ul><li>n</li></ul></note></li></ul>", "- a\n\n  **Note:**\n\n  - n"),
            ("<dl><dt>Term</dt><dd><p>Def</p></dd></dl>", "**Term**\n\nDef"),
            ("<dl><dt>1. Identify</dt><dd>x</dd></dl>", "**1. Identify**\n\nx"),
            ("<dt><b>Term</b></dt>", "**Term**"),
        ]);
    }

    #[test]
    fn code_blocks() {
        check_table(&[
            ("<pre>\n  fn x() {\n    y\n  }\n</pre>", "```text\nfn x() {\n  y\n}\n```"),
            ("<pre><code>a &lt; b\n<i>c</i></code></pre>", "```text\na < b\nc\n```"),
            ("<pre>```\nx\n```</pre>", "````text\n```\nx\n```\n````"),
            ("<pre>\tx\n\t\ty</pre>", "```text\nx\n    y\n```"),
            ("<pre>   </pre>", ""),
            ("<pre>a\n\n\n  b</pre>", "```text\na\n\n\n  b\n```"),
            ("<pre>never closed\n  x", "```text\nnever closed\n  x\n```"),
            ("<pre/>x", "x"),
            ("<p><code>{\n  \"a\": 1\n}</code></p>", "```text\n{\n  \"a\": 1\n}\n```"),
            ("<code>  spaced\n   out  </code>", "```text\nspaced\n out\n```"),
            ("<code>first\n      second\n        third</code>", "```text\nfirst\nsecond\n  third\n```"),
            (
                "<p>\n   <code>$ ls dir/ | xargs\n      --flag {}\n   </code>\n</p>",
                "```text\n$ ls dir/ | xargs\n--flag {}\n```",
            ),
            ("<p>Run <code>a\n b</code> now</p>", "Run `a b` now"),
            ("<p><code>a\nb</code><code>c</code></p>", "`a b``c`"),
            ("<note><pre>x</pre></note>", "**Note:**\n\n```text\nx\n```"),
            ("<p>a</p><pre>b</pre><p>c</p>", "a\n\n```text\nb\n```\n\nc"),
        ]);
    }

    #[test]
    fn escaping() {
        check_table(&[
            ("<p>a [b] c</p>", "a \\[b\\] c"),
            ("<p>[x](y) and [z]</p>", "\\[x\\](y) and \\[z\\]"),
            ("List<String> of Map<K, V>", "List\\<String\\> of Map\\<K, V\\>"),
            ("<p>a <b> c</p>", "a **c**"),
            ("<p>use <key=reason, value=training></p>", "use \\<key=reason, value=training\\>"),
            ("a*b _c_ snake_case __d ~e", "a\\*b \\_c\\_ snake_case \\_\\_d \\~e"),
            ("<p>a ` b \\ c</p>", "a \\` b \\\\ c"),
            ("&lt;tag&gt; &amp; &quot;q&quot; &#39;s&#39; &apos;t&apos; a&nbsp;b", "\\<tag\\> & \"q\" 's' 't' a b"),
            ("&#x41;&#66;&mdash;&copy;", "AB\u{2014}\u{a9}"),
            ("&#xZZ; & &foo; &#99999999; &#; &", "\\&#xZZ; & \\&foo; \\&#99999999; \\&#; &"),
            ("&amp;copy;", "\\&copy;"),
            ("AT&T and Q & A", "AT\\&T and Q & A"),
            ("<", "\\<"),
            ("<<>>", "\\<\\<\\>\\>"),
            ("&", "&"),
            ("a < b > c", "a \\< b \\> c"),
            ("<p>x <1> y</p>", "x \\<1\\> y"),
            ("<a href=\"unterminated>x", "\\<a href=\"unterminated\\>x"),
            ("<p># not heading</p>", "\\# not heading"),
            ("<p>- not list</p>", "\\- not list"),
            ("<p>+ not list</p>", "\\+ not list"),
            ("<p>-1 is fine</p>", "-1 is fine"),
            ("<p>1. not list</p>", "1\\. not list"),
            ("<p>2) not list</p>", "2\\) not list"),
            ("<p>2018. A year</p>", "2018\\. A year"),
            ("<p>1.5 is fine</p>", "1.5 is fine"),
            ("<p>=== not a heading</p>", "\\=== not a heading"),
            ("<p>| a | b |</p>", "\\| a | b |"),
            ("<p>*** no rule</p>", "\\*\\*\\* no rule"),
            ("<p>``` no fence</p>", "\\`\\`\\` no fence"),
            ("<p>&gt; no quote</p>", "\\> no quote"),
            ("<p>    four spaces</p>", "four spaces"),
            ("caf\u{e9} \u{65e5}\u{672c}", "caf\u{e9} \u{65e5}\u{672c}"),
        ]);
    }

    #[test]
    fn plain_text() {
        check_table(&[
            ("Just text.", "Just text."),
            ("The maximum number of results to\n      be returned.", "The maximum number of results to be returned."),
            ("First para.\n\nSecond\npara.", "First para.\n\nSecond para."),
            ("First.\n   \n\n  \nSecond.", "First.\n\nSecond."),
            ("Options:\n- a\n- b", "Options:\n\n- a\n- b"),
            ("Scene.\n\n- On: x\n  continued\n- Off: y", "Scene.\n\n- On: x continued\n- Off: y"),
            ("* a\n* b\n\nafter", "- a\n- b\n\nafter"),
            ("ids start with `aws-`", "ids start with `aws-`"),
            ("a ` b", "a \\` b"),
            ("`a` and `b` and `c", "`a` and `b` and \\`c"),
            ("[x] *y* <z>", "\\[x\\] \\*y\\* \\<z\\>"),
            ("See https://e.com.", "See <https://e.com>."),
            ("1. first\n2. second", "1\\. first 2. second"),
            ("a <code>x</code>\n\nb", "a `x`\n\nb"),
            ("<code>x</code>\n\n<code>y\nz</code>", "`x`\n\n```text\ny\nz\n```"),
        ]);
    }

    #[test]
    fn never_panics_on_malformed_input() {
        let inputs = [
            "<",
            ">",
            "&",
            "&#",
            "&#x",
            "&#xZZ;",
            "&#x110000;",
            "&#xD800;",
            "&#0;",
            "</",
            "</>",
            "<a",
            "<a href",
            "<a href=",
            "<a href=\"",
            "<a href=\"x\"",
            "<a href=\"x\">",
            "<p",
            "<p>",
            "</p>",
            "<ul><li>",
            "<ol><li><ol><li>",
            "<pre>",
            "<pre><code>",
            "<code>",
            "<code>`",
            "<b><i><code><a href=\"https://x.y\">",
            "<!--",
            "<!-- x -",
            "<li><li><li>",
            "</li></li>",
            "<note>",
            "<note><note></note>",
            "<dl><dt>",
            "<p>\u{0}\u{1}\u{7f}</p>",
            "\u{feff}<p>bom</p>",
            "<p>\u{2028}line\u{2029}sep</p>",
            "<a href=\"https://\u{e9}.com\">\u{e9}</a>",
            "<a href=\"https://x.com/\u{0}\">x</a>",
            "<<<<<<<<a>>>>>>>>",
            "<p>&&&&;;;</p>",
            "<P>Upper</P><CODE>x</CODE>",
            "<a href=\"https://x.com\">[</a>]",
            "`",
            "``",
            "```",
            "- ",
            "-",
            "* ",
            "1.",
            "\n\n\n",
            "<br/><br/><br/>",
            "<ul></ul>",
            "<pre>\n\n\n</pre>",
            "<p>&#10;</p>",
        ];
        for input in inputs {
            convert(input);
        }
        // Long and deeply nested input stays fast and valid.
        let nested = "<ul><li>x".repeat(200) + &"</li></ul>".repeat(200);
        convert(&nested);
        let unclosed = "<b><i><code>".repeat(500);
        convert(&unclosed);
        let stray = "< a <b c <d".repeat(2000);
        convert(&stray);
    }

    #[test]
    fn uppercase_tags() {
        check_table(&[
            ("<P>Upper <CODE>x</CODE></P>", "Upper `x`"),
            ("<A HREF=\"https://e.com\">x</A>", "[x](https://e.com)"),
        ]);
    }

    // Real documentation strings, copied from ../shared/aws-models (personalize.json:
    // CreateCampaign; iot.json: CreateCertificateFromCsr and
    // UpdateDomainConfigurationRequest$authenticationType).
    const CREATE_CAMPAIGN: &str = r##"<important>
            <p> You incur campaign costs while it is active. To avoid unnecessary costs, make sure to delete the campaign when you are finished. For information about campaign
        costs, see <a href="https://aws.amazon.com/personalize/pricing/">Amazon Personalize pricing</a>.</p>
         </important>
         <p>Creates a campaign that deploys a solution version. When a client calls the
      <a href="https://docs.aws.amazon.com/personalize/latest/dg/API_RS_GetRecommendations.html">GetRecommendations</a>
      and
      <a href="https://docs.aws.amazon.com/personalize/latest/dg/API_RS_GetPersonalizedRanking.html">GetPersonalizedRanking</a>
      APIs, a campaign is specified in the request.</p>
         <p>
            <b>Minimum Provisioned TPS and Auto-Scaling</b>
         </p>
         <important>
            <p> A high <code>minProvisionedTPS</code> will increase your cost. We recommend starting with 1 for <code>minProvisionedTPS</code> (the default). Track
        your usage using Amazon CloudWatch metrics, and increase the <code>minProvisionedTPS</code>
        as necessary.</p>
         </important>
         <p>
      When you create an Amazon Personalize campaign, you can specify the minimum provisioned transactions per second
      (<code>minProvisionedTPS</code>) for the campaign. This is the baseline transaction throughput for the campaign provisioned by
      Amazon Personalize. It sets the minimum billing charge for the campaign while it is active. A transaction is a single <code>GetRecommendations</code> or
      <code>GetPersonalizedRanking</code> request. The default <code>minProvisionedTPS</code> is 1.</p>
         <p> If your TPS increases beyond the <code>minProvisionedTPS</code>, Amazon Personalize auto-scales the provisioned capacity up
      and down, but never below <code>minProvisionedTPS</code>. 
      There's a short time delay while the capacity is increased
      that might cause loss of transactions. When your traffic reduces, capacity returns to the <code>minProvisionedTPS</code>.
    </p>
         <p>You are charged for the
      the minimum provisioned TPS or, if your requests exceed the <code>minProvisionedTPS</code>, the actual TPS. 
      The actual TPS is the total number of recommendation requests you make.
      We recommend starting with a low <code>minProvisionedTPS</code>, track
      your usage using Amazon CloudWatch metrics, and then increase the <code>minProvisionedTPS</code> as necessary.</p>
         <p>For more information about campaign costs, see <a href="https://aws.amazon.com/personalize/pricing/">Amazon Personalize pricing</a>.</p>
         <p>
            <b>Status</b>
         </p>
         <p>A campaign can be in one of the following states:</p>
         <ul>
            <li>
               <p>CREATE PENDING > CREATE IN_PROGRESS > ACTIVE -or- CREATE FAILED</p>
            </li>
            <li>
               <p>DELETE PENDING > DELETE IN_PROGRESS</p>
            </li>
         </ul>
         <p>To get the campaign status, call <a href="https://docs.aws.amazon.com/personalize/latest/dg/API_DescribeCampaign.html">DescribeCampaign</a>.</p>
         <note>
            <p>Wait until the <code>status</code> of the campaign
        is <code>ACTIVE</code> before asking the campaign for recommendations.</p>
         </note>
         <p class="title">
            <b>Related APIs</b>
         </p>
         <ul>
            <li>
               <p>
                  <a href="https://docs.aws.amazon.com/personalize/latest/dg/API_ListCampaigns.html">ListCampaigns</a>
               </p>
            </li>
            <li>
               <p>
                  <a href="https://docs.aws.amazon.com/personalize/latest/dg/API_DescribeCampaign.html">DescribeCampaign</a>
               </p>
            </li>
            <li>
               <p>
                  <a href="https://docs.aws.amazon.com/personalize/latest/dg/API_UpdateCampaign.html">UpdateCampaign</a>
               </p>
            </li>
            <li>
               <p>
                  <a href="https://docs.aws.amazon.com/personalize/latest/dg/API_DeleteCampaign.html">DeleteCampaign</a>
               </p>
            </li>
         </ul>"##;

    const CREATE_CERTIFICATE_FROM_CSR: &str = r##"<p>Creates an X.509 certificate using the specified certificate signing
         request.
      </p>
         <p>Requires permission to access the <a href="https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsiot.html#awsiot-actions-as-permissions">CreateCertificateFromCsr</a> action.
      </p>
         <note>
            <p>The CSR must include a public key that is either an RSA key with a length of at least
            2048 bits or an ECC key from NIST P-256, NIST P-384, or NIST P-521 curves. For supported
            certificates, consult <a href="https://docs.aws.amazon.com/iot/latest/developerguide/x509-client-certs.html#x509-cert-algorithms"> Certificate signing algorithms supported by IoT</a>. </p>
         </note>
         <note>
            <p>Reusing the same certificate signing request (CSR)
            results in a distinct certificate.</p>
         </note>
         <p>You can create multiple certificates in a batch by creating a directory, copying
         multiple <code>.csr</code> files into that directory, and then specifying that directory on the command
         line. The following commands show how to create a batch of certificates given a batch of
         CSRs. In the following commands, we assume that a set of CSRs are located inside of the
         directory my-csr-directory:</p>
         <p>On Linux and OS X, the command is: </p>
         <p>
            <code>$ ls my-csr-directory/ | xargs -I {} aws iot create-certificate-from-csr
            --certificate-signing-request file://my-csr-directory/{}</code>
         </p>
         <p>This command lists all of the CSRs in my-csr-directory and pipes each CSR file name
         to the <code>aws iot create-certificate-from-csr</code> Amazon Web Services CLI command to create a certificate for
         the corresponding CSR. </p>
         <p>You can also run the <code>aws iot create-certificate-from-csr</code> part of the
         command in parallel to speed up the certificate creation process:</p>
         <p>
            <code>$ ls my-csr-directory/ | xargs -P 10 -I {} aws iot create-certificate-from-csr
            --certificate-signing-request file://my-csr-directory/{}
         </code>
         </p>
         <p>On Windows PowerShell, the command to create certificates for all CSRs in
         my-csr-directory is:</p>
         <p>
            <code>> ls -Name my-csr-directory | %{aws iot create-certificate-from-csr
            --certificate-signing-request file://my-csr-directory/$_}
         </code>
         </p>
         <p>On a Windows command prompt, the command to create certificates for all CSRs in
         my-csr-directory is:</p>
         <p>
            <code>> forfiles /p my-csr-directory /c "cmd /c aws iot create-certificate-from-csr
            --certificate-signing-request file://@path"
         </code>
         </p>"##;

    const AUTHENTICATION_TYPE: &str = r##"<p>An enumerated string that speciﬁes the authentication type.</p>
         <ul>
            <li>
               <p>
                  <code>CUSTOM_AUTH_X509</code> - Use custom authentication and authorization with additional details from the X.509 client certificate.</p>
            </li>
         </ul>
         <ul>
            <li>
               <p>
                  <code>CUSTOM_AUTH</code> - Use custom authentication and authorization. For more
               information, see <a href="https://docs.aws.amazon.com/iot/latest/developerguide/custom-authentication.html">Custom authentication and authorization</a>.</p>
            </li>
         </ul>
         <ul>
            <li>
               <p>
                  <code>AWS_X509</code> - Use X.509 client certificates without custom authentication and authorization. For more information,
               see <a href="https://docs.aws.amazon.com/iot/latest/developerguide/x509-client-certs.html">X.509 client certificates</a>.</p>
            </li>
         </ul>
         <ul>
            <li>
               <p>
                  <code>AWS_SIGV4</code> - Use Amazon Web Services Signature Version 4. For more information, see <a href="https://docs.aws.amazon.com/iot/latest/developerguide/custom-authentication.html">IAM users, groups, and roles</a>.</p>
            </li>
         </ul>
         <ul>
            <li>
               <p>
                  <code>DEFAULT </code> - Use a combination of port and Application Layer Protocol Negotiation (ALPN) to specify authentication type.
               For more information, see <a href="https://docs.aws.amazon.com/iot/latest/developerguide/protocols.html">Device communication protocols</a>.</p>
            </li>
         </ul>"##;

    #[test]
    fn snapshot_personalize_create_campaign() {
        insta::assert_snapshot!(convert(CREATE_CAMPAIGN));
    }

    #[test]
    fn snapshot_iot_create_certificate_from_csr() {
        insta::assert_snapshot!(convert(CREATE_CERTIFICATE_FROM_CSR));
    }

    #[test]
    fn snapshot_iot_authentication_type() {
        insta::assert_snapshot!(convert(AUTHENTICATION_TYPE));
    }

    /// Every documentation string of every AWS model: no panic, and every output satisfies
    /// [`check_invariants`]. All 306 files (~87 MB, ~150k strings) are checked, spread over
    /// the available cores: about 16 s on one core of a debug build (a third JSON parsing),
    /// about 9 s on two.
    #[test]
    fn every_aws_model_documentation() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/aws-models");
        let Ok(entries) = std::fs::read_dir(&dir) else {
            println!("skipped: {} not found", dir.display());
            return;
        };
        let mut files: Vec<_> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        files.sort();
        let started = std::time::Instant::now();
        let threads = std::thread::available_parallelism().map_or(1, usize::from);
        let count: usize = std::thread::scope(|scope| {
            let workers: Vec<_> = (0..threads)
                .map(|n| {
                    let files = &files;
                    scope.spawn(move || files.iter().skip(n).step_by(threads).map(|f| check_model(f)).sum::<usize>())
                })
                .collect();
            // A panic in a worker (a failed check) fails the test here.
            workers.into_iter().map(|w| w.join().unwrap_or_else(|e| std::panic::resume_unwind(e))).sum()
        });
        println!(
            "{count} documentation strings from {} files in {:?} on {threads} threads",
            files.len(),
            started.elapsed()
        );
        assert!(count > 0 || files.is_empty());
    }

    /// Checks every documentation string in one model file; returns how many there were.
    fn check_model(file: &std::path::Path) -> usize {
        let text = std::fs::read_to_string(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let mut docs = Vec::new();
        serde::de::DeserializeSeed::deserialize(CollectDocs(&mut docs), &mut serde_json::Deserializer::from_str(&text))
            .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        for doc in &docs {
            check_invariants(doc, &doc_lines(doc));
        }
        docs.len()
    }

    /// Collects the `smithy.api#documentation` strings of a JSON document without building a
    /// `serde_json::Value` (twice as fast in a debug build).
    struct CollectDocs<'a>(&'a mut Vec<String>);

    impl<'de> serde::de::DeserializeSeed<'de> for CollectDocs<'_> {
        type Value = ();

        fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
            deserializer.deserialize_any(self)
        }
    }

    impl<'de> serde::de::Visitor<'de> for CollectDocs<'_> {
        type Value = ();

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("any JSON value")
        }

        fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
            while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                if key == "smithy.api#documentation" {
                    if let serde_json::Value::String(doc) = map.next_value()? {
                        self.0.push(doc);
                    }
                } else {
                    map.next_value_seed(CollectDocs(&mut *self.0))?;
                }
            }
            Ok(())
        }

        fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
            while seq.next_element_seed(CollectDocs(&mut *self.0))?.is_some() {}
            Ok(())
        }

        fn visit_bool<E>(self, _: bool) -> Result<(), E> {
            Ok(())
        }

        fn visit_i64<E>(self, _: i64) -> Result<(), E> {
            Ok(())
        }

        fn visit_u64<E>(self, _: u64) -> Result<(), E> {
            Ok(())
        }

        fn visit_f64<E>(self, _: f64) -> Result<(), E> {
            Ok(())
        }

        fn visit_str<E>(self, _: &str) -> Result<(), E> {
            Ok(())
        }

        fn visit_unit<E>(self) -> Result<(), E> {
            Ok(())
        }
    }
}
