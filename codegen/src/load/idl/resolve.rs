//! Turns parsed IDL documents into the Smithy JSON AST: relative shape IDs resolved (the
//! `use` statements, then the file's namespace across every file of the model, then the
//! prelude), elided member targets found (the resource bound with `for`, then mixins), inline
//! `apply` statements folded into the shapes of the same file, and the checks of the IDL that
//! need other shapes (mixin kinds and member conflicts, `for` targets, enum values, version 1.0
//! restrictions), each located at its line and column.

use super::parser::{Body, Document, Ident, MemberDef, Node, OperationBody, ShapeDef, TraitUse};
use super::{prelude_names, Error, Pos};
use crate::node;
use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet};

/// What resolution needs to know of a shape defined anywhere in the model.
#[derive(Debug, Default)]
struct Info {
    kind: String,
    mixins: Vec<String>,
    /// Member name -> absolute target (`None`: elided, not known here).
    members: Vec<(String, Option<String>)>,
    /// Resource identifiers and properties: name -> absolute target.
    identifiers: Vec<(String, String)>,
    properties: Vec<(String, String)>,
}

/// Every shape of the model (prelude included) by absolute shape ID.
type Index = HashMap<String, Info>;

const PRELUDE_NAMESPACE: &str = "smithy.api";

/// Resolves `docs`, loaded together with the JSON AST files `others`: one result per document.
pub(super) fn resolve_all(docs: &[Document], others: &[&Value]) -> Vec<Result<Value, Vec<Error>>> {
    let mut index = Index::new();
    for (id, kind) in prelude_names::shapes() {
        index.insert(id, Info { kind: kind.to_owned(), ..Info::default() });
    }
    for value in others {
        index_json(value, &mut index);
    }
    // Every name first, so references may point forward and across files ...
    for doc in docs {
        let Some(namespace) = &doc.namespace else { continue };
        for shape in &doc.shapes {
            let info = Info { kind: shape.kind.clone(), ..Info::default() };
            index.entry(format!("{namespace}#{}", shape.name)).or_insert(info);
        }
    }
    // ... then what elision and mixin checks need, resolved with those names.
    let mut details = Vec::new();
    for doc in docs {
        let Some(namespace) = &doc.namespace else { continue };
        let scope = Scope::new(doc, &index, &mut Vec::new());
        for shape in &doc.shapes {
            details.push((format!("{namespace}#{}", shape.name), scope.info(shape)));
        }
    }
    index.extend(details);
    docs.iter().map(|doc| convert(doc, &index)).collect()
}

/// Indexes the shapes of a JSON AST model.
fn index_json(model: &Value, index: &mut Index) {
    let Some(shapes) = model.get("shapes").and_then(Value::as_object) else { return };
    let target = |v: &Value| v.get("target").and_then(Value::as_str).map(str::to_owned);
    let named = |v: Option<&Value>| -> Vec<(String, String)> {
        v.and_then(Value::as_object)
            .map(|m| m.iter().filter_map(|(k, v)| Some((k.clone(), target(v)?))).collect())
            .unwrap_or_default()
    };
    for (id, shape) in shapes {
        let Some(kind) = shape.get("type").and_then(Value::as_str) else { continue };
        if kind == "apply" {
            continue;
        }
        let mut members: Vec<(String, Option<String>)> =
            named(shape.get("members")).into_iter().map(|(k, t)| (k, Some(t))).collect();
        for name in ["member", "key", "value"] {
            if let Some(member) = shape.get(name) {
                members.push((name.to_owned(), target(member)));
            }
        }
        let mixins = shape
            .get("mixins")
            .and_then(Value::as_array)
            .map(|items| items.iter().filter_map(target).collect())
            .unwrap_or_default();
        let info = Info {
            kind: kind.to_owned(),
            mixins,
            members,
            identifiers: named(shape.get("identifiers")),
            properties: named(shape.get("properties")),
        };
        index.entry(id.clone()).or_insert(info);
    }
}

