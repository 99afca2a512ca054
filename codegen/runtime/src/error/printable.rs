//! Quoting text a server or another program controls (error codes and messages, a process's
//! stderr) in messages for people: escaped and bounded, so it can neither forge lines, move the
//! cursor, reorder what is shown, nor flood a terminal or a log.

/// `text` cut to `max_chars` characters (then `…`), with control characters and the invisible
/// characters that reorder or hide text escaped (`\n`, `\u{1b}`, `\u{202e}`).
pub(crate) fn printable(text: &str, max_chars: usize) -> String {
    let mut out = String::with_capacity(text.len().min(max_chars.saturating_add(8)));
    for (count, c) in text.chars().enumerate() {
        if count == max_chars {
            out.push('…');
            break;
        }
        let invisible =
            matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{61c}');
        if c.is_control() || invisible {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_and_invisible_characters_are_escaped_and_length_bounded() {
        assert_eq!(printable("plain: é ü 日本", 100), "plain: é ü 日本");
        assert_eq!(
            printable("a\u{1b}[31mred\u{7}\r\nfake line\u{202e}gpj.exe\u{200b}", 100),
            "a\\u{1b}[31mred\\u{7}\\r\\nfake line\\u{202e}gpj.exe\\u{200b}"
        );
        assert_eq!(printable("abcdef", 3), "abc…");
        assert_eq!(printable("abc", 3), "abc");
        assert_eq!(printable(&"x".repeat(5_000_000), 10).chars().count(), 11);
    }
}
