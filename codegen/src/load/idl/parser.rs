//! A recursive descent parser of the IDL's statements into a [`Document`]: shape IDs are kept
//! as written (with their position) and resolved later, when every file of the model is known.
//!
//! Node values nest at most [`MAX_DEPTH`] levels, so hostile input cannot overflow the stack;
//! every other rule consumes at least one token per step, so parsing is linear.

use super::lexer::{punctuation, Kind, Token};
use super::{Error, Pos};
use std::collections::HashSet;

/// How deep arrays and objects may nest in a node value.
pub(super) const MAX_DEPTH: usize = 100;

/// A node value (trait values, metadata, default values, service and resource properties).
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Node {
    Null,
    Bool(bool),
    Number(serde_json::Number),
    /// A number beyond 64 bits, as its literal (see `crate::node`).
    BigNumber(String),
    String(String),
    /// An unquoted shape ID, resolved to an absolute one later.
    Id(Ident),
    Array(Vec<Node>),
    Object(Vec<(String, Node)>),
}

/// A shape ID as written, with where it was written.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Ident {
    pub text: String,
    pub pos: Pos,
}

/// `@id` or `@id(value)`; `value` is `None` without a value (or with empty parentheses).
#[derive(Debug, Clone)]
pub(super) struct TraitUse {
    pub id: Ident,
    pub value: Option<Node>,
}

/// A member of an aggregate or enum shape.
#[derive(Debug, Clone)]
pub(super) struct MemberDef {
    pub name: String,
    pub pos: Pos,
    /// `None` when the target is elided (`$name`).
    pub target: Option<Ident>,
    pub docs: Option<String>,
    pub traits: Vec<TraitUse>,
    /// `= value`: the default of a structure member, the value of an enum member.
    pub value: Option<(Node, Pos)>,
}

/// An operation's properties; inline input and output structures are hoisted to shapes of
/// their own and referenced here by name.
#[derive(Debug, Clone, Default)]
pub(super) struct OperationBody {
    pub input: Option<Ident>,
    pub output: Option<Ident>,
    pub errors: Option<Vec<Ident>>,
}

/// What follows a shape's name.
#[derive(Debug, Clone)]
pub(super) enum Body {
    /// Simple shapes.
    Empty,
    /// Structures, unions, lists, sets, maps, enums and intEnums.
    Members(Vec<MemberDef>),
    /// Services and resources: their properties as a node object.
    Entity(Vec<(String, Pos, Node)>),
    Operation(OperationBody),
}

/// One shape statement.
#[derive(Debug, Clone)]
pub(super) struct ShapeDef {
    pub kind: String,
    pub name: String,
    pub pos: Pos,
    pub docs: Option<String>,
    pub traits: Vec<TraitUse>,
    pub for_resource: Option<Ident>,
    pub mixins: Vec<Ident>,
    pub body: Body,
}

/// `apply Target @trait` or `apply Target { @a @b }`.
#[derive(Debug, Clone)]
pub(super) struct ApplyDef {
    pub target: Ident,
    pub traits: Vec<TraitUse>,
}

/// The statements of one IDL file, shape IDs not yet resolved.
#[derive(Debug, Clone)]
pub struct Document {
    pub(super) file: String,
    /// IDL 2 (`$version: "2"` or `"2.0"`); files without `$version` are IDL 1.0.
    pub(super) v2: bool,
    pub(super) namespace: Option<String>,
    pub(super) uses: Vec<Ident>,
    pub(super) metadata: Vec<(String, Pos, Node)>,
    pub(super) shapes: Vec<ShapeDef>,
    pub(super) applies: Vec<ApplyDef>,
}

const SIMPLE_TYPES: &[&str] = &[
    "blob",
    "boolean",
    "document",
    "string",
    "byte",
    "short",
    "integer",
    "long",
    "float",
    "double",
    "bigInteger",
    "bigDecimal",
    "timestamp",
];

/// Parses the tokens of `file`.
pub(super) fn parse(file: &str, tokens: Vec<Token>) -> Result<Document, Error> {
    let mut parser = Parser {
        tokens,
        at: 0,
        docs: Vec::new(),
        depth: 0,
        input_suffix: "Input".to_owned(),
        output_suffix: "Output".to_owned(),
        doc: Document {
            file: file.to_owned(),
            v2: false,
            namespace: None,
            uses: Vec::new(),
            metadata: Vec::new(),
            shapes: Vec::new(),
            applies: Vec::new(),
        },
    };
    parser.document()?;
    Ok(parser.doc)
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
    /// Documentation comment lines seen since the last point that discards them.
    docs: Vec<String>,
    depth: usize,
    input_suffix: String,
    output_suffix: String,
    doc: Document,
}