/// How relative shape IDs of one file resolve.
struct Scope<'a> {
    namespace: &'a str,
    uses: HashMap<String, String>,
    index: &'a Index,
}

impl<'a> Scope<'a> {
    /// The scope of `doc`; conflicting `use` statements are reported into `errors`.
    fn new(doc: &'a Document, index: &'a Index, errors: &mut Vec<Error>) -> Self {
        let mut uses: HashMap<String, String> = HashMap::new();
        for used in &doc.uses {
            let name = used.text.rsplit('#').next().unwrap_or_default().to_owned();
            match uses.get(&name) {
                Some(existing) if *existing != used.text => errors.push(Error::new(
                    used.pos,
                    format!("cannot use `{}`: the name `{name}` already refers to `{existing}`", used.text),
                )),
                _ => {
                    uses.insert(name, used.text.clone());
                }
            }
        }
        Scope { namespace: doc.namespace.as_deref().unwrap_or(PRELUDE_NAMESPACE), uses, index }
    }

    /// The absolute form of a shape ID as written, and whether that shape exists.
    fn resolve(&self, text: &str) -> (String, bool) {
        let (root, member) = match text.split_once('$') {
            Some((root, member)) => (root, Some(member)),
            None => (text, None),
        };
        let (absolute, exists) = if root.contains('#') {
            (root.to_owned(), self.index.contains_key(root))
        } else if let Some(used) = self.uses.get(root) {
            (used.clone(), self.index.contains_key(used))
        } else {
            let local = format!("{}#{root}", self.namespace);
            let prelude = format!("{PRELUDE_NAMESPACE}#{root}");
            if self.index.contains_key(&local) {
                (local, true)
            } else if self.index.contains_key(&prelude) {
                (prelude, true)
            } else {
                (local, false)
            }
        };
        match member {
            Some(member) => (format!("{absolute}${member}"), exists),
            None => (absolute, exists),
        }
    }

    fn target(&self, id: &Ident) -> String {
        self.resolve(&id.text).0
    }

    /// A node value as JSON; an unquoted shape ID must name an existing shape.
    fn value(&self, node: &Node, errors: &mut Vec<Error>) -> Value {
        match node {
            Node::Null => Value::Null,
            Node::Bool(b) => Value::Bool(*b),
            Node::Number(n) => Value::Number(n.clone()),
            Node::BigNumber(literal) => node::number(literal).unwrap_or(Value::Null),
            Node::String(s) => Value::String(s.clone()),
            Node::Id(id) => {
                let (absolute, exists) = self.resolve(&id.text);
                if !exists {
                    errors.push(Error::new(
                        id.pos,
                        format!(
                            "the unquoted shape ID `{}` does not resolve to a shape (`{absolute}` does not exist); \
                             quote it if it is meant as a string",
                            id.text
                        ),
                    ));
                }
                Value::String(absolute)
            }
            Node::Array(items) => Value::Array(items.iter().map(|item| self.value(item, errors)).collect()),
            Node::Object(entries) => {
                Value::Object(entries.iter().map(|(k, v)| (k.clone(), self.value(v, errors))).collect())
            }
        }
    }

    /// The traits of a statement, doc comments as `smithy.api#documentation` (an explicit
    /// `@documentation` wins).
    fn traits(&self, uses: &[TraitUse], docs: Option<&String>, errors: &mut Vec<Error>) -> Map<String, Value> {
        let mut traits = Map::new();
        for used in uses {
            let id = self.target(&used.id);
            let value = match &used.value {
                Some(node) => self.value(node, errors),
                None => empty_value(self.index.get(&id).map(|info| info.kind.as_str())),
            };
            merge_trait(&mut traits, id, value, used.id.pos, errors);
        }
        if let Some(docs) = docs {
            traits.entry("smithy.api#documentation").or_insert_with(|| Value::String(docs.clone()));
        }
        traits
    }

