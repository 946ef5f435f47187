//! No two distinct ids render the same key, whatever bytes the ids hold (property tests).

use proptest::prelude::*;
use write_through::Cache;
use write_through_tests::models::{Membership, Pair, Tag};

fn cache() -> Cache {
    Cache::builder("redis://127.0.0.1:6379")
        .namespace("prop")
        .build()
        .unwrap()
}

/// Strings made mostly of the characters that matter for collisions.
fn tricky() -> impl Strategy<Value = String> {
    proptest::string::string_regex("[a:%{}3A \\n\u{e9}\u{7f}]{0,6}").unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2_000, ..ProptestConfig::default() })]

    #[test]
    fn distinct_composite_string_ids_never_share_a_key(a1 in tricky(), b1 in tricky(), a2 in tricky(), b2 in tricky()) {
        let cache = cache();
        let first = cache.key::<Pair>((&a1, &b1));
        let second = cache.key::<Pair>((&a2, &b2));
        prop_assert_eq!(first == second, (a1, b1) == (a2, b2));
    }

    #[test]
    fn distinct_string_ids_never_share_a_key(a in tricky(), b in tricky()) {
        let cache = cache();
        prop_assert_eq!(cache.key::<Tag>(&a) == cache.key::<Tag>(&b), a == b);
    }

    #[test]
    fn distinct_integer_pairs_never_share_a_key(a in any::<(i32, i32)>(), b in any::<(i32, i32)>()) {
        let cache = cache();
        let first = cache.key::<Membership>((&a.0, &a.1));
        let second = cache.key::<Membership>((&b.0, &b.1));
        prop_assert_eq!(first == second, a == b);
    }

    #[test]
    fn rendered_values_never_contain_a_raw_separator_or_brace(a in tricky(), b in tricky()) {
        let key = cache().key::<Pair>((&a, &b));
        let rendered = &key["prop:pair:".len()..];
        prop_assert_eq!(rendered.iter().filter(|&&c| c == b':').count(), 1, "only the template's own `:`");
        let has_brace = rendered.iter().any(|c| b"{}".contains(c));
        prop_assert!(!has_brace, "user data formed a hash tag");
    }
}

#[test]
fn the_classic_collision_is_avoided() {
    let cache = cache();
    let (ab, c, a, bc) = (
        "a:b".to_owned(),
        "c".to_owned(),
        "a".to_owned(),
        "b:c".to_owned(),
    );
    assert_ne!(cache.key::<Pair>((&ab, &c)), cache.key::<Pair>((&a, &bc)));
    assert_eq!(cache.key::<Pair>((&ab, &c)), b"prop:pair:a%3Ab:c");
}
