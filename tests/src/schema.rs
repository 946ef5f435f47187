//! The tables the suites use, and the DDL that creates them on each backend.

diesel::table! {
    wt_users (id) {
        id -> BigInt,
        email -> Text,
        name -> Text,
    }
}

diesel::table! {
    wt_memberships (org_id, user_id) {
        org_id -> Integer,
        user_id -> Integer,
        role -> Text,
    }
}

diesel::table! {
    wt_tags (name) {
        name -> Text,
        uses -> Integer,
    }
}

diesel::table! {
    wt_documents (id) {
        id -> BigInt,
        title -> Text,
        version -> Integer,
    }
}

diesel::table! {
    wt_accounts (id) {
        id -> BigInt,
        email -> Text,
        org_id -> Integer,
        handle -> Text,
        login -> Nullable<Text>,
        name -> Text,
    }
}

diesel::table! {
    wt_people (id) {
        id -> BigInt,
        name -> Text,
    }
}

diesel::table! {
    wt_avatars (id) {
        id -> BigInt,
        person_id -> BigInt,
        url -> Text,
    }
}

diesel::table! {
    wt_comments (id) {
        id -> BigInt,
        post_id -> BigInt,
        rank -> Integer,
        body -> Text,
    }
}

diesel::joinable!(wt_avatars -> wt_people (person_id));
diesel::allow_tables_to_appear_in_same_query!(wt_people, wt_avatars);

/// PostgreSQL DDL, idempotent.
pub const POSTGRES_DDL: &[&str] = &[
    "CREATE TABLE IF NOT EXISTS wt_users (id BIGSERIAL PRIMARY KEY, email TEXT NOT NULL UNIQUE, name TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS wt_memberships (org_id INTEGER NOT NULL, user_id INTEGER NOT NULL, role TEXT NOT NULL, PRIMARY KEY (org_id, user_id))",
    "CREATE TABLE IF NOT EXISTS wt_tags (name TEXT PRIMARY KEY, uses INTEGER NOT NULL)",
    "CREATE TABLE IF NOT EXISTS wt_documents (id BIGINT PRIMARY KEY, title TEXT NOT NULL, version INTEGER NOT NULL)",
    "CREATE TABLE IF NOT EXISTS wt_accounts (id BIGSERIAL PRIMARY KEY, email TEXT NOT NULL UNIQUE, org_id INTEGER NOT NULL, handle TEXT NOT NULL, login TEXT UNIQUE, name TEXT NOT NULL, UNIQUE (org_id, handle))",
    "CREATE TABLE IF NOT EXISTS wt_people (id BIGSERIAL PRIMARY KEY, name TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS wt_avatars (id BIGSERIAL PRIMARY KEY, person_id BIGINT NOT NULL UNIQUE, url TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS wt_comments (id BIGSERIAL PRIMARY KEY, post_id BIGINT NOT NULL, rank INTEGER NOT NULL, body TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS wt_comments_post ON wt_comments (post_id)",
];

/// MySQL/MariaDB DDL, idempotent.
pub const MYSQL_DDL: &[&str] = &[
    "CREATE TABLE IF NOT EXISTS wt_users (id BIGINT AUTO_INCREMENT PRIMARY KEY, email VARCHAR(191) NOT NULL UNIQUE, name TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS wt_memberships (org_id INTEGER NOT NULL, user_id INTEGER NOT NULL, role TEXT NOT NULL, PRIMARY KEY (org_id, user_id))",
    "CREATE TABLE IF NOT EXISTS wt_tags (name VARCHAR(191) PRIMARY KEY, uses INTEGER NOT NULL)",
    "CREATE TABLE IF NOT EXISTS wt_documents (id BIGINT PRIMARY KEY, title TEXT NOT NULL, version INTEGER NOT NULL)",
    // MariaDB's default collation is case-insensitive: the email column keeps it, so that the
    // suites meet aliases ("ADA@..." finds "ada@...").
    "CREATE TABLE IF NOT EXISTS wt_accounts (id BIGINT AUTO_INCREMENT PRIMARY KEY, email VARCHAR(191) NOT NULL UNIQUE, org_id INTEGER NOT NULL, handle VARCHAR(100) NOT NULL, login VARCHAR(191) NULL UNIQUE, name TEXT NOT NULL, UNIQUE (org_id, handle))",
    "CREATE TABLE IF NOT EXISTS wt_people (id BIGINT AUTO_INCREMENT PRIMARY KEY, name TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS wt_avatars (id BIGINT AUTO_INCREMENT PRIMARY KEY, person_id BIGINT NOT NULL UNIQUE, url TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS wt_comments (id BIGINT AUTO_INCREMENT PRIMARY KEY, post_id BIGINT NOT NULL, `rank` INTEGER NOT NULL, body TEXT NOT NULL, INDEX wt_comments_post (post_id))",
];

/// SQLite DDL, idempotent.
pub const SQLITE_DDL: &[&str] = &[
    "CREATE TABLE IF NOT EXISTS wt_users (id INTEGER PRIMARY KEY AUTOINCREMENT, email TEXT NOT NULL UNIQUE, name TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS wt_memberships (org_id INTEGER NOT NULL, user_id INTEGER NOT NULL, role TEXT NOT NULL, PRIMARY KEY (org_id, user_id))",
    "CREATE TABLE IF NOT EXISTS wt_tags (name TEXT PRIMARY KEY, uses INTEGER NOT NULL)",
    "CREATE TABLE IF NOT EXISTS wt_documents (id BIGINT PRIMARY KEY, title TEXT NOT NULL, version INTEGER NOT NULL)",
    "CREATE TABLE IF NOT EXISTS wt_accounts (id INTEGER PRIMARY KEY AUTOINCREMENT, email TEXT NOT NULL UNIQUE, org_id INTEGER NOT NULL, handle TEXT NOT NULL, login TEXT UNIQUE, name TEXT NOT NULL, UNIQUE (org_id, handle))",
    "CREATE TABLE IF NOT EXISTS wt_people (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS wt_avatars (id INTEGER PRIMARY KEY AUTOINCREMENT, person_id BIGINT NOT NULL UNIQUE, url TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS wt_comments (id INTEGER PRIMARY KEY AUTOINCREMENT, post_id BIGINT NOT NULL, rank INTEGER NOT NULL, body TEXT NOT NULL)",
];

diesel::table! {
    wt_pairs (a, b) {
        a -> Text,
        b -> Text,
        v -> Integer,
    }
}
