//! Unique indexes (`find_by_<field>`), specified once over `fronts::Front` and run on both
//! fronts and every backend: lookups served from Redis, filled after a miss, kept coherent with
//! writes that change the value, delete the row, move a value to another row in one
//! transaction, or insert a row with a value cached as absent; composite and nullable indexes;
//! `find_many_by`. The races are in `index_races.rs`, the randomized history in
//! `linearizability/random_histories.rs`.

use write_through_tests::fronts::{Front, TxStep};
use write_through_tests::models::NewAccount;
use write_through_tests::queries::QueryCount;
use write_through_tests::{TestCache, unique, unique_i32};

fn new_account(name: &str) -> NewAccount {
    let n = unique();
    NewAccount {
        email: format!("{name}-{n}@example.test"),
        org_id: unique_i32(),
        handle: format!("{name}-{n}"),
        login: None,
        name: name.to_owned(),
    }
}

/// The rendered key of the entry of `email` (what `TestCache::raw` reads).
fn email_entry(email: &str) -> String {
    format!("#account%3A%7Bid%7D#email:{email}")
}

/// The kind byte of a raw value: 1 row, 2 absent, 3 lock, 4 lease, 6 pointer.
fn kind(tc: &mut TestCache, rendered: &str) -> Option<u8> {
    tc.raw(rendered).map(|value| value[3])
}

fn a_created_row_is_found_by_its_email_from_redis(f: &mut impl Front, tc: &mut TestCache) {
    let ada = f.create_account(&tc.cache, &new_account("ada")).unwrap();
    assert_eq!(
        kind(tc, &email_entry(&ada.email)),
        Some(6),
        "create points the entry at the row"
    );
    f.execute(&format!(
        "UPDATE wt_accounts SET name = 'changed behind' WHERE id = {}",
        ada.id
    ));
    let count = QueryCount::default();
    f.count_queries(&count);
    let found = f.account_by_email(&tc.cache, &ada.email).unwrap();
    assert_eq!(found, Some(ada), "served from Redis, not the database");
    assert_eq!(count.get(), 0, "a warm lookup sends no query");
}

fn a_miss_fills_the_entry_and_the_row_and_the_next_lookup_is_a_hit(
    f: &mut impl Front,
    tc: &mut TestCache,
) {
    let new = new_account("bea");
    f.execute(&format!(
        "INSERT INTO wt_accounts (email, org_id, handle, name) VALUES ('{}', {}, '{}', 'bea')",
        new.email, new.org_id, new.handle
    ));
    let first = f
        .account_by_email(&tc.cache, &new.email)
        .unwrap()
        .expect("the row");
    assert_eq!(first.name, "bea");
    assert_eq!(
        kind(tc, &email_entry(&new.email)),
        Some(6),
        "the entry is filled"
    );
    assert_eq!(
        kind(tc, &format!("account:{}", first.id)),
        None,
        "a cold entry fills the entry alone"
    );
    // The pointer names a row Redis does not hold: the next lookup leases and fills both.
    let second = f.account_by_email(&tc.cache, &new.email).unwrap();
    assert_eq!(second.as_ref(), Some(&first));
    assert_eq!(
        kind(tc, &format!("account:{}", first.id)),
        Some(1),
        "the row is filled"
    );
    f.execute(&format!(
        "UPDATE wt_accounts SET name = 'changed behind' WHERE id = {}",
        first.id
    ));
    let hits = tc.cache.stats().hits;
    let third = f.account_by_email(&tc.cache, &new.email).unwrap();
    assert_eq!(third, Some(first), "served from Redis");
    assert_eq!(tc.cache.stats().hits, hits + 1);
}

