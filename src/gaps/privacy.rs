//! Privacy: demand counts below `min_count` are never published, and where a group's total is
//! shown a second value is hidden too, so the first cannot be recovered by subtraction. Figures
//! derived from a hidden count are hidden with it. Provider counts are public facts and are never
//! hidden.

use super::Figure;

/// One demand count as published: hidden when in `1..min_count`.
pub(super) fn count(value: Option<u32>, min_count: u32) -> Figure {
    match value {
        None => Figure::NoData,
        Some(n) if n > 0 && n < min_count => Figure::Suppressed(min_count),
        Some(n) => Figure::Count(n),
    }
}

/// Hides demand counts in `1..min_count`, then, when exactly one value of the group is hidden and
/// the group's total is published, the smallest other non-zero value too.
pub(super) fn suppress(values: &[Option<u32>], min_count: u32) -> Vec<Figure> {
    let mut out: Vec<Figure> = values.iter().map(|v| count(*v, min_count)).collect();
    let hidden = out
        .iter()
        .filter(|f| matches!(f, Figure::Suppressed(_)))
        .count();
    if hidden == 1 {
        let smallest = out
            .iter()
            .enumerate()
            .filter_map(|(i, f)| match f {
                Figure::Count(n) if *n > 0 => Some((*n, i)),
                _ => None,
            })
            .min();
        if let Some((_, i)) = smallest {
            out[i] = Figure::Suppressed(min_count);
        }
    }
    out
}

/// The total of a group, itself hidden when small.
pub(super) fn total(values: &[Option<u32>], min_count: u32) -> Figure {
    let known: Vec<u32> = values.iter().flatten().copied().collect();
    if known.is_empty() {
        return Figure::NoData;
    }
    let total: u32 = known.iter().sum();
    if total > 0 && total < min_count {
        Figure::Suppressed(min_count)
    } else {
        Figure::Count(total)
    }
}

/// A ratio over a published count (`base`): hidden when the count is, since it would reveal it.
pub(super) fn ratio(base: Figure, ratio: Option<f64>) -> Figure {
    match (base, ratio) {
        (Figure::Suppressed(m), _) => Figure::Suppressed(m),
        (_, Some(r)) => Figure::Ratio(r),
        _ => Figure::NoData,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_counts_are_hidden_with_a_complement() {
        let f = suppress(&[Some(35), Some(2), Some(8), None, Some(0)], 3);
        assert_eq!(
            f,
            [
                Figure::Count(35),
                Figure::Suppressed(3),
                Figure::Suppressed(3),
                Figure::NoData,
                Figure::Count(0)
            ]
        );
        // Two hidden already: nothing more to hide.
        let f = suppress(&[Some(1), Some(2), Some(8)], 3);
        assert_eq!(
            f,
            [
                Figure::Suppressed(3),
                Figure::Suppressed(3),
                Figure::Count(8)
            ]
        );
        assert_eq!(
            suppress(&[Some(5), Some(9)], 3),
            [Figure::Count(5), Figure::Count(9)]
        );
    }

    #[test]
    fn hidden_value_cannot_be_recovered_from_the_total() {
        let values = [Some(40), Some(1), Some(12), Some(30)];
        let shown = suppress(&values, 3);
        let total = total(&values, 3);
        let visible: u32 = shown
            .iter()
            .filter_map(|f| {
                if let Figure::Count(n) = f {
                    Some(*n)
                } else {
                    None
                }
            })
            .sum();
        let hidden = shown
            .iter()
            .filter(|f| matches!(f, Figure::Suppressed(_)))
            .count();
        assert_eq!(total, Figure::Count(83));
        assert!(
            hidden >= 2,
            "total - visible = {} must not pin one cell",
            83 - visible
        );
    }

    #[test]
    fn totals_without_data_or_small_are_not_published() {
        assert_eq!(total(&[None, None], 3), Figure::NoData);
        assert_eq!(total(&[Some(1), None], 3), Figure::Suppressed(3));
    }
}