impl Parser {
    fn peek(&self) -> &Token {
        // `tokenize` always ends with `Eof` or `Invalid`, and `advance` never moves past it.
        &self.tokens[self.at.min(self.tokens.len() - 1)]
    }

    fn kind(&self) -> Kind {
        self.peek().kind
    }

    fn pos(&self) -> Pos {
        self.peek().pos
    }

    fn advance(&mut self) -> Token {
        let token = self.peek().clone();
        if !matches!(token.kind, Kind::Eof | Kind::Invalid) {
            self.at += 1;
        }
        token
    }

    fn is_word(&self, word: &str) -> bool {
        let token = self.peek();
        token.kind == Kind::Identifier && token.text == word
    }

    fn unexpected(&self, expected: &str) -> Error {
        let token = self.peek();
        if token.kind == Kind::Invalid {
            return Error::new(token.pos, token.text.clone());
        }
        Error::new(token.pos, format!("expected {expected}, found {}", token.describe()))
    }

    fn expect(&mut self, kind: Kind) -> Result<Token, Error> {
        if self.kind() == kind {
            return Ok(self.advance());
        }
        let expected = match kind {
            Kind::Identifier => "an identifier".to_owned(),
            other => format!("`{}`", punctuation(other)),
        };
        Err(self.unexpected(&expected))
    }

    fn v2_only(&self, pos: Pos, what: &str) -> Result<(), Error> {
        if self.doc.v2 {
            return Ok(());
        }
        Err(Error::new(pos, format!("{what} can only be used in IDL version 2 or later (this file is version 1.0)")))
    }

    /// `[SP]`.
    fn sp(&mut self) {
        while self.kind() == Kind::Space {
            self.advance();
        }
    }

    /// `SP`: at least one space.
    fn expect_sp(&mut self, after: &str) -> Result<(), Error> {
        if self.kind() != Kind::Space {
            return Err(self.unexpected(&format!("a space after {after}")));
        }
        self.sp();
        Ok(())
    }

    /// `[WS]`, collecting documentation comments.
    fn ws(&mut self) -> usize {
        let mut skipped = 0;
        loop {
            match self.kind() {
                Kind::Space | Kind::Newline | Kind::Comma | Kind::Comment => {}
                Kind::DocComment => {
                    let line = self.peek().text.clone();
                    self.docs.push(line);
                }
                _ => return skipped,
            }
            self.advance();
            skipped += 1;
        }
    }

    /// `BR`: the end of a statement. A documentation comment on the statement's own line
    /// documents nothing.
    fn br(&mut self) -> Result<(), Error> {
        self.sp();
        self.docs.clear();
        match self.kind() {
            Kind::Newline | Kind::Comment | Kind::DocComment => {
                self.advance();
                self.ws();
                Ok(())
            }
            Kind::Eof => Ok(()),
            _ => Err(self.unexpected("a line break")),
        }
    }

    fn take_docs(&mut self) -> Option<String> {
        if self.docs.is_empty() {
            return None;
        }
        Some(std::mem::take(&mut self.docs).join("\n"))
    }

    fn identifier(&mut self) -> Result<Token, Error> {
        self.expect(Kind::Identifier)
    }

    /// `ShapeId`: `Name`, `ns.a#Name`, with an optional `$member`; no whitespace inside.
    fn shape_id(&mut self) -> Result<Ident, Error> {
        let first = self.identifier()?;
        let mut text = first.text;
        let mut namespaced = false;
        while self.kind() == Kind::Dot {
            self.advance();
            text.push('.');
            text.push_str(&self.identifier()?.text);
            namespaced = true;
        }
        if namespaced && self.kind() != Kind::Pound {
            return Err(self.unexpected("`#` and a shape name after the namespace"));
        }
        if self.kind() == Kind::Pound {
            self.advance();
            text.push('#');
            text.push_str(&self.identifier()?.text);
        }
        if self.kind() == Kind::Dollar {
            self.advance();
            text.push('$');
            text.push_str(&self.identifier()?.text);
        }
        Ok(Ident { text, pos: first.pos })
    }

