//! `update(id, &form)`: a write through the application's own update form (any `AsChangeset` of
//! the table, as Lemmy's `PersonUpdateForm`), specified once over `fronts::Front` and run on both
//! fronts and every backend. The row as the database stored it is returned and cached; `None`
//! fields leave their columns alone and `Some(None)` sets `NULL`; an indexed value it changes
//! moves the lookup; a missing key is `NotFound` and caches nothing; and a fill that read the
//! row before the update cannot install it afterwards (the race `save` is proved against in
//! `races.rs`).

use std::thread;

use diesel::result::Error as DieselError;
use write_through::Error;
use write_through::pause::{self, FIND_LOADED};
use write_through_tests::fronts::{self, Blocking, Front};
use write_through_tests::models::{
    Account, AccountUpdateForm, Document, DocumentUpdateForm, NewAccount,
};
use write_through_tests::queries::QueryCount;
use write_through_tests::{TestCache, postgres, unique, unique_i32};

fn new_account(name: &str, login: Option<&str>) -> NewAccount {
    let n = unique();
    NewAccount {
        email: format!("{name}-{n}@example.test"),
        org_id: unique_i32(),
        handle: format!("{name}-{n}"),
        login: login.map(|login| format!("{login}-{n}")),
        name: name.to_owned(),
    }
}

fn the_updated_row_is_returned_as_stored_and_served_from_redis(
    f: &mut impl Front,
    tc: &mut TestCache,
) {
    let ada = f
        .create_account(&tc.cache, &new_account("ada", Some("ada")))
        .unwrap();
    let form = AccountUpdateForm {
        name: Some("Ada Lovelace".into()),
        ..AccountUpdateForm::default()
    };
    let updated = f.update_account(&tc.cache, ada.id, &form).unwrap();
    assert_eq!(
        updated,
        Account {
            name: "Ada Lovelace".into(),
            ..ada.clone()
        },
        "the form's one field changed; the columns it left as None kept their values"
    );
    f.execute(&format!(
        "UPDATE wt_accounts SET name = 'changed behind' WHERE id = {}",
        ada.id
    ));
    let count = QueryCount::default();
    f.count_queries(&count);
    assert_eq!(f.find_account(&tc.cache, ada.id).unwrap(), Some(updated));
    assert_eq!(
        count.get(),
        0,
        "the updated row was published, so find is a hit"
    );
}

fn some_none_in_the_form_sets_a_nullable_column_to_null(f: &mut impl Front, tc: &mut TestCache) {
    let bea = f
        .create_account(&tc.cache, &new_account("bea", Some("bea")))
        .unwrap();
    let login = bea.login.clone().expect("created with a login");
    assert_eq!(
        f.account_by_login(&tc.cache, &login).unwrap(),
        Some(bea.clone())
    );
    let form = AccountUpdateForm {
        login: Some(None),
        ..AccountUpdateForm::default()
    };
    let cleared = f.update_account(&tc.cache, bea.id, &form).unwrap();
    assert_eq!(cleared.login, None);
    assert_eq!(f.find_account(&tc.cache, bea.id).unwrap(), Some(cleared));
    assert_eq!(
        f.account_by_login(&tc.cache, &login).unwrap(),
        None,
        "the row no longer has the login it was found by"
    );
}

fn an_indexed_value_the_form_changes_moves_the_lookup(f: &mut impl Front, tc: &mut TestCache) {
    let cy = f
        .create_account(&tc.cache, &new_account("cy", None))
        .unwrap();
    let new_email = format!("cy-renamed-{}@example.test", unique());
    // Cached as absent before the update gives a row this value.
    assert_eq!(f.account_by_email(&tc.cache, &new_email).unwrap(), None);
    let form = AccountUpdateForm {
        email: Some(new_email.clone()),
        ..AccountUpdateForm::default()
    };
    let renamed = f.update_account(&tc.cache, cy.id, &form).unwrap();
    assert_eq!(renamed.email, new_email);
    assert_eq!(
        f.account_by_email(&tc.cache, &new_email).unwrap(),
        Some(renamed),
        "the cached absence of the new value ended with the update"
    );
    assert_eq!(f.account_by_email(&tc.cache, &cy.email).unwrap(), None);
}

fn an_update_of_a_missing_key_is_not_found_and_caches_nothing(
    f: &mut impl Front,
    tc: &mut TestCache,
) {
    let missing = -(unique() as i64);
    assert_eq!(f.find_account(&tc.cache, missing).unwrap(), None);
    let form = AccountUpdateForm {
        name: Some("nobody".into()),
        ..AccountUpdateForm::default()
    };
    let refused = f.update_account(&tc.cache, missing, &form);
    assert!(
        matches!(refused, Err(Error::Database(DieselError::NotFound))),
        "{refused:?}"
    );
    assert_eq!(f.find_account(&tc.cache, missing).unwrap(), None);
}

