//! The JMESPath subset of waiter paths, parsed at generation time so that each path becomes
//! plain Rust over the typed output (see `emit::files::waiters`).
//!
//! Supported: identifiers (bare or quoted), `@`, sub-expressions `a.b`, index `a[0]`,
//! projections `a[]` (flatten), `a[*]` and filters `a[?expr]`, comparisons (`==`, `!=`, `<`,
//! `<=`, `>`, `>=`), `&&`, `||`, `!`, parentheses, literals (`` `1` ``, `` `"s"` ``,
//! `` `true` ``, `` `null` ``), raw strings (`'text'`) and the functions `length` and
//! `contains`. That covers every waiter of the AWS models; anything else is an error naming
//! the position, reported where the waiter is defined.

/// A parsed expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// `@`: the current value.
    Current,
    /// A member of the current value.
    Field(String),
    /// `lhs.rhs`: `rhs` evaluated on the value of `lhs`.
    Sub(Box<Expr>, Box<Expr>),
    /// `lhs[index]`.
    Index(Box<Expr>, i64),
    /// A projection: `rhs` evaluated on each element of the list `lhs` gives (after
    /// flattening or filtering), nulls dropped.
    Project {
        /// The list projected.
        lhs: Box<Expr>,
        /// How elements are taken.
        kind: Projection,
        /// What is evaluated on each (`Current` for the elements themselves).
        rhs: Box<Expr>,
    },
    /// A comparison.
    Compare(Comparator, Box<Expr>, Box<Expr>),
    /// `a && b`.
    And(Box<Expr>, Box<Expr>),
    /// `a || b`.
    Or(Box<Expr>, Box<Expr>),
    /// `!a`.
    Not(Box<Expr>),
    /// A literal (JSON scalar).
    Literal(serde_json::Value),
    /// `length(arg)` or `contains(subject, search)`.
    Function(Function, Vec<Expr>),
}

/// How a projection takes the elements of its list.
#[derive(Debug, Clone, PartialEq)]
pub enum Projection {
    /// `[]`: the elements, nested lists flattened one level.
    Flatten,
    /// `[*]`: the elements.
    Wildcard,
    /// `[?expr]`: the elements for which `expr` is truthy.
    Filter(Box<Expr>),
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparator {
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

/// A supported function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Function {
    /// `length(string | list | object)`.
    Length,
    /// `contains(list | string, value)`.
    Contains,
}

/// Parses `text`; the error says what was expected at which character (counted from 1).
pub fn parse(text: &str) -> Result<Expr, String> {
    let mut parser = Parser { chars: text.chars().collect(), at: 0, depth: 0 };
    let expr = parser.or()?;
    parser.skip_space();
    if parser.at < parser.chars.len() {
        return Err(parser.error("the end of the expression"));
    }
    Ok(expr)
}

/// Nesting beyond this is refused rather than risking the stack.
const MAX_DEPTH: usize = 64;

struct Parser {
    chars: Vec<char>,
    at: usize,
    depth: usize,
}

impl Parser {
    fn error(&self, expected: &str) -> String {
        match self.chars.get(self.at) {
            Some(found) => format!("expected {expected} at character {}, found `{found}`", self.at + 1),
            None => format!("expected {expected} at character {}, found the end", self.at + 1),
        }
    }

    fn skip_space(&mut self) {
        while self.chars.get(self.at).is_some_and(|c| c.is_whitespace()) {
            self.at += 1;
        }
    }

    /// Consumes `token` (after spaces) if it comes next.
    fn eat(&mut self, token: &str) -> bool {
        self.skip_space();
        let end = self.at + token.chars().count();
        if end <= self.chars.len() && self.chars[self.at..end].iter().copied().eq(token.chars()) {
            self.at = end;
            return true;
        }
        false
    }

    fn expect(&mut self, token: &str) -> Result<(), String> {
        if self.eat(token) {
            Ok(())
        } else {
            Err(self.error(&format!("`{token}`")))
        }
    }