fn changing_the_email_moves_the_lookup_to_the_new_value(f: &mut impl Front, tc: &mut TestCache) {
    let mut cid = f.create_account(&tc.cache, &new_account("cid")).unwrap();
    let old = cid.email.clone();
    assert_eq!(
        f.account_by_email(&tc.cache, &old).unwrap().as_ref(),
        Some(&cid)
    );
    cid.email = format!("cid-renamed-{}@example.test", unique());
    f.save_account(&tc.cache, &cid).unwrap();
    assert_eq!(
        f.account_by_email(&tc.cache, &old).unwrap(),
        None,
        "no row has the old email"
    );
    assert_eq!(
        f.account_by_email(&tc.cache, &cid.email).unwrap(),
        Some(cid.clone())
    );
    // The stale pointer under the old email was replaced by an absence.
    assert_eq!(kind(tc, &email_entry(&old)), Some(2));
}

fn an_email_given_to_another_row_in_one_transaction_finds_that_row(
    f: &mut impl Front,
    tc: &mut TestCache,
) {
    let mut alice = f.create_account(&tc.cache, &new_account("alice")).unwrap();
    let mut bob = f.create_account(&tc.cache, &new_account("bob")).unwrap();
    let (alices, bobs) = (alice.email.clone(), bob.email.clone());
    // Both lookups warm: pointers to their rows, rows cached.
    assert_eq!(
        f.account_by_email(&tc.cache, &alices).unwrap().as_ref(),
        Some(&alice)
    );
    assert_eq!(
        f.account_by_email(&tc.cache, &bobs).unwrap().as_ref(),
        Some(&bob)
    );
    // Alice gives her email to Bob, who gives up his.
    alice.email = format!("alice-new-{}@example.test", unique());
    bob.email = alices.clone();
    f.transaction(
        &tc.cache,
        vec![
            TxStep::SaveAccount(alice.clone()),
            TxStep::SaveAccount(bob.clone()),
        ],
    )
    .unwrap();
    assert_eq!(
        f.account_by_email(&tc.cache, &alices).unwrap(),
        Some(bob.clone())
    );
    assert_eq!(
        f.account_by_email(&tc.cache, &alice.email).unwrap(),
        Some(alice)
    );
    assert_eq!(f.account_by_email(&tc.cache, &bobs).unwrap(), None);
    // And again, from Redis.
    assert_eq!(f.account_by_email(&tc.cache, &alices).unwrap(), Some(bob));
}

fn a_cached_absence_ends_with_the_insert_that_gives_a_row_the_value(
    f: &mut impl Front,
    tc: &mut TestCache,
) {
    let new = new_account("dee");
    assert_eq!(f.account_by_email(&tc.cache, &new.email).unwrap(), None);
    assert_eq!(
        kind(tc, &email_entry(&new.email)),
        Some(2),
        "cached as absent"
    );
    let negative = tc.cache.stats().negative_hits;
    assert_eq!(f.account_by_email(&tc.cache, &new.email).unwrap(), None);
    assert_eq!(
        tc.cache.stats().negative_hits,
        negative + 1,
        "served from Redis"
    );
    let dee = f.create_account(&tc.cache, &new).unwrap();
    assert_eq!(
        f.account_by_email(&tc.cache, &new.email).unwrap(),
        Some(dee.clone())
    );
    // A save that gives an existing row a value cached as absent ends the absence too.
    let other = new_account("eve");
    assert_eq!(f.account_by_email(&tc.cache, &other.email).unwrap(), None);
    let mut eve = dee;
    eve.email = other.email.clone();
    f.save_account(&tc.cache, &eve).unwrap();
    assert_eq!(
        f.account_by_email(&tc.cache, &other.email).unwrap(),
        Some(eve)
    );
}