fn an_empty_form_is_refused_by_diesel_and_changes_nothing(f: &mut impl Front, tc: &mut TestCache) {
    let dan = f
        .create_account(&tc.cache, &new_account("dan", None))
        .unwrap();
    let refused = f.update_account(&tc.cache, dan.id, &AccountUpdateForm::default());
    assert!(
        matches!(
            refused,
            Err(Error::Database(DieselError::QueryBuilderError(_)))
        ),
        "Diesel refuses an update with nothing to set: {refused:?}"
    );
    assert_eq!(f.find_account(&tc.cache, dan.id).unwrap(), Some(dan));
}

/// The same on a versioned model: an empty form bumps nothing (a bare bump would make every
/// holder of the version conflict for nothing).
fn an_empty_form_on_a_versioned_model_is_refused_and_bumps_nothing(
    f: &mut impl Front,
    tc: &mut TestCache,
) {
    let mut document = Document {
        id: i64::from(unique_i32()),
        title: "draft".into(),
        version: 0,
    };
    f.save_document(&tc.cache, &mut document).unwrap();
    let refused = f.update_document(&tc.cache, document.id, &DocumentUpdateForm { title: None });
    assert!(
        matches!(
            refused,
            Err(Error::Database(DieselError::QueryBuilderError(_)))
        ),
        "{refused:?}"
    );
    assert_eq!(
        f.find_document(&tc.cache, document.id).unwrap(),
        Some(document)
    );
}

/// An update of a versioned model bumps the version as `save` does, so a writer still holding
/// the version it read gets a conflict instead of overwriting the update.
fn an_update_bumps_the_version_so_a_stale_save_is_a_conflict(
    f: &mut impl Front,
    tc: &mut TestCache,
) {
    let mut document = Document {
        id: i64::from(unique_i32()),
        title: "draft".into(),
        version: 0,
    };
    f.save_document(&tc.cache, &mut document).unwrap();
    let form = DocumentUpdateForm {
        title: Some("edited".into()),
    };
    let edited = f.update_document(&tc.cache, document.id, &form).unwrap();
    assert_eq!(
        (edited.title.as_str(), edited.version),
        ("edited", document.version + 1)
    );
    document.title = "overwritten?".into();
    let error = f.save_document(&tc.cache, &mut document).unwrap_err();
    assert!(matches!(error, Error::Conflict(_)), "{error:?}");
    assert_eq!(f.find_document(&tc.cache, edited.id).unwrap(), Some(edited));
}

write_through_tests::on_every_front!(
    an_update_bumps_the_version_so_a_stale_save_is_a_conflict,
    an_empty_form_on_a_versioned_model_is_refused_and_bumps_nothing,
    the_updated_row_is_returned_as_stored_and_served_from_redis,
    some_none_in_the_form_sets_a_nullable_column_to_null,
    an_indexed_value_the_form_changes_moves_the_lookup,
    an_update_of_a_missing_key_is_not_found_and_caches_nothing,
    an_empty_form_is_refused_by_diesel_and_changes_nothing,
);

type AnyFront = Box<dyn Front + Send>;

/// A reader that loaded the row before an update is held at `FIND_LOADED` while the update
/// commits and publishes; when it goes on, its fill is refused, and the next find returns the
/// updated row. (The hand-written pattern's stale end for this interleaving is shown in
/// `races.rs`.)
fn a_fill_that_read_before_an_update_cannot_install_the_old_row(make: fn() -> AnyFront) {
    let Some(tc) = TestCache::new() else { return };
    if postgres().is_none() {
        return;
    }
    let (mut writer, mut reader) = (make(), make());
    let eve = writer
        .create_account(&tc.cache, &new_account("eve", None))
        .unwrap();
    tc.cache.invalidate::<Account>(&eve.id).unwrap();

    let gate = pause::arm(FIND_LOADED, &tc.cache.key::<Account>(&eve.id));
    let (cache, id) = (tc.cache.clone(), eve.id);
    let read = thread::spawn(move || reader.find_account(&cache, id).unwrap());
    gate.wait_until_reached();
    let form = AccountUpdateForm {
        name: Some("Eve, updated".into()),
        ..AccountUpdateForm::default()
    };
    let updated = writer.update_account(&tc.cache, eve.id, &form).unwrap();
    gate.release();
    assert_eq!(
        read.join().unwrap(),
        Some(eve),
        "the reader loaded before the update"
    );
    assert_eq!(writer.find_account(&tc.cache, id).unwrap(), Some(updated));
    assert_eq!(tc.cache.stats().fills_refused, 1, "{:?}", tc.cache.stats());
}

fn blocking_front() -> AnyFront {
    Box::new(Blocking(
        postgres().expect("PostgreSQL answered a moment ago"),
    ))
}

fn async_front() -> AnyFront {
    Box::new(fronts::async_postgres().expect("PostgreSQL answered a moment ago"))
}

write_through_tests::on_both_fronts!(
    [a_fill_that_read_before_an_update_cannot_install_the_old_row],
    race_blocking: |race| race(super::blocking_front),
    race_asynch: |race| race(super::async_front),
);
