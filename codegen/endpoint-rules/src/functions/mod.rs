//! The functions a rule set may call: the Smithy standard library ([`standard`]) and the AWS
//! extensions ([`aws`]). The implementations work on plain Rust values; the evaluator adapts
//! them to rule values and the checker knows their signatures.

pub(crate) mod aws;
pub(crate) mod standard;

/// A known function.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Func {
    BooleanEquals,
    Coalesce,
    GetAttr,
    IsSet,
    IsValidHostLabel,
    Ite,
    Not,
    ParseUrl,
    Split,
    StringEquals,
    Substring,
    UriEncode,
    AwsIsVirtualHostableS3Bucket,
    AwsParseArn,
    AwsPartition,
}

const ALL: [Func; 15] = [
    Func::BooleanEquals,
    Func::Coalesce,
    Func::GetAttr,
    Func::IsSet,
    Func::IsValidHostLabel,
    Func::Ite,
    Func::Not,
    Func::ParseUrl,
    Func::Split,
    Func::StringEquals,
    Func::Substring,
    Func::UriEncode,
    Func::AwsIsVirtualHostableS3Bucket,
    Func::AwsParseArn,
    Func::AwsPartition,
];

impl Func {
    /// The function called `name` in a rule set.
    pub(crate) fn from_name(name: &str) -> Option<Func> {
        ALL.into_iter().find(|func| func.name() == name)
    }

    /// The function's name in rule sets.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Func::BooleanEquals => "booleanEquals",
            Func::Coalesce => "coalesce",
            Func::GetAttr => "getAttr",
            Func::IsSet => "isSet",
            Func::IsValidHostLabel => "isValidHostLabel",
            Func::Ite => "ite",
            Func::Not => "not",
            Func::ParseUrl => "parseURL",
            Func::Split => "split",
            Func::StringEquals => "stringEquals",
            Func::Substring => "substring",
            Func::UriEncode => "uriEncode",
            Func::AwsIsVirtualHostableS3Bucket => "aws.isVirtualHostableS3Bucket",
            Func::AwsParseArn => "aws.parseArn",
            Func::AwsPartition => "aws.partition",
        }
    }

    /// The rules-engine version (major, minor) that introduced the function.
    pub(crate) fn since(self) -> (u32, u32) {
        match self {
            Func::Coalesce | Func::Ite | Func::Split => (1, 1),
            _ => (1, 0),
        }
    }
}
