//! Tokens of the Smithy IDL, each with its line and column.
//!
//! The IDL is whitespace sensitive (statements end at line breaks, some tokens must be
//! separated by spaces), so spaces, line breaks, commas and comments are tokens too; the
//! parser decides where they are allowed. Strings and text blocks are decoded here, numbers
//! converted; any malformed token is an error at its position.

use super::{Error, Pos};
use crate::node;

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// Spaces and tabs.
    Space,
    /// `\n` or `\r\n`.
    Newline,
    /// `,` (whitespace in the IDL).
    Comma,
    /// `// ...` up to and including the line break.
    Comment,
    /// `/// ...` up to and including the line break; `text` holds the line.
    DocComment,
    At,
    LParen,
    RParen,
    LBrace,
    RBrace,
    LBracket,
    RBracket,
    Colon,
    /// `:=`.
    Walrus,
    Equal,
    Dot,
    Pound,
    Dollar,
    /// `text` holds the identifier.
    Identifier,
    /// A quoted string; `text` holds the decoded value.
    String,
    /// A text block; `text` holds the decoded value.
    TextBlock,
    /// `number` holds the value.
    Number,
    Eof,
    /// A malformed token, always the last one; `text` holds what is wrong with it. The
    /// parser reports it when it gets there, so an earlier syntax error comes first.
    Invalid,
}

/// One token.
#[derive(Debug, Clone)]
pub(super) struct Token {
    pub kind: Kind,
    pub pos: Pos,
    /// Identifier, decoded string or doc comment line; empty otherwise.
    pub text: String,
    /// The value of a number; `None` for a number beyond 64 bits, whose literal is `text`.
    pub number: Option<serde_json::Number>,
}

impl Token {
    /// How the token is named in "expected ..., found ..." messages.
    pub fn describe(&self) -> String {
        match self.kind {
            Kind::Space => "a space".to_owned(),
            Kind::Newline => "a line break".to_owned(),
            Kind::Comma => "`,`".to_owned(),
            Kind::Comment => "a comment".to_owned(),
            Kind::DocComment => "a documentation comment".to_owned(),
            Kind::Identifier => format!("`{}`", self.text),
            Kind::String => format!("the string {}", serde_json::Value::String(self.text.clone())),
            Kind::TextBlock => "a text block".to_owned(),
            Kind::Number => match &self.number {
                Some(n) => format!("the number {n}"),
                None => format!("the number {}", self.text),
            },
            Kind::Eof => "the end of the file".to_owned(),
            Kind::Invalid => "a malformed token".to_owned(),
            other => format!("`{}`", punctuation(other)),
        }
    }
}

/// The text of a punctuation token.
pub(super) fn punctuation(kind: Kind) -> &'static str {
    match kind {
        Kind::At => "@",
        Kind::LParen => "(",
        Kind::RParen => ")",
        Kind::LBrace => "{",
        Kind::RBrace => "}",
        Kind::LBracket => "[",
        Kind::RBracket => "]",
        Kind::Colon => ":",
        Kind::Walrus => ":=",
        Kind::Equal => "=",
        Kind::Dot => ".",
        Kind::Pound => "#",
        Kind::Dollar => "$",
        Kind::Comma => ",",
        _ => "",
    }
}

/// Splits `text` into tokens, ending with [`Kind::Eof`], or with [`Kind::Invalid`] at the
/// first malformed token.
pub(super) fn tokenize(text: &str) -> Vec<Token> {
    let mut lexer = Lexer { chars: text.char_indices().peekable(), text, line: 1, column: 1 };
    let mut tokens = Vec::new();
    loop {
        match lexer.next_token() {
            Ok(token) => {
                let end = token.kind == Kind::Eof;
                tokens.push(token);
                if end {
                    return tokens;
                }
            }
            Err(err) => {
                let pos = Pos { line: err.line, column: err.column };
                tokens.push(Token { kind: Kind::Invalid, pos, text: err.message, number: None });
                return tokens;
            }
        }
    }
}

struct Lexer<'a> {
    chars: std::iter::Peekable<std::str::CharIndices<'a>>,
    text: &'a str,
    line: u32,
    column: u32,
}

