//! Secrets stay secret, and a password-protected Redis works.

use write_through::blocking::{ModelOps as _, SaveOps as _};
use write_through::{Cache, Error};
use write_through_tests::models::Tag;
use write_through_tests::private_redis::PrivateRedis;
use write_through_tests::{sqlite, unique};

const PASSWORD: &str = "s3cret/pass?word@x";

fn url_with(redis: &PrivateRedis, password: &str) -> String {
    // Reserved characters in the password are percent-encoded, as a URL requires.
    let encoded = password
        .replace('%', "%25")
        .replace('/', "%2F")
        .replace('?', "%3F")
        .replace('@', "%40");
    format!("redis://default:{encoded}@127.0.0.1:{}", redis.port())
}

#[test]
fn a_password_protected_redis_is_used_with_the_password_in_the_url() {
    let Some(redis) = PrivateRedis::start_with(&["--requirepass", PASSWORD]) else {
        return;
    };
    let cache = Cache::open(&url_with(&redis, PASSWORD)).unwrap();
    cache.ping().unwrap();
    let (mut conn, _dir) = sqlite();
    let row = Tag {
        name: format!("acl-{}", unique()),
        uses: 1,
    };
    row.save(&mut conn, &cache).unwrap();
    assert_eq!(Tag::find(&mut conn, &cache, &row.name).unwrap(), Some(row));
    assert_eq!(cache.stats().hits, 1);
}

#[test]
fn no_password_appears_in_debug_output_or_errors() {
    let Some(redis) = PrivateRedis::start_with(&["--requirepass", PASSWORD]) else {
        return;
    };
    let wrong = "wr0ng-secret";
    let cache = Cache::open(&url_with(&redis, wrong)).unwrap();
    let error = cache.ping().unwrap_err();
    let (mut conn, _dir) = sqlite();
    let read_error = Tag::find(&mut conn, &cache, &"x".to_owned()).err();
    let shown = format!(
        "{cache:?} {error} {error:?} {:?} {:?} {}",
        Cache::builder(&url_with(&redis, PASSWORD)),
        read_error,
        Error::from(error_again(&cache)),
    );
    for secret in [PASSWORD, wrong, "s3cret", "wr0ng"] {
        assert!(!shown.contains(secret), "{secret:?} leaked in: {shown}");
    }
    assert!(
        shown.contains("default:***@127.0.0.1"),
        "the user and host stay visible: {shown}"
    );
}

fn error_again(cache: &Cache) -> write_through::CacheError {
    cache.ping().unwrap_err()
}

#[test]
fn namespaces_keep_tenants_apart() {
    let Some(redis) = PrivateRedis::start() else {
        return;
    };
    let (a, b) = (
        Cache::builder(&redis.url())
            .namespace("tenant-a")
            .build()
            .unwrap(),
        Cache::builder(&redis.url())
            .namespace("tenant-b")
            .build()
            .unwrap(),
    );
    let (mut conn, _dir) = sqlite();
    let row = Tag {
        name: "shared-name".into(),
        uses: 1,
    };
    row.save(&mut conn, &a).unwrap();
    assert_ne!(a.key::<Tag>(&row.name), b.key::<Tag>(&row.name));
    let in_b: Option<Vec<u8>> = redis::cmd("GET")
        .arg(b.key::<Tag>(&row.name))
        .query(&mut redis.connection())
        .unwrap();
    assert_eq!(in_b, None, "tenant b never sees tenant a's entry");
}

#[test]
fn a_named_acl_user_works_and_its_password_stays_hidden() {
    let Some(redis) = PrivateRedis::start_with(&[
        "--user",
        "default",
        "off",
        "--user",
        "app",
        "on",
        ">acl-s3cret",
        "~*",
        "&*",
        "+@all",
    ]) else {
        return;
    };
    let url = format!("redis://app:acl-s3cret@127.0.0.1:{}", redis.port());
    let cache = Cache::open(&url).unwrap();
    cache.ping().expect("the ACL user is accepted");
    let (mut conn, _dir) = sqlite();
    let row = Tag {
        name: format!("acl-user-{}", unique()),
        uses: 2,
    };
    row.save(&mut conn, &cache).unwrap();
    assert_eq!(Tag::find(&mut conn, &cache, &row.name).unwrap(), Some(row));
    assert_eq!(cache.stats().hits, 1);
    let wrong = Cache::open(&format!(
        "redis://app:nope-s3cret@127.0.0.1:{}",
        redis.port()
    ))
    .unwrap();
    let shown = format!("{cache:?} {wrong:?} {}", wrong.ping().unwrap_err());
    assert!(!shown.contains("s3cret"), "{shown}");
    assert!(shown.contains("app:***@"), "{shown}");
}