    fn document(&mut self) -> Result<(), Error> {
        self.ws();
        let mut seen = Vec::new();
        while self.kind() == Kind::Dollar {
            self.control(&mut seen)?;
        }
        while self.is_word("metadata") {
            self.metadata()?;
        }
        if self.kind() == Kind::Eof {
            return Ok(());
        }
        if !self.is_word("namespace") {
            return Err(self.unexpected("a namespace statement (`namespace com.example`)"));
        }
        self.advance();
        self.expect_sp("`namespace`")?;
        let first = self.identifier()?;
        let mut namespace = first.text;
        while self.kind() == Kind::Dot {
            self.advance();
            namespace.push('.');
            namespace.push_str(&self.identifier()?.text);
        }
        self.doc.namespace = Some(namespace);
        self.br()?;
        while self.is_word("use") {
            self.advance();
            self.expect_sp("`use`")?;
            let id = self.shape_id()?;
            if !id.text.contains('#') {
                return Err(Error::new(id.pos, format!("`use` needs an absolute shape ID (`namespace#{}`)", id.text)));
            }
            if id.text.contains('$') {
                return Err(Error::new(id.pos, format!("`use` cannot import a member (`{}`)", id.text)));
            }
            self.doc.uses.push(id);
            self.br()?;
        }
        while self.kind() != Kind::Eof {
            self.statement()?;
        }
        Ok(())
    }

    fn node_key(&mut self) -> Result<(String, Pos), Error> {
        match self.kind() {
            Kind::Identifier | Kind::String => {
                let token = self.advance();
                Ok((token.text, token.pos))
            }
            _ => Err(self.unexpected("a key (an identifier or a quoted string)")),
        }
    }

    fn control(&mut self, seen: &mut Vec<String>) -> Result<(), Error> {
        self.advance();
        let (key, _) = self.node_key()?;
        self.sp();
        self.expect(Kind::Colon)?;
        self.sp();
        let pos = self.pos();
        let value = self.node_value()?;
        if seen.contains(&key) {
            return Err(Error::new(pos, format!("duplicate control statement `${key}`")));
        }
        seen.push(key.clone());
        match (key.as_str(), value) {
            ("version", Node::String(version)) => match version.as_str() {
                "1" | "1.0" => self.doc.v2 = false,
                "2" | "2.0" => self.doc.v2 = true,
                _ => {
                    return Err(Error::new(
                        pos,
                        format!("unsupported Smithy IDL version `{version}` (expected \"1.0\" or \"2.0\")"),
                    ))
                }
            },
            ("operationInputSuffix", Node::String(suffix)) => self.input_suffix = suffix,
            ("operationOutputSuffix", Node::String(suffix)) => self.output_suffix = suffix,
            ("version" | "operationInputSuffix" | "operationOutputSuffix", _) => {
                return Err(Error::new(pos, format!("the `${key}` control statement must have a string value")));
            }
            // Unknown control statements are allowed (Smithy warns about them).
            _ => {}
        }
        self.br()
    }

    fn metadata(&mut self) -> Result<(), Error> {
        self.advance();
        self.expect_sp("`metadata`")?;
        let (key, pos) = self.node_key()?;
        self.sp();
        self.expect(Kind::Equal)?;
        self.sp();
        let value = self.node_value()?;
        self.doc.metadata.push((key, pos, value));
        self.br()
    }

    /// `*(Trait [WS])`: documentation comments among or after the traits document nothing.
    fn trait_statements(&mut self) -> Result<Vec<TraitUse>, Error> {
        let mut traits = Vec::new();
        while self.kind() == Kind::At {
            traits.push(self.trait_use()?);
            self.ws();
        }
        self.docs.clear();
        Ok(traits)
    }