impl Lexer<'_> {
    fn pos(&self) -> Pos {
        Pos { line: self.line, column: self.column }
    }

    fn peek(&mut self) -> Option<char> {
        self.chars.peek().map(|&(_, c)| c)
    }

    /// The character after the next one.
    fn peek2(&self) -> Option<char> {
        let mut ahead = self.chars.clone();
        ahead.next();
        ahead.next().map(|(_, c)| c)
    }

    fn offset(&mut self) -> usize {
        self.chars.peek().map_or(self.text.len(), |&(i, _)| i)
    }

    fn bump(&mut self) -> Option<char> {
        let (_, c) = self.chars.next()?;
        if c == '\n' || (c == '\r' && self.peek() != Some('\n')) {
            self.line += 1;
            self.column = 1;
        } else if c != '\r' {
            self.column += 1;
        }
        Some(c)
    }

    fn token(kind: Kind, pos: Pos) -> Token {
        Token { kind, pos, text: String::new(), number: None }
    }

    fn next_token(&mut self) -> Result<Token, Error> {
        let pos = self.pos();
        let Some(c) = self.peek() else { return Ok(Self::token(Kind::Eof, pos)) };
        let single = match c {
            '@' => Some(Kind::At),
            '(' => Some(Kind::LParen),
            ')' => Some(Kind::RParen),
            '{' => Some(Kind::LBrace),
            '}' => Some(Kind::RBrace),
            '[' => Some(Kind::LBracket),
            ']' => Some(Kind::RBracket),
            '=' => Some(Kind::Equal),
            '.' => Some(Kind::Dot),
            '#' => Some(Kind::Pound),
            '$' => Some(Kind::Dollar),
            ',' => Some(Kind::Comma),
            _ => None,
        };
        if let Some(kind) = single {
            self.bump();
            return Ok(Self::token(kind, pos));
        }
        match c {
            ' ' | '\t' => {
                while matches!(self.peek(), Some(' ' | '\t')) {
                    self.bump();
                }
                Ok(Self::token(Kind::Space, pos))
            }
            '\n' | '\r' => {
                if self.bump() == Some('\r') && self.peek() == Some('\n') {
                    self.bump();
                }
                Ok(Self::token(Kind::Newline, pos))
            }
            ':' => {
                self.bump();
                if self.peek() == Some('=') {
                    self.bump();
                    return Ok(Self::token(Kind::Walrus, pos));
                }
                Ok(Self::token(Kind::Colon, pos))
            }
            '/' if self.peek2() == Some('/') => Ok(self.comment(pos)),
            '"' => self.string(pos),
            '-' | '0'..='9' => self.number(pos),
            'a'..='z' | 'A'..='Z' | '_' => self.identifier(pos),
            other => Err(Error::new(pos, format!("unexpected character {other:?}"))),
        }
    }

    fn comment(&mut self, pos: Pos) -> Token {
        self.bump();
        self.bump();
        let doc = self.peek() == Some('/');
        if doc {
            self.bump();
        }
        let start = self.offset();
        while !matches!(self.peek(), None | Some('\n' | '\r')) {
            self.bump();
        }
        let end = self.offset();
        let line = self.text[start..end].to_owned();
        if self.bump() == Some('\r') && self.peek() == Some('\n') {
            self.bump();
        }
        if doc {
            // `/// text` documents `text`: one space after the slashes is the separator.
            let text = line.strip_prefix(' ').unwrap_or(&line).to_owned();
            Token { kind: Kind::DocComment, pos, text, number: None }
        } else {
            Self::token(Kind::Comment, pos)
        }
    }

    fn identifier(&mut self, pos: Pos) -> Result<Token, Error> {
        let start = self.offset();
        if self.peek() == Some('_') {
            while self.peek() == Some('_') {
                self.bump();
            }
            match self.peek() {
                Some(c) if c.is_ascii_alphanumeric() => {}
                other => {
                    let found = other.map_or("the end of the file".to_owned(), |c| format!("{c:?}"));
                    return Err(Error::new(
                        self.pos(),
                        format!("expected a letter or digit after `_` in an identifier, found {found}"),
                    ));
                }
            }
        }
        while matches!(self.peek(), Some(c) if c.is_ascii_alphanumeric() || c == '_') {
            self.bump();
        }
        let end = self.offset();
        Ok(Token { kind: Kind::Identifier, pos, text: self.text[start..end].to_owned(), number: None })
    }

    fn digits(&mut self) -> usize {
        let mut count = 0;
        while matches!(self.peek(), Some('0'..='9')) {
            self.bump();
            count += 1;
        }
        count
    }

    fn number(&mut self, pos: Pos) -> Result<Token, Error> {
        let start = self.offset();
        if self.peek() == Some('-') {
            self.bump();
        }
        let invalid = |lexer: &mut Self, why: &str| {
            let end = lexer.offset();
            Err(Error::new(pos, format!("invalid number `{}`: {why}", &lexer.text[start..end])))
        };
        if self.digits() == 0 {
            return invalid(self, "`-` must be followed by a digit");
        }
        if self.peek() == Some('.') {
            self.bump();
            if self.digits() == 0 {
                return invalid(self, "`.` must be followed by a digit");
            }
        }
        if matches!(self.peek(), Some('e' | 'E')) {
            self.bump();
            if matches!(self.peek(), Some('+' | '-')) {
                self.bump();
            }
            if self.digits() == 0 {
                return invalid(self, "an exponent must have digits");
            }
        }
        let end = self.offset();
        let lexeme = &self.text[start..end];
        // A number no 64-bit value holds keeps its literal in `text` (see `crate::node`).
        if node::exceeds_64_bits(lexeme) {
            return Ok(Token { kind: Kind::Number, pos, text: lexeme.to_owned(), number: None });
        }
        match node::number(lexeme) {
            Some(serde_json::Value::Number(number)) => {
                Ok(Token { kind: Kind::Number, pos, text: String::new(), number: Some(number) })
            }
            _ => invalid(self, "a number cannot start with `0` followed by more digits"),
        }
    }

    fn string(&mut self, pos: Pos) -> Result<Token, Error> {
        self.bump();
        let block = self.peek() == Some('"') && self.peek2() == Some('"');
        if block {
            self.bump();
            self.bump();
        }
        // The raw text up to the closing quote(s), escapes kept (and skipped over).
        let mut raw = String::new();
        loop {
            match self.peek() {
                None => {
                    let quotes = if block { "`\"\"\"`" } else { "`\"`" };
                    return Err(Error::new(
                        self.pos(),
                        format!("expected {quotes} to close the string opened at line {}, column {}, found the end of the file", pos.line, pos.column),
                    ));
                }
                Some('"') => {
                    if !block {
                        self.bump();
                        break;
                    }
                    let mut ahead = self.chars.clone();
                    let closing = ahead.next().is_some()
                        && ahead.next().map(|(_, c)| c) == Some('"')
                        && ahead.next().map(|(_, c)| c) == Some('"');
                    self.bump();
                    if closing {
                        self.bump();
                        self.bump();
                        break;
                    }
                    raw.push('"');
                }
                Some('\\') => {
                    self.bump();
                    raw.push('\\');
                    match self.bump() {
                        Some('\r') => {
                            if self.peek() == Some('\n') {
                                self.bump();
                            }
                            raw.push('\n');
                        }
                        Some(c) => raw.push(c),
                        None => {}
                    }
                }
                Some('\r') => {
                    self.bump();
                    if self.peek() != Some('\n') {
                        raw.push('\n');
                    }
                }
                Some(c) => {
                    self.bump();
                    raw.push(c);
                }
            }
        }
        let decoded = if block { text_block(&raw).and_then(|text| unescape(&text)) } else { unescape(&raw) };
        match decoded {
            Ok(text) => {
                let kind = if block { Kind::TextBlock } else { Kind::String };
                Ok(Token { kind, pos, text, number: None })
            }
            Err(message) => Err(Error::new(pos, message)),
        }
    }
}