    fn nested<T>(&mut self, parse: impl FnOnce(&mut Self) -> Result<T, String>) -> Result<T, String> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(format!("the expression nests deeper than {MAX_DEPTH} levels"));
        }
        let result = parse(self);
        self.depth -= 1;
        result
    }

    fn or(&mut self) -> Result<Expr, String> {
        let mut lhs = self.and()?;
        while self.eat("||") {
            lhs = Expr::Or(Box::new(lhs), Box::new(self.and()?));
        }
        Ok(lhs)
    }

    fn and(&mut self) -> Result<Expr, String> {
        let mut lhs = self.not()?;
        while self.eat("&&") {
            lhs = Expr::And(Box::new(lhs), Box::new(self.not()?));
        }
        Ok(lhs)
    }

    fn not(&mut self) -> Result<Expr, String> {
        self.skip_space();
        if self.chars.get(self.at) == Some(&'!') && self.chars.get(self.at + 1) != Some(&'=') {
            self.at += 1;
            return self.nested(|p| p.not()).map(|e| Expr::Not(Box::new(e)));
        }
        self.comparison()
    }

    fn comparison(&mut self) -> Result<Expr, String> {
        let lhs = self.postfix()?;
        let comparators = [
            ("==", Comparator::Eq),
            ("!=", Comparator::Ne),
            ("<=", Comparator::Le),
            (">=", Comparator::Ge),
            ("<", Comparator::Lt),
            (">", Comparator::Gt),
        ];
        for (token, comparator) in comparators {
            if self.eat(token) {
                let rhs = self.postfix()?;
                return Ok(Expr::Compare(comparator, Box::new(lhs), Box::new(rhs)));
            }
        }
        Ok(lhs)
    }

    /// A primary expression and its chain of `.field`, `[index]` and projections; a
    /// projection takes the rest of the chain as what it evaluates on each element.
    fn postfix(&mut self) -> Result<Expr, String> {
        let mut expr = self.primary()?;
        loop {
            if self.eat(".") {
                let field = self.identifier()?;
                expr = Expr::Sub(Box::new(expr), Box::new(field));
            } else if self.eat("[]") {
                return self.projection(expr, Projection::Flatten);
            } else if self.eat("[*]") {
                return self.projection(expr, Projection::Wildcard);
            } else if self.eat("[?") {
                let filter = self.nested(|p| p.or())?;
                self.expect("]")?;
                return self.projection(expr, Projection::Filter(Box::new(filter)));
            } else if self.eat("[") {
                let index = self.integer()?;
                self.expect("]")?;
                expr = Expr::Index(Box::new(expr), index);
            } else {
                return Ok(expr);
            }
        }
    }

    /// The rest of a chain after a projection: `.field`s, indexes and further projections
    /// applied to each element.
    fn projection(&mut self, lhs: Expr, kind: Projection) -> Result<Expr, String> {
        let mut rhs = Expr::Current;
        loop {
            if self.eat(".") {
                let field = self.identifier()?;
                rhs = sub(rhs, field);
            } else if self.eat("[]") {
                rhs = self.nested(|p| p.projection(rhs, Projection::Flatten))?;
                break;
            } else if self.eat("[*]") {
                rhs = self.nested(|p| p.projection(rhs, Projection::Wildcard))?;
                break;
            } else if self.eat("[?") {
                let filter = self.nested(|p| p.or())?;
                self.expect("]")?;
                rhs = self.nested(|p| p.projection(rhs, Projection::Filter(Box::new(filter))))?;
                break;
            } else {
                break;
            }
        }
        Ok(Expr::Project { lhs: Box::new(lhs), kind, rhs: Box::new(rhs) })
    }

    fn primary(&mut self) -> Result<Expr, String> {
        self.skip_space();
        match self.chars.get(self.at) {
            Some('@') => {
                self.at += 1;
                Ok(Expr::Current)
            }
            Some('(') => {
                self.at += 1;
                let expr = self.nested(|p| p.or())?;
                self.expect(")")?;
                Ok(expr)
            }
            Some('`') => self.literal(),
            Some('\'') => self.raw_string(),
            Some(c) if c.is_ascii_alphabetic() || *c == '_' => {
                let name = self.word();
                if self.eat("(") {
                    return self.function(&name);
                }
                Ok(Expr::Field(name))
            }
            Some('"') => self.identifier(),
            _ => Err(self.error("a field name, `@`, a literal or `(`")),
        }
    }

    fn word(&mut self) -> String {
        let start = self.at;
        while self.chars.get(self.at).is_some_and(|c| c.is_ascii_alphanumeric() || *c == '_') {
            self.at += 1;
        }
        self.chars[start..self.at].iter().collect()
    }

    fn identifier(&mut self) -> Result<Expr, String> {
        self.skip_space();
        match self.chars.get(self.at) {
            Some('"') => {
                let text = self.delimited('"')?;
                let name: String = serde_json::from_str(&format!("\"{text}\""))
                    .map_err(|_| format!("the quoted name `{text}` is not a valid JSON string"))?;
                Ok(Expr::Field(name))
            }
            Some(c) if c.is_ascii_alphabetic() || *c == '_' => Ok(Expr::Field(self.word())),
            _ => Err(self.error("a field name")),
        }
    }

    /// The text up to the closing `delimiter` (a backslash escapes it), delimiters consumed.
    fn delimited(&mut self, delimiter: char) -> Result<String, String> {
        let start = self.at;
        self.at += 1;
        let mut text = String::new();
        loop {
            match self.chars.get(self.at) {
                None => {
                    self.at = start;
                    return Err(self.error(&format!("a closing {delimiter}")));
                }
                Some('\\') if self.chars.get(self.at + 1) == Some(&delimiter) => {
                    text.push(delimiter);
                    self.at += 2;
                }
                Some(c) if *c == delimiter => {
                    self.at += 1;
                    return Ok(text);
                }
                Some(c) => {
                    text.push(*c);
                    self.at += 1;
                }
            }
        }
    }

    fn literal(&mut self) -> Result<Expr, String> {
        let start = self.at;
        let text = self.delimited('`')?;
        match serde_json::from_str::<serde_json::Value>(text.trim()) {
            Ok(value) if !value.is_array() && !value.is_object() => Ok(Expr::Literal(value)),
            Ok(_) => {
                Err(format!("the literal at character {} is a list or object; only scalars are supported", start + 1))
            }
            Err(_) => Err(format!("the literal at character {} is not JSON", start + 1)),
        }
    }

    fn raw_string(&mut self) -> Result<Expr, String> {
        self.delimited('\'').map(|text| Expr::Literal(serde_json::Value::String(text)))
    }

    fn integer(&mut self) -> Result<i64, String> {
        self.skip_space();
        let start = self.at;
        if self.chars.get(self.at) == Some(&'-') {
            self.at += 1;
        }
        while self.chars.get(self.at).is_some_and(char::is_ascii_digit) {
            self.at += 1;
        }
        let text: String = self.chars[start..self.at].iter().collect();
        text.parse().map_err(|_| {
            self.at = start;
            self.error("an index")
        })
    }

    fn function(&mut self, name: &str) -> Result<Expr, String> {
        let (function, arity) = match name {
            "length" => (Function::Length, 1),
            "contains" => (Function::Contains, 2),
            other => return Err(format!("the function `{other}` is not supported (only `length` and `contains`)")),
        };
        let mut args = Vec::new();
        if !self.eat(")") {
            loop {
                args.push(self.nested(|p| p.or())?);
                if self.eat(")") {
                    break;
                }
                self.expect(",")?;
            }
        }
        if args.len() != arity {
            return Err(format!("`{name}` takes {arity} argument(s), not {}", args.len()));
        }
        Ok(Expr::Function(function, args))
    }
}