    fn trait_use(&mut self) -> Result<TraitUse, Error> {
        self.expect(Kind::At)?;
        let id = self.shape_id()?;
        if self.kind() != Kind::LParen {
            return Ok(TraitUse { id, value: None });
        }
        self.advance();
        self.ws();
        if self.kind() == Kind::RParen {
            self.advance();
            return Ok(TraitUse { id, value: None });
        }
        let value = if self.structure_ahead() {
            let mut entries = Vec::new();
            let mut keys = HashSet::new();
            while self.kind() != Kind::RParen {
                let (key, pos) = self.node_key()?;
                self.ws();
                self.expect(Kind::Colon)?;
                self.ws();
                let value = self.node_value()?;
                if !keys.insert(key.clone()) {
                    return Err(Error::new(pos, format!("duplicate key `{key}` in a trait value")));
                }
                entries.push((key, value));
                self.ws();
            }
            Node::Object(entries)
        } else {
            let value = self.node_value()?;
            self.ws();
            value
        };
        self.expect(Kind::RParen)?;
        Ok(TraitUse { id, value: Some(value) })
    }

    /// Whether a trait body is `key: value ...` rather than a single node value.
    fn structure_ahead(&self) -> bool {
        let next = |i: usize| self.tokens.get(i).map_or(Kind::Eof, |t| t.kind);
        match self.kind() {
            Kind::String => {}
            Kind::Identifier if !matches!(next(self.at + 1), Kind::Dot | Kind::Pound | Kind::Dollar) => {}
            _ => return false,
        }
        let mut i = self.at + 1;
        while matches!(next(i), Kind::Space | Kind::Newline | Kind::Comma | Kind::Comment | Kind::DocComment) {
            i += 1;
        }
        next(i) == Kind::Colon
    }

    fn node_value(&mut self) -> Result<Node, Error> {
        match self.kind() {
            Kind::LBracket | Kind::LBrace => {
                if self.depth >= MAX_DEPTH {
                    return Err(Error::new(self.pos(), format!("node values nest deeper than {MAX_DEPTH} levels")));
                }
                self.depth += 1;
                let value = if self.kind() == Kind::LBracket { self.node_array() } else { self.node_object() };
                self.depth -= 1;
                value
            }
            Kind::Number => {
                let token = self.advance();
                Ok(token.number.map_or(Node::BigNumber(token.text), Node::Number))
            }
            Kind::String | Kind::TextBlock => Ok(Node::String(self.advance().text)),
            Kind::Identifier => {
                let keyword = match self.peek().text.as_str() {
                    "true" => Some(Node::Bool(true)),
                    "false" => Some(Node::Bool(false)),
                    "null" => Some(Node::Null),
                    _ => None,
                };
                let next = self.tokens.get(self.at + 1).map_or(Kind::Eof, |t| t.kind);
                match keyword {
                    Some(node) if !matches!(next, Kind::Dot | Kind::Pound | Kind::Dollar) => {
                        self.advance();
                        Ok(node)
                    }
                    _ => Ok(Node::Id(self.shape_id()?)),
                }
            }
            _ => Err(self.unexpected("a value (a string, text block, number, shape ID, `{` or `[`)")),
        }
    }

    fn node_array(&mut self) -> Result<Node, Error> {
        self.advance();
        self.ws();
        let mut items = Vec::new();
        while self.kind() != Kind::RBracket {
            items.push(self.node_value()?);
            self.ws();
        }
        self.advance();
        Ok(Node::Array(items))
    }

    fn node_object(&mut self) -> Result<Node, Error> {
        Ok(Node::Object(self.node_entries()?.into_iter().map(|(k, _, v)| (k, v)).collect()))
    }

    fn node_entries(&mut self) -> Result<Vec<(String, Pos, Node)>, Error> {
        self.expect(Kind::LBrace)?;
        self.ws();
        let mut entries: Vec<(String, Pos, Node)> = Vec::new();
        let mut keys = HashSet::new();
        while self.kind() != Kind::RBrace {
            let (key, pos) = self.node_key()?;
            self.ws();
            self.expect(Kind::Colon)?;
            self.ws();
            let value = self.node_value()?;
            if !keys.insert(key.clone()) {
                return Err(Error::new(pos, format!("duplicate key `{key}` in an object")));
            }
            entries.push((key, pos, value));
            self.ws();
        }
        self.advance();
        Ok(entries)
    }

    fn statement(&mut self) -> Result<(), Error> {
        let docs = self.take_docs();
        let traits = self.trait_statements()?;
        if self.is_word("apply") {
            if !traits.is_empty() {
                return Err(Error::new(self.pos(), "traits cannot be applied to an `apply` statement"));
            }
            self.apply()?;
        } else {
            self.shape(docs, traits)?;
        }
        self.br()
    }