fn a_deleted_row_is_no_longer_found_by_its_values(f: &mut impl Front, tc: &mut TestCache) {
    let fay = f.create_account(&tc.cache, &new_account("fay")).unwrap();
    assert!(f.account_by_email(&tc.cache, &fay.email).unwrap().is_some());
    assert!(f.delete_account(&tc.cache, fay.id).unwrap());
    assert_eq!(f.account_by_email(&tc.cache, &fay.email).unwrap(), None);
    assert_eq!(
        f.account_by_handle(&tc.cache, fay.org_id, &fay.handle)
            .unwrap(),
        None
    );
    // A delete inside a transaction, too.
    let gus = f.create_account(&tc.cache, &new_account("gus")).unwrap();
    assert!(f.account_by_email(&tc.cache, &gus.email).unwrap().is_some());
    f.transaction(&tc.cache, vec![TxStep::DeleteAccount(gus.id)])
        .unwrap();
    assert_eq!(f.account_by_email(&tc.cache, &gus.email).unwrap(), None);
}

fn a_composite_index_finds_by_all_its_columns(f: &mut impl Front, tc: &mut TestCache) {
    let hal = f.create_account(&tc.cache, &new_account("hal")).unwrap();
    assert_eq!(
        f.account_by_handle(&tc.cache, hal.org_id, &hal.handle)
            .unwrap()
            .as_ref(),
        Some(&hal)
    );
    // Same handle in another organisation: another row, or none.
    assert_eq!(
        f.account_by_handle(&tc.cache, hal.org_id + 1, &hal.handle)
            .unwrap(),
        None
    );
    let mut moved = hal.clone();
    moved.handle = format!("hal-moved-{}", unique());
    f.save_account(&tc.cache, &moved).unwrap();
    assert_eq!(
        f.account_by_handle(&tc.cache, hal.org_id, &hal.handle)
            .unwrap(),
        None
    );
    assert_eq!(
        f.account_by_handle(&tc.cache, hal.org_id, &moved.handle)
            .unwrap(),
        Some(moved.clone())
    );
    let found = f
        .accounts_by_handle(
            &tc.cache,
            &[(moved.org_id, &moved.handle), (hal.org_id, &hal.handle)],
        )
        .unwrap();
    assert_eq!(found, vec![Some(moved), None]);
}

fn a_nullable_index_finds_rows_with_a_value_and_never_those_without(
    f: &mut impl Front,
    tc: &mut TestCache,
) {
    let mut ivy = f.create_account(&tc.cache, &new_account("ivy")).unwrap();
    assert_eq!(ivy.login, None);
    let login = format!("ivy-{}", unique());
    assert_eq!(
        f.account_by_login(&tc.cache, &login).unwrap(),
        None,
        "cached absent"
    );
    ivy.login = Some(login.clone());
    f.save_account(&tc.cache, &ivy).unwrap();
    assert_eq!(
        f.account_by_login(&tc.cache, &login).unwrap(),
        Some(ivy.clone())
    );
    ivy.login = None;
    f.save_account(&tc.cache, &ivy).unwrap();
    assert_eq!(f.account_by_login(&tc.cache, &login).unwrap(), None);
}

fn find_many_by_answers_in_order_with_duplicates_and_misses(
    f: &mut impl Front,
    tc: &mut TestCache,
) {
    let jay = f.create_account(&tc.cache, &new_account("jay")).unwrap();
    let kim = new_account("kim");
    f.execute(&format!(
        "INSERT INTO wt_accounts (email, org_id, handle, name) VALUES ('{}', {}, '{}', 'kim')",
        kim.email, kim.org_id, kim.handle
    ));
    let nobody = format!("nobody-{}@example.test", unique());
    let emails = [
        jay.email.as_str(),
        kim.email.as_str(),
        nobody.as_str(),
        jay.email.as_str(),
    ];
    let first = f.accounts_by_email(&tc.cache, &emails).unwrap();
    assert_eq!(first[0].as_ref(), Some(&jay));
    assert_eq!(first[1].as_ref().map(|a| a.name.as_str()), Some("kim"));
    assert_eq!(first[2], None);
    assert_eq!(first[3].as_ref(), Some(&jay), "a duplicate gets its copy");
    // Warm the rows behind the pointers, then everything comes from Redis.
    let _ = f.accounts_by_email(&tc.cache, &emails).unwrap();
    let count = QueryCount::default();
    f.count_queries(&count);
    let again = f.accounts_by_email(&tc.cache, &emails).unwrap();
    assert_eq!(again, first);
    assert_eq!(count.get(), 0, "a warm batch sends no query");
}

