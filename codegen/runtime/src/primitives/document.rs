//! [`Document`], a Smithy `document`: an untyped JSON value.

/// A Smithy `document`: an untyped JSON value.
///
/// Numbers inside are held as serde_json holds them: a `u64` or an `i64` when the literal is
/// an integer that fits, else the nearest `f64`. This is what the official AWS SDK for Rust
/// does (its `Document` numbers are `PosInt(u64)`, `NegInt(i64)` or `Float(f64)`), and it
/// keeps `Document` the ordinary `serde_json::Value` callers already know.
///
/// Keeping every digit of a huge document number would take either serde_json's
/// `arbitrary_precision` feature, which Cargo would switch on for every crate of the build
/// that uses serde_json (changing their `Value`s too), or a document type of our own with
/// numbers kept as text, an API of its own that callers would have to learn. Values that
/// must be exact are modeled as `bigInteger`, `bigDecimal` or `timestamp`, which
/// [`BigInteger`](super::BigInteger), [`BigDecimal`](super::BigDecimal) and
/// [`DateTime`](super::DateTime) keep exactly.
pub type Document = serde_json::Value;

#[cfg(test)]
mod tests {
    use super::*;
    use std::error::Error;

    type TestResult = Result<(), Box<dyn Error>>;

    #[test]
    fn serde_json_numbers_are_its_default_ones() -> TestResult {
        // Under `arbitrary_precision` a `Number` would hold the text: `1.50` would print as
        // written, differ from `1.5`, and `2^64` would not count as an f64.
        let number: Document = serde_json::from_str("1.5")?;
        let Document::Number(number) = number else { return Err("not a number".into()) };
        assert!(number.is_f64());
        assert_eq!(number.as_f64(), Some(1.5));
        let trailing: Document = serde_json::from_str("1.50")?;
        assert_eq!(trailing.to_string(), "1.5");
        assert_eq!(trailing, Document::Number(number));
        let huge: Document = serde_json::from_str("18446744073709551616")?;
        assert!(huge.is_f64() && !huge.is_u64(), "{huge}");
        assert_eq!(serde_json::from_str::<Document>("1e2")?.to_string(), "100.0");
        Ok(())
    }

    #[test]
    fn documents_hold_64_bit_integers_exactly_and_other_numbers_as_f64() -> TestResult {
        let json = r#"{"a":[18446744073709551615,-9223372036854775808,0.1,1.5e+300],"b":null,"c":"x"}"#;
        let doc: Document = serde_json::from_str(json)?;
        assert_eq!(doc["a"][0].as_u64(), Some(u64::MAX));
        assert_eq!(doc["a"][1].as_i64(), Some(i64::MIN));
        assert_eq!(doc["a"][2].as_f64(), Some(0.1));
        assert_eq!(doc.to_string(), json);
        // Beyond that, the nearest f64.
        let doc: Document = serde_json::from_str("[123456789012345678901234567890, 1.00000000000000000001]")?;
        assert_eq!(doc.to_string(), "[1.2345678901234568e+29,1.0]");
        Ok(())
    }
}