    fn apply(&mut self) -> Result<(), Error> {
        self.advance();
        self.expect_sp("`apply`")?;
        let target = self.shape_id()?;
        if self.ws() == 0 {
            return Err(self.unexpected("whitespace after the shape ID"));
        }
        let traits = match self.kind() {
            Kind::At => vec![self.trait_use()?],
            Kind::LBrace => {
                self.advance();
                self.ws();
                let traits = self.trait_statements()?;
                self.expect(Kind::RBrace)?;
                traits
            }
            _ => return Err(self.unexpected("`@` (a trait) or `{` (a block of traits)")),
        };
        self.doc.applies.push(ApplyDef { target, traits });
        Ok(())
    }

    fn shape_name(&mut self, kind: &str) -> Result<Token, Error> {
        self.expect_sp(&format!("`{kind}`"))?;
        self.identifier()
    }

    /// `[SP] with [ ... ]` when present.
    fn mixins(&mut self) -> Result<Vec<Ident>, Error> {
        self.sp();
        if !self.is_word("with") {
            return Ok(Vec::new());
        }
        self.v2_only(self.pos(), "mixins")?;
        self.advance();
        self.ws();
        self.expect(Kind::LBracket)?;
        self.ws();
        let mut mixins = vec![self.shape_id()?];
        self.ws();
        while self.kind() != Kind::RBracket {
            mixins.push(self.shape_id()?);
            self.ws();
        }
        self.advance();
        Ok(mixins)
    }

    /// `for Resource` when present.
    fn for_resource(&mut self) -> Result<Option<Ident>, Error> {
        self.sp();
        if !self.is_word("for") {
            return Ok(None);
        }
        self.v2_only(self.pos(), "binding a shape to a resource with `for`")?;
        self.advance();
        self.expect_sp("`for`")?;
        Ok(Some(self.shape_id()?))
    }

    fn shape(&mut self, docs: Option<String>, traits: Vec<TraitUse>) -> Result<(), Error> {
        let kind_token = self.peek().clone();
        if kind_token.kind != Kind::Identifier {
            return Err(self.unexpected("a shape statement (a shape type such as `structure`) or `apply`"));
        }
        let kind = kind_token.text.clone();
        let mut def = ShapeDef {
            kind: kind.clone(),
            name: String::new(),
            pos: kind_token.pos,
            docs,
            traits,
            for_resource: None,
            mixins: Vec::new(),
            body: Body::Empty,
        };
        match kind.as_str() {
            k if SIMPLE_TYPES.contains(&k) => {
                self.advance();
                def.name = self.shape_name(k)?.text;
                def.mixins = self.mixins()?;
            }
            "enum" | "intEnum" | "list" | "set" | "map" | "structure" | "union" => {
                if kind == "set" && self.doc.v2 {
                    return Err(Error::new(
                        kind_token.pos,
                        "`set` shapes cannot be used in IDL version 2 (use a list with `@uniqueItems`)",
                    ));
                }
                if kind == "enum" || kind == "intEnum" {
                    self.v2_only(kind_token.pos, &format!("`{kind}` shapes"))?;
                }
                self.advance();
                def.name = self.shape_name(&kind)?.text;
                if kind != "enum" && kind != "intEnum" {
                    def.for_resource = self.for_resource()?;
                }
                def.mixins = self.mixins()?;
                self.ws();
                def.body = Body::Members(self.members(&kind)?);
            }
            "service" | "resource" => {
                self.advance();
                def.name = self.shape_name(&kind)?.text;
                def.mixins = self.mixins()?;
                self.ws();
                self.docs.clear();
                def.body = Body::Entity(self.node_entries()?);
            }
            "operation" => {
                self.advance();
                let name = self.shape_name(&kind)?;
                def.name = name.text;
                def.mixins = self.mixins()?;
                self.ws();
                def.body = Body::Operation(self.operation_body(&def.name)?);
            }
            _ => {
                return Err(Error::new(
                    kind_token.pos,
                    format!("unknown shape type `{kind}` (expected a shape type such as `structure`, or `apply`)"),
                ))
            }
        }
        self.doc.shapes.push(def);
        Ok(())
    }