    /// What other files need to know of a shape of this one.
    fn info(&self, shape: &ShapeDef) -> Info {
        let mut info = Info {
            kind: shape.kind.clone(),
            mixins: shape.mixins.iter().map(|m| self.target(m)).collect(),
            ..Info::default()
        };
        match &shape.body {
            Body::Members(members) => {
                info.members = members
                    .iter()
                    .map(|m| {
                        let target = match (&m.target, shape.kind.as_str()) {
                            (Some(target), _) => Some(self.target(target)),
                            (None, "enum" | "intEnum") => Some(format!("{PRELUDE_NAMESPACE}#Unit")),
                            (None, _) => None,
                        };
                        (m.name.clone(), target)
                    })
                    .collect();
            }
            Body::Entity(entries) => {
                for (key, _, node) in entries {
                    let named = match key.as_str() {
                        "identifiers" => &mut info.identifiers,
                        "properties" => &mut info.properties,
                        _ => continue,
                    };
                    if let Node::Object(items) = node {
                        named.extend(items.iter().filter_map(|(name, v)| Some((name.clone(), self.id_of(v)?))));
                    }
                }
            }
            Body::Empty | Body::Operation(_) => {}
        }
        info
    }

    /// A shape ID given as a node value (unquoted or quoted).
    fn id_of(&self, node: &Node) -> Option<String> {
        match node {
            Node::Id(id) => Some(self.target(id)),
            Node::String(text) => Some(self.resolve(text).0),
            _ => None,
        }
    }
}

/// The value of a trait applied without one: the empty value of its shape's type.
fn empty_value(kind: Option<&str>) -> Value {
    match kind {
        Some("list" | "set") => Value::Array(Vec::new()),
        None | Some("structure" | "union" | "map") => Value::Object(Map::new()),
        Some(_) => Value::Null,
    }
}

/// Adds a trait: equal values are fine, lists concatenate, anything else conflicts.
fn merge_trait(traits: &mut Map<String, Value>, id: String, value: Value, pos: Pos, errors: &mut Vec<Error>) {
    match traits.get_mut(&id) {
        None => {
            traits.insert(id, value);
        }
        Some(existing) if *existing == value => {}
        Some(Value::Array(existing)) if value.is_array() => {
            if let Value::Array(more) = value {
                existing.extend(more);
            }
        }
        Some(_) => errors.push(Error::new(pos, format!("conflicting values for trait `{id}`"))),
    }
}

/// The members a shape inherits through its mixins: (name, target, the mixin that defines it).
fn inherited<'i>(index: &'i Index, mixins: &[String]) -> Vec<(&'i str, Option<&'i str>, &'i str)> {
    let mut members = Vec::new();
    let mut seen = HashSet::new();
    let mut stack: Vec<&str> = mixins.iter().rev().map(String::as_str).collect();
    while let Some(id) = stack.pop() {
        let Some((id, info)) = index.get_key_value(id) else { continue };
        if !seen.insert(id.as_str()) {
            continue;
        }
        for (name, target) in &info.members {
            members.push((name.as_str(), target.as_deref(), id.as_str()));
        }
        stack.extend(info.mixins.iter().rev().map(String::as_str));
    }
    members
}