/// Removes a text block's incidental whitespace: the opening line break, the indentation
/// common to its non-blank lines and its closing line, and trailing spaces of each line.
fn text_block(raw: &str) -> Result<String, String> {
    if raw.is_empty() {
        return Err("a text block must not be empty (`\"\"\"` must be followed by a line break)".to_owned());
    }
    let after_spaces = raw.trim_start_matches([' ', '\t']);
    let Some(content) = after_spaces.strip_prefix('\n') else {
        return Err("a text block must start with a line break after the opening `\"\"\"`".to_owned());
    };
    let lines: Vec<&str> = content.split('\n').collect();
    let last = lines.len() - 1;
    let indent = |line: &str| line.len() - line.trim_start_matches([' ', '\t']).len();
    let common = lines
        .iter()
        .enumerate()
        .filter(|(i, line)| *i == last || !line.trim().is_empty())
        .map(|(_, line)| indent(line))
        .min()
        .unwrap_or(0);
    let mut out = String::with_capacity(content.len());
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let strip = common.min(indent(line));
        out.push_str(line[strip..].trim_end_matches([' ', '\t']));
    }
    Ok(out)
}

/// Interprets the escapes of a string's raw text.
fn unescape(raw: &str) -> Result<String, String> {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('"') => out.push('"'),
            Some('\\') => out.push('\\'),
            Some('/') => out.push('/'),
            Some('b') => out.push('\u{8}'),
            Some('f') => out.push('\u{c}'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('t') => out.push('\t'),
            // An escaped line break continues the line.
            Some('\n') => {}
            Some('u') => {
                let high = hex4(&mut chars)?;
                let code = if (0xD800..0xDC00).contains(&high) {
                    let low = match (chars.next(), chars.next()) {
                        (Some('\\'), Some('u')) => hex4(&mut chars)?,
                        _ => {
                            return Err("a unicode escape of a high surrogate must be followed by a low one".to_owned())
                        }
                    };
                    if !(0xDC00..0xE000).contains(&low) {
                        return Err("a unicode escape of a high surrogate must be followed by a low one".to_owned());
                    }
                    0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
                } else {
                    high
                };
                match char::from_u32(code) {
                    Some(c) => out.push(c),
                    None => return Err(format!("invalid unicode escape `\\u{code:04X}`")),
                }
            }
            Some(other) => return Err(format!("invalid escape `\\{other}` in a string")),
            None => return Err("a string must not end with a lone `\\`".to_owned()),
        }
    }
    Ok(out)
}

