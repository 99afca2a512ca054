//! The AWS rules-engine extensions (`aws.partition` lives in [`crate::partitions`]).

use super::standard::is_ipv4;

/// The parts of an ARN, as `aws.parseArn` returns them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Arn<'a> {
    pub partition: &'a str,
    pub service: &'a str,
    pub region: &'a str,
    pub account_id: &'a str,
    /// The resource, split on `:` and `/`.
    pub resource_id: Vec<&'a str>,
}

/// Parses `arn:partition:service:region:account-id:resource`; partition, service and resource
/// must not be empty.
pub(crate) fn parse_arn(value: &str) -> Option<Arn<'_>> {
    let mut parts = value.splitn(6, ':');
    let mut next = || parts.next();
    let (arn, partition, service, region, account_id, resource) =
        (next()?, next()?, next()?, next()?, next()?, next()?);
    if arn != "arn" || partition.is_empty() || service.is_empty() || resource.is_empty() {
        return None;
    }
    let resource_id = resource.split([':', '/']).collect();
    Some(Arn { partition, service, region, account_id, resource_id })
}

/// Whether `bucket` can be an S3 virtual host label: 3 to 63 lower-case letters, digits and
/// hyphens, starting and ending with a letter or digit; with `allow_dots`, also dots (never next
/// to a dot or a hyphen) as long as the name does not look like an IPv4 address.
pub(crate) fn is_virtual_hostable_s3_bucket(bucket: &str, allow_dots: bool) -> bool {
    let bytes = bucket.as_bytes();
    let lower_alphanumeric = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    let (Some(&first), Some(&last)) = (bytes.first(), bytes.last()) else {
        return false;
    };
    if !(3..=63).contains(&bytes.len()) || !lower_alphanumeric(first) || !lower_alphanumeric(last) {
        return false;
    }
    if !allow_dots {
        return bytes.iter().all(|&b| lower_alphanumeric(b) || b == b'-');
    }
    let mut previous = first;
    for &b in &bytes[1..] {
        let valid = match b {
            b'.' => previous != b'.' && previous != b'-',
            b'-' => previous != b'.',
            _ => lower_alphanumeric(b),
        };
        if !valid {
            return false;
        }
        previous = b;
    }
    !is_ipv4(bucket)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arns() {
        let arn = parse_arn("arn:aws:s3:us-east-2:012345678:outpost:op-1234").unwrap();
        assert_eq!(
            arn,
            Arn {
                partition: "aws",
                service: "s3",
                region: "us-east-2",
                account_id: "012345678",
                resource_id: vec!["outpost", "op-1234"]
            }
        );
        assert_eq!(parse_arn("arn:aws:s3:us-east-2:012345678:outpost::").unwrap().resource_id, ["outpost", "", ""]);
        assert_eq!(
            parse_arn("arn:aws:s3:us-east-1:123456789012:resource-id/resource-1:resource-2").unwrap().resource_id,
            ["resource-id", "resource-1", "resource-2"]
        );
        let arn = parse_arn("arn:aws:s3::123456789012:resource-id").unwrap();
        assert_eq!((arn.region, arn.account_id), ("", "123456789012"));
        assert_eq!(parse_arn("arn:aws:s3:us-east-1::resource-id").unwrap().account_id, "");
        for invalid in [
            "asdf",
            "arn:aws:s3:us-west-2:123456789012:",
            "arn:aws::us-west-2:123456789012:resource-id",
            "arn::s3:us-west-2:123456789012:resource-id",
            "arn:aws:s3:us-west-2:123456789012",
            "nra:aws:s3:us-west-2:123456789012:x",
        ] {
            assert_eq!(parse_arn(invalid), None, "{invalid}");
        }
    }

    #[test]
    fn virtual_hostable_buckets() {
        for valid in ["bucket-name", "bucket-with-number-1", "bucket--with-multiple-dash", "abc", &"a".repeat(63)] {
            assert!(is_virtual_hostable_s3_bucket(valid, false), "{valid}");
        }
        for invalid in ["BucketName", "bucket_name", "bucket.name", "-bucket-name", "bucket-name-", "aa", ""] {
            assert!(!is_virtual_hostable_s3_bucket(invalid, false), "{invalid}");
        }
        assert!(!is_virtual_hostable_s3_bucket(&"a".repeat(64), false));
        for valid in ["bucket.name", "bucket.name.multiple.dots1", "bucket-name"] {
            assert!(is_virtual_hostable_s3_bucket(valid, true), "{valid}");
        }
        for invalid in [".bucket-name", "bucket-name.", "192.168.5.4", "bucket-.name", "bucket.-name", "bucket..name"] {
            assert!(!is_virtual_hostable_s3_bucket(invalid, true), "{invalid}");
        }
        // Four numbers that are not an address are a valid name.
        assert!(is_virtual_hostable_s3_bucket("1.2.3.999", true));
    }
}