/// One document as a Smithy JSON AST model.
fn convert(doc: &Document, index: &Index) -> Result<Value, Vec<Error>> {
    let mut errors = Vec::new();
    let scope = Scope::new(doc, index, &mut errors);
    let mut converter = Converter { doc, scope, index, shapes: Map::new(), applies: Vec::new(), errors: Vec::new() };
    let mut defined: HashMap<&str, Pos> = HashMap::new();
    for shape in &doc.shapes {
        if let Some(first) = defined.insert(&shape.name, shape.pos) {
            converter.errors.push(Error::new(
                shape.pos,
                format!("shape `{}` is already defined at line {}, column {}", shape.name, first.line, first.column),
            ));
            continue;
        }
        if let Some(used) = converter.scope.uses.get(&shape.name) {
            let message = format!("shape name `{}` conflicts with `{used}` imported by `use`", shape.name);
            converter.errors.push(Error::new(shape.pos, message));
            continue;
        }
        converter.shape(shape);
    }
    for apply in &doc.applies {
        let traits = converter.scope.traits(&apply.traits, None, &mut converter.errors);
        converter.applies.push((converter.scope.target(&apply.target), apply.target.pos, traits));
    }
    converter.fold_applies();
    let mut metadata = Map::new();
    for (key, pos, node) in &doc.metadata {
        let value = converter.scope.value(node, &mut converter.errors);
        merge_trait(&mut metadata, key.clone(), value, *pos, &mut converter.errors);
    }
    errors.append(&mut converter.errors);
    if !errors.is_empty() {
        errors.sort_by_key(|e| (e.line, e.column));
        return Err(errors);
    }
    let mut model = Map::new();
    model.insert("smithy".to_owned(), Value::String(if doc.v2 { "2.0" } else { "1.0" }.to_owned()));
    if !metadata.is_empty() {
        model.insert("metadata".to_owned(), Value::Object(metadata));
    }
    model.insert("shapes".to_owned(), Value::Object(converter.shapes));
    Ok(Value::Object(model))
}

struct Converter<'a> {
    doc: &'a Document,
    scope: Scope<'a>,
    index: &'a Index,
    shapes: Map<String, Value>,
    /// Traits for a shape or member: `apply` statements, and elided members inherited from a
    /// mixin that add traits.
    applies: Vec<(String, Pos, Map<String, Value>)>,
    errors: Vec<Error>,
}