/// `lhs.rhs`, without a leading `@.`.
fn sub(lhs: Expr, rhs: Expr) -> Expr {
    match lhs {
        Expr::Current => rhs,
        lhs => Expr::Sub(Box::new(lhs), Box::new(rhs)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(name: &str) -> Box<Expr> {
        Box::new(Expr::Field(name.to_owned()))
    }

    #[test]
    fn every_path_shape_of_the_aws_waiters_parses() {
        assert_eq!(parse("Table.TableStatus"), Ok(Expr::Sub(field("Table"), field("TableStatus"))));
        assert_eq!(
            parse("Reservations[].Instances[].State.Name"),
            Ok(Expr::Project {
                lhs: field("Reservations"),
                kind: Projection::Flatten,
                rhs: Box::new(Expr::Project {
                    lhs: field("Instances"),
                    kind: Projection::Flatten,
                    rhs: Box::new(Expr::Sub(field("State"), field("Name"))),
                }),
            })
        );
        assert_eq!(
            parse("status != 'CANCELLING' && status != 'CANCELLED'"),
            Ok(Expr::And(
                Box::new(Expr::Compare(Comparator::Ne, field("status"), Box::new(Expr::Literal("CANCELLING".into())))),
                Box::new(Expr::Compare(Comparator::Ne, field("status"), Box::new(Expr::Literal("CANCELLED".into())))),
            ))
        );
        let services = parse("length(services[?!(length(deployments) == `1` && runningCount == desiredCount)]) == `0`");
        let Ok(Expr::Compare(Comparator::Eq, lhs, rhs)) = services else { panic!("{services:?}") };
        assert_eq!(*rhs, Expr::Literal(0.into()));
        let Expr::Function(Function::Length, args) = *lhs else { panic!("{lhs:?}") };
        let Expr::Project { kind: Projection::Filter(filter), rhs, .. } = &args[0] else { panic!("{args:?}") };
        assert_eq!(**rhs, Expr::Current);
        assert!(matches!(**filter, Expr::Not(_)));
        assert_eq!(parse("a[0].\"b c\""), Ok(Expr::Sub(Box::new(Expr::Index(field("a"), 0)), field("b c"))));
    }

    #[test]
    fn what_is_not_supported_or_malformed_names_the_position() {
        assert_eq!(parse("a.").unwrap_err(), "expected a field name at character 3, found the end");
        assert_eq!(parse("a b").unwrap_err(), "expected the end of the expression at character 3, found `b`");
        assert!(parse("sort_by(a, &b)").unwrap_err().contains("`sort_by` is not supported"));
        assert!(parse("a == `[1]`").unwrap_err().contains("list or object"));
        assert!(parse("'open").unwrap_err().contains("a closing '"));
        assert!(parse(&"(".repeat(100_000)).unwrap_err().contains("nests deeper"));
        assert!(parse(&"!".repeat(100_000)).unwrap_err().contains("nests deeper"));
    }
}