    /// `{ members }` of an aggregate or enum shape.
    fn members(&mut self, kind: &str) -> Result<Vec<MemberDef>, Error> {
        self.expect(Kind::LBrace)?;
        self.docs.clear();
        self.ws();
        let enum_like = kind == "enum" || kind == "intEnum";
        let mut members: Vec<MemberDef> = Vec::new();
        let mut names = HashSet::new();
        while self.kind() != Kind::RBrace {
            let docs = self.take_docs();
            let traits = self.trait_statements()?;
            let pos = self.pos();
            let (name, target) = if enum_like {
                (self.identifier()?.text, None)
            } else if self.kind() == Kind::Dollar {
                self.v2_only(pos, "members with elided targets (`$name`)")?;
                self.advance();
                (self.identifier()?.text, None)
            } else {
                let name = self.identifier()?.text;
                self.sp();
                self.expect(Kind::Colon)?;
                self.sp();
                (name, Some(self.shape_id()?))
            };
            self.sp();
            let mut value = None;
            if self.kind() == Kind::Equal {
                let what = if enum_like { "enum values assigned with `=`" } else { "default values assigned with `=`" };
                self.v2_only(self.pos(), what)?;
                self.advance();
                self.sp();
                let at = self.pos();
                value = Some((self.node_value()?, at));
                self.sp();
                if self.kind() == Kind::Comma {
                    self.advance();
                }
                self.br()?;
            }
            if !names.insert(name.clone()) {
                return Err(Error::new(pos, format!("duplicate member `{name}`")));
            }
            members.push(MemberDef { name, pos, target, docs, traits, value });
            self.ws();
        }
        self.advance();
        Ok(members)
    }

    fn operation_body(&mut self, operation: &str) -> Result<OperationBody, Error> {
        self.expect(Kind::LBrace)?;
        self.ws();
        let mut body = OperationBody::default();
        while self.kind() != Kind::RBrace {
            let key = self.identifier()?;
            let duplicate = match key.text.as_str() {
                "input" => body.input.is_some(),
                "output" => body.output.is_some(),
                "errors" => body.errors.is_some(),
                other => {
                    return Err(Error::new(
                        key.pos,
                        format!("unknown operation property `{other}` (expected `input`, `output` or `errors`)"),
                    ))
                }
            };
            if duplicate {
                return Err(Error::new(key.pos, format!("duplicate operation property `{}`", key.text)));
            }
            self.ws();
            if key.text == "errors" {
                self.expect(Kind::Colon)?;
                self.ws();
                self.expect(Kind::LBracket)?;
                self.ws();
                let mut errors = Vec::new();
                while self.kind() != Kind::RBracket {
                    errors.push(self.shape_id()?);
                    self.ws();
                }
                self.advance();
                body.errors = Some(errors);
            } else {
                let target = match self.kind() {
                    Kind::Colon => {
                        self.advance();
                        self.ws();
                        self.shape_id()?
                    }
                    Kind::Walrus => self.inline_structure(operation, &key.text)?,
                    _ => return Err(self.unexpected("`:` (a shape ID follows) or `:=` (an inline structure follows)")),
                };
                if key.text == "input" {
                    body.input = Some(target);
                } else {
                    body.output = Some(target);
                }
            }
            self.ws();
        }
        self.advance();
        Ok(body)
    }

    /// `:= [traits] [for R] [with [...]] { members }`, hoisted to a structure named after the
    /// operation.
    fn inline_structure(&mut self, operation: &str, property: &str) -> Result<Ident, Error> {
        let pos = self.pos();
        self.v2_only(pos, "inline input and output structures (`:=`)")?;
        self.advance();
        self.docs.clear();
        self.ws();
        let docs = self.take_docs();
        let mut traits = self.trait_statements()?;
        let for_resource = self.for_resource()?;
        let mixins = self.mixins()?;
        self.ws();
        let members = self.members("structure")?;
        let suffix = if property == "input" { &self.input_suffix } else { &self.output_suffix };
        let name = format!("{operation}{suffix}");
        traits.push(TraitUse { id: Ident { text: format!("smithy.api#{property}"), pos }, value: None });
        self.doc.shapes.push(ShapeDef {
            kind: "structure".to_owned(),
            name: name.clone(),
            pos,
            docs,
            traits,
            for_resource,
            mixins,
            body: Body::Members(members),
        });
        Ok(Ident { text: name, pos })
    }
}