impl Converter<'_> {
    fn error(&mut self, pos: Pos, message: impl Into<String>) {
        self.errors.push(Error::new(pos, message));
    }

    fn shape(&mut self, def: &ShapeDef) {
        let id = format!("{}#{}", self.scope.namespace, def.name);
        let traits = self.scope.traits(&def.traits, def.docs.as_ref(), &mut self.errors);
        let is_mixin = traits.contains_key("smithy.api#mixin");
        if is_mixin && !self.doc.v2 {
            self.error(def.pos, "mixins can only be used in IDL version 2 or later (this file is version 1.0)");
        }
        let mut shape = Map::new();
        shape.insert("type".to_owned(), Value::String(def.kind.clone()));
        let mixins: Vec<String> = def.mixins.iter().map(|m| self.scope.target(m)).collect();
        for (mixin, written) in mixins.iter().zip(&def.mixins) {
            if let Some(info) = self.index.get(mixin) {
                if info.kind != def.kind {
                    let message = format!(
                        "mixin `{mixin}` is a {} shape; a {} can only mix in {} shapes",
                        info.kind, def.kind, def.kind
                    );
                    self.error(written.pos, message);
                }
            }
        }
        if !mixins.is_empty() {
            let targets = mixins.iter().map(|m| serde_json::json!({ "target": m })).collect();
            shape.insert("mixins".to_owned(), Value::Array(targets));
        }
        match &def.body {
            Body::Empty => {}
            Body::Members(members) => self.members(def, &id, &mixins, members, &mut shape),
            Body::Entity(entries) => self.entity(def, is_mixin, entries, &mut shape),
            Body::Operation(operation) => self.operation(def, is_mixin, operation, &mut shape),
        }
        if !traits.is_empty() {
            shape.insert("traits".to_owned(), Value::Object(traits));
        }
        self.shapes.insert(id, Value::Object(shape));
    }

    fn members(
        &mut self,
        def: &ShapeDef,
        id: &str,
        mixins: &[String],
        members: &[MemberDef],
        shape: &mut Map<String, Value>,
    ) {
        let inherited = inherited(self.index, mixins);
        let inherited = self.inherited_by_name(def, inherited);
        let resource = def.for_resource.as_ref().and_then(|written| {
            let resource = self.scope.target(written);
            match self.index.get(&resource) {
                Some(info) if info.kind == "resource" => {
                    // Identifiers first: they win over properties of the same name.
                    let mut named: HashMap<&str, &String> = HashMap::new();
                    for (name, target) in info.identifiers.iter().chain(&info.properties) {
                        named.entry(name.as_str()).or_insert(target);
                    }
                    Some(named)
                }
                Some(info) => {
                    let message =
                        format!("`for` must name a resource shape, but `{resource}` is a {} shape", info.kind);
                    self.error(written.pos, message);
                    None
                }
                None => {
                    self.error(written.pos, format!("`for` names `{resource}`, which does not exist"));
                    None
                }
            }
        });
        let kind = def.kind.as_str();
        let enum_like = kind == "enum" || kind == "intEnum";
        let allowed: Option<&[&str]> = match kind {
            "list" | "set" => Some(&["member"]),
            "map" => Some(&["key", "value"]),
            _ => None,
        };
        let mut out = Map::new();
        for member in members {
            if let Some(allowed) = allowed {
                if !allowed.contains(&member.name.as_str()) {
                    let expected = allowed.iter().map(|a| format!("`{a}`")).collect::<Vec<_>>().join(" and ");
                    self.error(member.pos, format!("a {kind} has members {expected} only, not `{}`", member.name));
                    continue;
                }
            }
            let mut traits = self.scope.traits(&member.traits, member.docs.as_ref(), &mut self.errors);
            if let Some((node, pos)) = &member.value {
                let value = self.scope.value(node, &mut self.errors);
                let trait_id = if enum_like { "smithy.api#enumValue" } else { "smithy.api#default" };
                if enum_like {
                    self.check_enum_value(kind, &value, *pos);
                }
                merge_trait(&mut traits, trait_id.to_owned(), value, *pos, &mut self.errors);
            }
            let target = match (&member.target, enum_like) {
                (_, true) => format!("{PRELUDE_NAMESPACE}#Unit"),
                (Some(target), false) => self.scope.target(target),
                (None, false) => match resource.as_ref().and_then(|named| named.get(member.name.as_str())) {
                    Some(target) => (*target).clone(),
                    None if inherited.contains_key(member.name.as_str()) => {
                        if !traits.is_empty() {
                            self.applies.push((format!("{id}${}", member.name), member.pos, traits));
                        }
                        continue;
                    }
                    None => {
                        let message = format!(
                            "the target of member `{}` is elided, but no resource bound with `for` nor any mixin \
                                 has an identifier, property or member of that name",
                            member.name
                        );
                        self.error(member.pos, message);
                        continue;
                    }
                },
            };
            if let Some((Some(other), origin)) =
                inherited.get(member.name.as_str()).filter(|(t, _)| *t != Some(target.as_str()))
            {
                let message = format!(
                    "member `{}` targets `{target}`, which conflicts with the inherited mixin member `{origin}${}` (targets `{other}`)",
                    member.name, member.name
                );
                self.error(member.pos, message);
            }
            let mut out_member = Map::new();
            out_member.insert("target".to_owned(), Value::String(target));
            if !traits.is_empty() {
                out_member.insert("traits".to_owned(), Value::Object(traits));
            }
            out.insert(member.name.clone(), Value::Object(out_member));
        }
        if mixins.is_empty() {
            let required: &[&str] = match kind {
                "list" | "set" => &["member"],
                "map" => &["key", "value"],
                _ => &[],
            };
            let missing: Vec<&str> = required.iter().copied().filter(|name| !out.contains_key(*name)).collect();
            if !missing.is_empty() {
                self.error(def.pos, format!("{kind} `{}` lacks its {}", def.name, missing.join(" and ")));
            }
            if enum_like && members.is_empty() {
                self.error(def.pos, format!("{kind} `{}` must have at least one member", def.name));
            }
        }
        match allowed {
            Some(_) => shape.extend(out),
            None => {
                shape.insert("members".to_owned(), Value::Object(out));
            }
        }
    }

    /// The members inherited through mixins by name (target, mixin), reporting two mixins that
    /// give a member of the same name different targets.
    fn inherited_by_name<'i>(
        &mut self,
        def: &ShapeDef,
        inherited: Vec<(&'i str, Option<&'i str>, &'i str)>,
    ) -> HashMap<&'i str, (Option<&'i str>, &'i str)> {
        let mut by_name: HashMap<&str, (Option<&str>, &str)> = HashMap::new();
        for (name, target, origin) in inherited {
            match by_name.get_mut(name) {
                None => {
                    by_name.insert(name, (target, origin));
                }
                Some((known, known_origin)) => match (*known, target) {
                    (Some(other), Some(target)) if other != target => {
                        let message = format!(
                            "mixin member `{origin}${name}` (targets `{target}`) conflicts with \
                             `{known_origin}${name}` (targets `{other}`)"
                        );
                        self.error(def.pos, message);
                    }
                    (None, Some(target)) => *known = Some(target),
                    _ => {}
                },
            }
        }
        by_name
    }

    fn check_enum_value(&mut self, kind: &str, value: &Value, pos: Pos) {
        if kind == "enum" {
            if !value.is_string() {
                self.error(pos, format!("enum members can only be assigned strings, found {value}"));
            }
            return;
        }
        match value.as_number() {
            Some(n) if n.is_f64() => self.error(pos, format!("intEnum members need integer values, found {n}")),
            Some(n) if n.as_i64().is_none_or(|v| i32::try_from(v).is_err()) => {
                self.error(pos, format!("intEnum values must fit in a 32-bit integer, found {n}"))
            }
            Some(_) => {}
            None if node::is_integer(value) => {
                self.error(pos, format!("intEnum values must fit in a 32-bit integer, found {}", node::display(value)))
            }
            None => self.error(pos, format!("intEnum members need integer values, found {}", node::display(value))),
        }
    }

    /// The properties of a service or resource.
    fn entity(
        &mut self,
        def: &ShapeDef,
        is_mixin: bool,
        entries: &[(String, Pos, Node)],
        shape: &mut Map<String, Value>,
    ) {
        let service = def.kind == "service";
        for (key, pos, node) in entries {
            let pos = *pos;
            let value = match (service, key.as_str()) {
                (true, "version") => match node {
                    Node::String(version) => Value::String(version.clone()),
                    _ => {
                        self.error(pos, "a service `version` must be a string");
                        continue;
                    }
                },
                (true, "rename") => self.rename(node, pos),
                (true, "operations" | "resources" | "errors")
                | (false, "operations" | "collectionOperations" | "resources") => self.id_list(key, node, pos),
                (false, "identifiers" | "properties") => {
                    if key == "properties" && !self.doc.v2 {
                        self.error(
                            pos,
                            "resource properties can only be used in IDL version 2 or later (this file is version 1.0)",
                        );
                    }
                    if is_mixin {
                        self.error(pos, format!("a resource mixin cannot define `{key}`"));
                    }
                    self.named_ids(key, node, pos)
                }
                (false, "create" | "put" | "read" | "update" | "delete" | "list") => match self.scope.id_of(node) {
                    Some(target) => serde_json::json!({ "target": target }),
                    None => {
                        self.error(pos, format!("`{key}` must be a shape ID"));
                        continue;
                    }
                },
                _ => {
                    let expected = if service {
                        "`version`, `operations`, `resources`, `errors` or `rename`"
                    } else {
                        "`identifiers`, `properties`, `create`, `put`, `read`, `update`, `delete`, `list`, \
                         `operations`, `collectionOperations` or `resources`"
                    };
                    self.error(pos, format!("unknown {} property `{key}` (expected {expected})", def.kind));
                    continue;
                }
            };
            shape.insert(key.clone(), value);
        }
    }

    fn id_list(&mut self, key: &str, node: &Node, pos: Pos) -> Value {
        let Node::Array(items) = node else {
            self.error(pos, format!("`{key}` must be a list of shape IDs"));
            return Value::Array(Vec::new());
        };
        let mut targets = Vec::new();
        for item in items {
            match self.scope.id_of(item) {
                Some(target) => targets.push(serde_json::json!({ "target": target })),
                None => self.error(pos, format!("`{key}` must be a list of shape IDs")),
            }
        }
        Value::Array(targets)
    }

    fn named_ids(&mut self, key: &str, node: &Node, pos: Pos) -> Value {
        let Node::Object(entries) = node else {
            self.error(pos, format!("`{key}` must be an object mapping names to shape IDs"));
            return Value::Object(Map::new());
        };
        let mut out = Map::new();
        for (name, item) in entries {
            match self.scope.id_of(item) {
                Some(target) => {
                    out.insert(name.clone(), serde_json::json!({ "target": target }));
                }
                None => self.error(pos, format!("`{key}.{name}` must be a shape ID")),
            }
        }
        Value::Object(out)
    }

    fn rename(&mut self, node: &Node, pos: Pos) -> Value {
        let Node::Object(entries) = node else {
            self.error(pos, "`rename` must be an object mapping shape IDs to names");
            return Value::Object(Map::new());
        };
        let mut out = Map::new();
        for (id, name) in entries {
            match name {
                Node::String(name) => {
                    out.insert(id.clone(), Value::String(name.clone()));
                }
                _ => self.error(pos, format!("`rename.\"{id}\"` must be a string")),
            }
        }
        Value::Object(out)
    }

    fn operation(&mut self, def: &ShapeDef, is_mixin: bool, operation: &OperationBody, shape: &mut Map<String, Value>) {
        if is_mixin && (operation.input.is_some() || operation.output.is_some()) {
            self.error(def.pos, "an operation mixin cannot define `input` or `output`");
        }
        for (key, target) in [("input", &operation.input), ("output", &operation.output)] {
            if let Some(target) = target {
                shape.insert(key.to_owned(), serde_json::json!({ "target": self.scope.target(target) }));
            }
        }
        if let Some(errors) = &operation.errors {
            let targets = errors.iter().map(|e| serde_json::json!({ "target": self.scope.target(e) })).collect();
            shape.insert("errors".to_owned(), Value::Array(targets));
        }
    }

    /// Folds `apply` traits into the shapes and members of this file; the others stay `apply`
    /// entries for the loader to merge (their target is in another file, or a member
    /// inherited from a mixin).
    fn fold_applies(&mut self) {
        for (target, pos, traits) in std::mem::take(&mut self.applies) {
            let slot = local_traits(&mut self.shapes, &target);
            let slot = match slot {
                Some(slot) => slot,
                None => {
                    let entry = self
                        .shapes
                        .entry(target.clone())
                        .or_insert_with(|| serde_json::json!({ "type": "apply", "traits": {} }));
                    match entry.get_mut("traits").and_then(Value::as_object_mut) {
                        Some(slot) => slot,
                        None => continue,
                    }
                }
            };
            for (id, value) in traits {
                merge_trait(slot, id, value, pos, &mut self.errors);
            }
        }
    }
}

/// The traits of a shape or member defined in this file (created when absent).
fn local_traits<'m>(shapes: &'m mut Map<String, Value>, target: &str) -> Option<&'m mut Map<String, Value>> {
    let (root, member) = match target.split_once('$') {
        Some((root, member)) => (root, Some(member)),
        None => (target, None),
    };
    let shape = shapes.get_mut(root)?.as_object_mut()?;
    if shape.get("type").and_then(Value::as_str) == Some("apply") {
        return None;
    }
    let holder = match member {
        None => shape,
        Some(name) => {
            let direct = matches!(name, "member" | "key" | "value") && shape.contains_key(name);
            let member = if direct { shape.get_mut(name) } else { shape.get_mut("members")?.get_mut(name) };
            member?.as_object_mut()?
        }
    };
    holder.entry("traits").or_insert_with(|| Value::Object(Map::new())).as_object_mut()
}
