//! How findings word lists: `a, b and c`, and at most a few items of a long list, so that a
//! finding on a large network stays readable and its size does not grow with the network.

/// How many items of a long list a finding names before it counts the rest: enough to act
/// on, and a finding on a network of thousands of flows stays a few lines.
pub const NAMED: usize = 5;

/// `a`, `a and b`, `a, b and c`.
pub fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// [`join_and`] of the first `max` items, then `and N more` (`max` at least 1).
pub fn join_and_at_most(items: &[String], max: usize) -> String {
    join_and_at_most_of(items.iter().cloned(), max)
}

/// [`join_and_at_most`] of items made only when named: a long list is described in part, not
/// in full and then cut.
pub fn join_and_at_most_of(items: impl ExactSizeIterator<Item = String>, max: usize) -> String {
    let (total, max) = (items.len(), max.max(1));
    let named: Vec<String> = items.take(max).collect();
    join_and_of_total(&named, total)
}

/// The `named` first items of a list of `total`: [`join_and`] when they are all of it, else
/// `a, b and N more` (for lists counted without wording every item).
pub fn join_and_of_total(named: &[String], total: usize) -> String {
    if total <= named.len() {
        return join_and(named);
    }
    format!("{} and {} more", named.join(", "), total - named.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(n: usize) -> Vec<String> {
        (1..=n).map(|i| format!("w{i}")).collect()
    }

    #[test]
    fn lists_read_as_prose() {
        assert_eq!(join_and(&words(0)), "");
        assert_eq!(join_and(&words(1)), "w1");
        assert_eq!(join_and(&words(2)), "w1 and w2");
        assert_eq!(join_and(&words(3)), "w1, w2 and w3");
    }

    #[test]
    fn long_lists_are_cut_with_a_count() {
        assert_eq!(join_and_at_most(&words(3), 3), "w1, w2 and w3");
        assert_eq!(join_and_at_most(&words(5), 3), "w1, w2, w3 and 2 more");
        assert_eq!(join_and_at_most(&words(2), 1), "w1 and 1 more");
        assert_eq!(join_and_at_most(&words(2), 0), "w1 and 1 more");
    }

    #[test]
    fn a_counted_list_reads_as_the_cut_list() {
        assert_eq!(join_and_of_total(&words(3), 3), "w1, w2 and w3");
        assert_eq!(
            join_and_of_total(&words(3), 5),
            join_and_at_most(&words(5), 3)
        );
    }

    #[test]
    fn a_lazy_list_reads_as_the_list() {
        for (n, max) in [(0, 3), (1, 3), (3, 3), (5, 3), (2, 1), (2, 0)] {
            let lazy = join_and_at_most_of(words(n).into_iter(), max);
            assert_eq!(
                lazy,
                join_and_at_most(&words(n), max),
                "{n} items, at most {max}"
            );
        }
    }
}
