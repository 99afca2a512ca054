//! "Did you mean" suggestions for misspelled options, services, operations and members.

/// The longest text (in bytes) for which suggestions are looked for.
const MAX_GIVEN: usize = 256;

/// The candidate closest to `given`, if one is close. Letters and digits are compared ignoring
/// case and punctuation (so `CreateCustomMetric` finds `create-custom-metric`); a candidate is
/// close when at most a third of them (and not all) differ, or when `given` is the start of it
/// (`--endpoint`).
pub(super) fn suggest<'a>(given: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let key = |text: &str| -> Vec<char> {
        text.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
    };
    // Names are short; anything longer is not a misspelling, and its distance table would be
    // quadratic in its length.
    if given.len() > MAX_GIVEN {
        return None;
    }
    let given = key(given);
    if given.is_empty() {
        return None;
    }
    let limit = (given.len() / 3).max(1);
    candidates
        .filter_map(|candidate| {
            let other = key(candidate);
            // The distance is at least the difference in length: skip what cannot be close.
            if other.len().abs_diff(given.len()) > limit && !other.starts_with(&given) {
                return None;
            }
            let distance = if other.starts_with(&given) { 0 } else { edit_distance(&given, &other) };
            (distance <= limit && distance < given.len()).then_some((distance, candidate))
        })
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

/// Edit distance with insertions, deletions, substitutions and swaps of two neighbours
/// (optimal string alignment).
fn edit_distance(a: &[char], b: &[char]) -> usize {
    let mut rows = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in rows[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (rows[i - 1][j] + 1).min(rows[i][j - 1] + 1).min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = best;
        }
    }
    rows[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn distance(a: &str, b: &str) -> usize {
        let chars = |text: &str| text.chars().collect::<Vec<_>>();
        edit_distance(&chars(a), &chars(b))
    }

    #[test]
    fn huge_names_are_not_compared() {
        // A full distance table for this name would need gigabytes.
        let huge = "a".repeat(10 * 1024 * 1024);
        assert_eq!(suggest(&huge, ["aaaa", "metricName"].into_iter()), None);
        let just_over = "a".repeat(MAX_GIVEN + 1);
        assert_eq!(suggest(&just_over, [just_over.as_str()].into_iter()), None);
    }

    #[test]
    fn edit_distance_counts_insertions_deletions_substitutions_and_swaps() {
        assert_eq!(distance("", ""), 0);
        assert_eq!(distance("", "abc"), 3);
        assert_eq!(distance("abc", ""), 3);
        assert_eq!(distance("kitten", "sitting"), 3);
        assert_eq!(distance("region", "regoin"), 1);
        assert_eq!(distance("ab", "ba"), 1);
        assert_eq!(distance("abc", "abc"), 0);
    }

    #[test]
    fn names_are_compared_without_case_or_punctuation() {
        let operations = ["create-custom-metric", "delete-custom-metric"];
        assert_eq!(suggest("CreateCustomMetric", operations.into_iter()), Some("create-custom-metric"));
        assert_eq!(suggest("delete_custom_metric", operations.into_iter()), Some("delete-custom-metric"));
    }

    #[test]
    fn a_start_of_a_name_suggests_it() {
        let options = ["--cli-input-json", "--region", "--endpoint-url"];
        assert_eq!(suggest("--endpoint", options.into_iter()), Some("--endpoint-url"));
        assert_eq!(suggest("--cli", options.into_iter()), Some("--cli-input-json"));
    }

    #[test]
    fn the_closest_of_several_close_names_wins() {
        let services = ["personalize", "personalize-events", "iot"];
        assert_eq!(suggest("personalise", services.into_iter()), Some("personalize"));
        assert_eq!(suggest("personalzie", services.into_iter()), Some("personalize"));
        assert_eq!(suggest("ito", services.into_iter()), Some("iot"));
    }

    #[test]
    fn far_or_empty_names_suggest_nothing() {
        let services = ["personalize", "iot"];
        assert_eq!(suggest("s3", services.into_iter()), None);
        assert_eq!(suggest("--", services.into_iter()), None);
        assert_eq!(suggest("", services.into_iter()), None);
        // A third of the letters may differ: three of the eleven of `personalize`, not four.
        assert_eq!(suggest("persanalixa", services.into_iter()), Some("personalize"));
        assert_eq!(suggest("pursanalixa", services.into_iter()), None);
        // One letter never stands for a different one.
        assert_eq!(suggest("x", ["y", "z"].into_iter()), None);
    }
}