fn reads_inside_a_transaction_never_fill_an_entry(f: &mut impl Front, tc: &mut TestCache) {
    let new = new_account("lou");
    let email = new.email.clone();
    let lou = f.create_account(&tc.cache, &new).unwrap();
    let mut renamed = lou.clone();
    renamed.email = format!("lou-new-{}@example.test", unique());
    // Inside the transaction the row has its new email; nothing of that reaches Redis before
    // the commit, and the rollback leaves the old value found.
    f.transaction(
        &tc.cache,
        vec![TxStep::SaveAccount(renamed.clone()), TxStep::Fail],
    )
    .unwrap_err();
    assert_eq!(f.account_by_email(&tc.cache, &email).unwrap(), Some(lou));
    assert_eq!(f.account_by_email(&tc.cache, &renamed.email).unwrap(), None);
}

write_through_tests::on_every_front!(
    a_created_row_is_found_by_its_email_from_redis,
    a_miss_fills_the_entry_and_the_row_and_the_next_lookup_is_a_hit,
    changing_the_email_moves_the_lookup_to_the_new_value,
    an_email_given_to_another_row_in_one_transaction_finds_that_row,
    a_cached_absence_ends_with_the_insert_that_gives_a_row_the_value,
    a_deleted_row_is_no_longer_found_by_its_values,
    a_composite_index_finds_by_all_its_columns,
    a_nullable_index_finds_rows_with_a_value_and_never_those_without,
    find_many_by_answers_in_order_with_duplicates_and_misses,
    reads_inside_a_transaction_never_fill_an_entry,
);

/// MariaDB's default collation is case-insensitive: `"ADA-...@EXAMPLE.TEST"` finds ada's row.
/// The lookup returns it (the database says it matches) and caches nothing under that spelling,
/// as `find` does with an aliased key; ada's own spelling stays cached.
fn another_spelling_under_a_case_insensitive_collation_is_answered_and_never_cached(
    f: &mut impl Front,
    tc: &mut TestCache,
) {
    let ada = f.create_account(&tc.cache, &new_account("ada")).unwrap();
    let shouted = ada.email.to_uppercase();
    for _ in 0..2 {
        assert_eq!(
            f.account_by_email(&tc.cache, &shouted).unwrap().as_ref(),
            Some(&ada)
        );
        assert_eq!(
            kind(tc, &email_entry(&shouted)),
            None,
            "nothing cached for the alias"
        );
    }
    let both = f
        .accounts_by_email(&tc.cache, &[&ada.email, &shouted])
        .unwrap();
    assert_eq!(both, vec![Some(ada.clone()), Some(ada.clone())]);
    assert_eq!(kind(tc, &email_entry(&shouted)), None);
    assert_eq!(kind(tc, &email_entry(&ada.email)), Some(6));
}

mod collation {
    use write_through_tests::fronts::{self, Blocking};
    use write_through_tests::{TestCache, mysql};

    #[test]
    fn blocking_mysql_another_spelling_is_answered_and_never_cached() {
        let (Some(conn), Some(mut tc)) = (mysql(), TestCache::new()) else {
            return;
        };
        super::another_spelling_under_a_case_insensitive_collation_is_answered_and_never_cached(
            &mut Blocking(conn),
            &mut tc,
        );
    }

    #[test]
    fn async_mysql_another_spelling_is_answered_and_never_cached() {
        let (Some(mut front), Some(mut tc)) = (fronts::async_mysql(), TestCache::new()) else {
            return;
        };
        super::another_spelling_under_a_case_insensitive_collation_is_answered_and_never_cached(
            &mut front, &mut tc,
        );
    }
}
