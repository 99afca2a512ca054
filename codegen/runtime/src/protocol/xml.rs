//! Reading the small XML documents of the query protocols (STS answers, XML error bodies).
//!
//! A document is read whole into (path, text) pairs: these bodies are a few elements deep,
//! and a path lookup is all their readers need.

use quick_xml::events::Event;
use quick_xml::Reader;

/// The texts of an XML document's elements, by path of local names from the root, e.g.
/// `AssumeRoleResponse/AssumeRoleResult/Credentials/AccessKeyId`; namespaces are ignored.
#[derive(Debug, Default)]
pub(crate) struct XmlDocument {
    /// The local name of the root element.
    pub(crate) root: String,
    /// (path, the element's own text with references resolved), in document order of the
    /// closing tags.
    pub(crate) texts: Vec<(String, String)>,
}

impl XmlDocument {
    /// Parses `body`; the error says what is wrong without quoting the body.
    pub(crate) fn parse(body: &str) -> Result<XmlDocument, String> {
        let malformed = |at: u64| format!("with a body that is not well-formed XML (at byte {at})");
        let mut reader = Reader::from_str(body);
        let mut document = XmlDocument::default();
        // The open elements: (local name, text so far).
        let mut open: Vec<(String, String)> = Vec::new();
        loop {
            let event = reader.read_event().map_err(|_| malformed(reader.error_position()))?;
            match event {
                Event::Start(start) => open.push((start.local_name().as_ref().to_owned(), String::new())),
                Event::Empty(empty) => {
                    let name = empty.local_name().as_ref().to_owned();
                    document.close(&open, name, String::new());
                }
                Event::End(_) => {
                    // quick-xml checks that end tags match their start tags.
                    let (name, text) = open.pop().ok_or_else(|| malformed(reader.buffer_position()))?;
                    document.close(&open, name, text);
                }
                Event::Text(text) => match open.last_mut() {
                    Some((_, content)) => content.push_str(&text.xml10_content()),
                    None if text.trim().is_empty() => {}
                    None => return Err(malformed(reader.buffer_position())),
                },
                Event::CData(data) => match open.last_mut() {
                    Some((_, content)) => content.push_str(&data.xml10_content()),
                    None => return Err(malformed(reader.buffer_position())),
                },
                Event::GeneralRef(reference) => {
                    let resolved = match reference.resolve_char_ref() {
                        Ok(Some(character)) => Some(character),
                        Ok(None) => None,
                        Err(_) => return Err(malformed(reader.buffer_position())),
                    };
                    let content = &mut open.last_mut().ok_or_else(|| malformed(reader.buffer_position()))?.1;
                    match (resolved, quick_xml::escape::resolve_predefined_entity(&reference)) {
                        (Some(character), _) => content.push(character),
                        (None, Some(text)) => content.push_str(text),
                        (None, None) => {
                            return Err(format!(
                                "with an XML body that uses an undefined entity (at byte {})",
                                reader.buffer_position()
                            ))
                        }
                    }
                }
                Event::Decl(_) | Event::Comment(_) | Event::PI(_) | Event::DocType(_) => {}
                Event::Eof => break,
            }
        }
        if !open.is_empty() {
            return Err("with an XML body that ends before its elements are closed".to_owned());
        }
        if document.root.is_empty() {
            return Err("with a body that holds no XML element".to_owned());
        }
        Ok(document)
    }

    /// Records a closed element under the `open` ones.
    fn close(&mut self, open: &[(String, String)], name: String, text: String) {
        let mut path = String::new();
        for (parent, _) in open {
            path.push_str(parent);
            path.push('/');
        }
        path.push_str(&name);
        if open.is_empty() {
            self.root = name;
        }
        self.texts.push((path, text));
    }

    /// The text of the first element at `path`.
    pub(crate) fn text(&self, path: &str) -> Option<&str> {
        self.texts.iter().find(|(at, _)| at == path).map(|(_, text)| text.as_str())
    }
}