fn hex4(chars: &mut std::str::Chars<'_>) -> Result<u32, String> {
    let mut value = 0;
    for _ in 0..4 {
        match chars.next() {
            Some(c) if c.is_ascii_hexdigit() => value = value * 16 + c.to_digit(16).unwrap_or(0),
            Some(c) if c != '"' => return Err(format!("invalid character {c:?} in a unicode escape")),
            _ => return Err("a unicode escape needs four hexadecimal digits".to_owned()),
        }
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<Kind> {
        tokenize(text).into_iter().map(|t| t.kind).collect()
    }

    fn first(text: &str) -> Token {
        tokenize(text).swap_remove(0)
    }

    fn invalid(text: &str) -> bool {
        tokenize(text).iter().any(|t| t.kind == Kind::Invalid)
    }

    #[test]
    fn punctuation_and_whitespace() {
        use Kind::*;
        assert_eq!(kinds("a := b\r\n,"), vec![Identifier, Space, Walrus, Space, Identifier, Newline, Comma, Eof]);
        assert_eq!(kinds("// c\n/// d\n"), vec![Comment, DocComment, Eof]);
    }

    #[test]
    fn positions_count_characters() {
        let tokens = tokenize("\"é\" x\n  y");
        let at: Vec<(u32, u32)> = tokens.iter().map(|t| (t.pos.line, t.pos.column)).collect();
        assert_eq!(at, vec![(1, 1), (1, 4), (1, 5), (1, 6), (2, 1), (2, 3), (2, 4)]);
    }

    #[test]
    fn strings_and_text_blocks() {
        let text = |s: &str| first(s).text;
        assert_eq!(text(r#""a\"b\u00e9\ud83d\ude00""#), "a\"bé😀");
        assert_eq!(text("\"\"\"\n    Hello\n      there\n    \"\"\""), "Hello\n  there\n");
        assert_eq!(text("\"\"\"\n    a \\\n    b\"\"\""), "a b");
        for bad in [r#""\'""#, r#""\u12""#, "\"\"\"\"\"\"", "\"\"\"x\"\"\"", "\"open", "1.", "-", "1e+", "_ ", "!"] {
            assert!(invalid(bad), "{bad}");
        }
    }

    #[test]
    fn numbers() {
        let number = |s: &str| first(s).number;
        assert_eq!(number("-10").map(|n| n.to_string()).as_deref(), Some("-10"));
        assert_eq!(number("9223372036854775808").and_then(|n| n.as_u64()), Some(9_223_372_036_854_775_808));
        assert_eq!(number("1.5e2").and_then(|n| n.as_f64()), Some(150.0));
        let big = first("2e308");
        assert_eq!((big.kind, big.number, big.text.as_str()), (Kind::Number, None, "2e308"));
        assert!(invalid("012"));
    }
}
