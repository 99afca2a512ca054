//! Runtime values of the rules language.
//!
//! Values borrow from the rule set and the caller's parameters wherever they can, and records
//! and arrays are shared through `Rc`, so that passing most values around (a reference, an
//! assignment, an argument) copies nothing. Strings built during evaluation (templates, encoded
//! values) are owned, so that the endpoint's URL, headers and properties take them over without
//! another copy.

use std::fmt;
use std::ops::Deref;
use std::rc::Rc;

/// A string value: borrowed from the rule set or the parameters, or built during evaluation.
#[derive(Clone, Debug)]
pub(crate) enum Text<'a> {
    Borrowed(&'a str),
    Owned(String),
}

impl Text<'_> {
    /// The text as a `String`, without copying one built during evaluation.
    pub(crate) fn into_string(self) -> String {
        match self {
            Text::Borrowed(s) => s.to_owned(),
            Text::Owned(s) => s,
        }
    }
}

impl Deref for Text<'_> {
    type Target = str;

    fn deref(&self) -> &str {
        match self {
            Text::Borrowed(s) => s,
            Text::Owned(s) => s,
        }
    }
}

impl fmt::Display for Text<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self)
    }
}

impl From<String> for Text<'_> {
    fn from(s: String) -> Self {
        Text::Owned(s)
    }
}

/// A value of the rules language. "Unset" is not a value: it is `None` wherever an expression
/// may produce nothing.
#[derive(Clone, Debug)]
pub(crate) enum Value<'a> {
    Str(Text<'a>),
    Bool(bool),
    Int(i64),
    Array(Rc<[Value<'a>]>),
    /// A record (function outputs such as `parseURL`'s, or an object literal), in field order.
    Record(Rc<[(&'a str, Value<'a>)]>),
}

impl<'a> Value<'a> {
    pub(crate) fn str(s: &'a str) -> Self {
        Value::Str(Text::Borrowed(s))
    }

    pub(crate) fn owned(s: String) -> Self {
        Value::Str(Text::from(s))
    }

    pub(crate) fn record(fields: Vec<(&'a str, Value<'a>)>) -> Self {
        Value::Record(Rc::from(fields))
    }

    /// The field `key` of a record; `None` for a missing field or a value that is not a record.
    pub(crate) fn field(&self, key: &str) -> Option<&Value<'a>> {
        match self {
            Value::Record(fields) => fields.iter().find(|(name, _)| *name == key).map(|(_, value)| value),
            _ => None,
        }
    }

    /// Element `index` of an array; negative or out-of-range indexes give `None`.
    pub(crate) fn element(&self, index: i64) -> Option<&Value<'a>> {
        match self {
            Value::Array(items) => usize::try_from(index).ok().and_then(|i| items.get(i)),
            _ => None,
        }
    }

    /// The name of the value's type, for error messages.
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Value::Str(_) => "string",
            Value::Bool(_) => "bool",
            Value::Int(_) => "int",
            Value::Array(_) => "array",
            Value::Record(_) => "record",
        }
    }
}
