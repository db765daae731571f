//! Stable sorting with one copy of the sort in the wasm module.
//!
//! The standard library's `sort_by` is generic over the element and the comparison: every
//! call site with its own element type or closure gets its own copy of driftsort (about
//! 4 KB of wasm each, and the engine had eight). Here the sort itself runs once, on
//! indices, with the comparison behind a `dyn` reference, and only the final permutation
//! (a few swaps) is generic. Ties keep their input order, exactly as `sort_by` does: the
//! indices are sorted stably, so equal elements keep their order.
//!
//! The `dyn` comparison makes each comparison an indirect call: fine for the sorts at
//! policy load and for `near` pairs, not for the sorts of findings every check runs
//! ([`crate::finding::sort`] keeps those on the standard sort, with one instantiation).

use std::cmp::Ordering;

/// Sorts `v` by `cmp`, keeping equal elements in their input order (as `slice::sort_by`).
pub fn sort_by<T>(v: &mut [T], cmp: impl Fn(&T, &T) -> Ordering) {
    if v.len() < 2 {
        return;
    }
    let mut order: Vec<usize> = (0..v.len()).collect();
    order_by(&mut order, &|a, b| cmp(&v[a], &v[b]));
    permute(v, &order);
}

/// Sorts `v` by `key`, keeping equal keys in their input order (as `slice::sort_by_key`).
pub fn sort_by_key<T, K: Ord>(v: &mut [T], key: impl Fn(&T) -> K) {
    sort_by(v, |a, b| key(a).cmp(&key(b)));
}

/// Sorts the indices `order` into the stable order of `cmp`: the one instantiation of the
/// sort.
fn order_by(order: &mut [usize], cmp: &dyn Fn(usize, usize) -> Ordering) {
    order.sort_by(|&a, &b| cmp(a, b));
}

/// Rearranges `v` so that position `k` holds what was at `order[k]` (`order` is a
/// permutation of `0..v.len()`), in place with at most `n - 1` swaps.
fn permute<T>(v: &mut [T], order: &[usize]) {
    for k in 0..v.len() {
        // What was at `order[k]` may have moved already: every earlier swap at a position
        // `i < k` sent what stood at `i` to `order[i]`'s place, so follow those moves until
        // the position is one not yet settled.
        let mut from = order[k];
        while from < k {
            from = order[from];
        }
        v.swap(k, from);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn it_orders_as_the_standard_stable_sorts() {
        let mut rng = crate::xorshift::Xorshift::new(0x9e37_79b9_7f4a_7c15);
        for round in 0..2000 {
            let n = rng.below(40);
            let keys = 1 + rng.below(if round % 2 == 0 { 4 } else { 100 });
            // (key, original position): the position shows whether ties kept their order.
            let v: Vec<(usize, usize)> = (0..n).map(|i| (rng.below(keys), i)).collect();

            let mut expected = v.clone();
            expected.sort_by_key(|a| a.0);
            let mut got = v.clone();
            sort_by(&mut got, |a, b| a.0.cmp(&b.0));
            assert_eq!(got, expected, "sort_by {v:?}");

            let mut got = v.clone();
            sort_by_key(&mut got, |x| std::cmp::Reverse(x.0));
            let mut expected = v.clone();
            expected.sort_by_key(|x| std::cmp::Reverse(x.0));
            assert_eq!(got, expected, "sort_by_key {v:?}");
        }
    }

    #[test]
    fn it_moves_owned_values_without_losing_any() {
        let mut v: Vec<String> = ["d", "b", "e", "a", "c", "b"].map(String::from).to_vec();
        sort_by(&mut v, |a, b| a.cmp(b));
        assert_eq!(v, ["a", "b", "b", "c", "d", "e"]);
    }
}
