//! The two fronts of the library behind one interface, so that a specification is written
//! once and run against both (`on_every_front!`): the blocking front on Diesel's connections,
//! and the async front on diesel-async's, each awaited to completion on a runtime of its own.
//!
//! Transaction bodies are data ([`TxStep`]), since a blocking closure and an async one cannot
//! be the same code.

use std::future::Future;
use std::sync::Arc;

use diesel::connection::{Connection, LoadConnection};
use diesel_async::AsyncConnection;
use write_through::{
    AsyncDieselCreate, AsyncDieselIndex, AsyncDieselOps, AsyncDieselUpdate, Cache, DieselCreate,
    DieselIndex, DieselOps, DieselUpdate, Error,
};

use crate::models::{
    Account, AccountUpdateForm, Document, DocumentUpdateForm, NewAccount, NewUser, Tag, User,
};
use crate::queries::QueryCount;

/// One step of a transaction's body.
#[derive(Debug, Clone)]
pub enum TxStep {
    SaveUser(User),
    DeleteUser(i64),
    /// Reads a user inside the transaction (which must never fill the cache).
    FindUser(i64),
    /// Fails the body, so that it rolls back.
    Fail,
    /// A nested `cache.transaction` (a savepoint) running these flat steps; rolled back when
    /// they fail.
    Savepoint(Vec<TxStep>),
    SaveTag(Tag),
    DeleteTag(String),
    SaveAccount(Account),
    DeleteAccount(i64),
    /// Runs the test's code in the middle of the body (another reader, a sleep), on a thread of
    /// its own: the async front's body runs inside its runtime, where another front could not
    /// `block_on`. A panic there (a failed assertion) is the transaction's.
    Hook(Hook),
}

/// The test's code in a transaction's body ([`TxStep::Hook`]).
#[derive(Clone)]
pub struct Hook(pub Arc<dyn Fn() + Send + Sync>);

impl Hook {
    pub fn new(hook: impl Fn() + Send + Sync + 'static) -> Self {
        Self(Arc::new(hook))
    }

    /// Runs the hook on a thread of its own, waiting for it; its panic goes on here.
    fn run(&self) {
        let hook = &self.0;
        let outcome = std::thread::scope(|scope| scope.spawn(|| hook()).join());
        if let Err(panic) = outcome {
            std::panic::resume_unwind(panic);
        }
    }
}

impl std::fmt::Debug for Hook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Hook(..)")
    }
}

/// What a specification needs from a front.
pub trait Front {
    /// `"blocking"` or `"async"`.
    fn name(&self) -> &'static str;
    /// Whether a commit on this backend proves its writes (not on MySQL, where every
    /// transaction publishes deletions instead of rows: see `write_through::guide::transactions`).
    fn trusts_commits(&self) -> bool;
    fn find_user(&mut self, cache: &Cache, id: i64) -> Result<Option<User>, Error>;
    fn find_many_users(&mut self, cache: &Cache, ids: &[i64]) -> Result<Vec<Option<User>>, Error>;
    fn save_user(&mut self, cache: &Cache, user: &User) -> Result<(), Error>;
    fn delete_user(&mut self, cache: &Cache, id: i64) -> Result<bool, Error>;
    fn create_user(&mut self, cache: &Cache, new: &NewUser) -> Result<User, Error>;
    fn find_tag(&mut self, cache: &Cache, name: &str) -> Result<Option<Tag>, Error>;
    fn save_tag(&mut self, cache: &Cache, tag: &Tag) -> Result<(), Error>;
    fn delete_tag(&mut self, cache: &Cache, name: &str) -> Result<bool, Error>;
    fn find_document(&mut self, cache: &Cache, id: i64) -> Result<Option<Document>, Error>;
    fn find_account(&mut self, cache: &Cache, id: i64) -> Result<Option<Account>, Error>;
    fn save_account(&mut self, cache: &Cache, account: &Account) -> Result<(), Error>;
    fn delete_account(&mut self, cache: &Cache, id: i64) -> Result<bool, Error>;
    fn create_account(&mut self, cache: &Cache, new: &NewAccount) -> Result<Account, Error>;
    /// `Account::update` through the application's update form.
    fn update_account(
        &mut self,
        cache: &Cache,
        id: i64,
        form: &AccountUpdateForm,
    ) -> Result<Account, Error>;
    /// `Account::find_by_email`.
    fn account_by_email(&mut self, cache: &Cache, email: &str) -> Result<Option<Account>, Error>;
    /// `Account::find_many_by_email`.
    fn accounts_by_email(
        &mut self,
        cache: &Cache,
        emails: &[&str],
    ) -> Result<Vec<Option<Account>>, Error>;
    /// `Account::find_by_login` (a nullable column).
    fn account_by_login(&mut self, cache: &Cache, login: &str) -> Result<Option<Account>, Error>;
    /// `Account::find_by_org_id_and_handle` (a composite index).
    fn account_by_handle(
        &mut self,
        cache: &Cache,
        org_id: i32,
        handle: &str,
    ) -> Result<Option<Account>, Error>;
    /// `Account::find_many_by_org_id_and_handle`.
    fn accounts_by_handle(
        &mut self,
        cache: &Cache,
        handles: &[(i32, &str)],
    ) -> Result<Vec<Option<Account>>, Error>;
    fn save_document(&mut self, cache: &Cache, document: &mut Document) -> Result<(), Error>;
    /// `Document::update` through a form (a versioned model).
    fn update_document(
        &mut self,
        cache: &Cache,
        id: i64,
        form: &DocumentUpdateForm,
    ) -> Result<Document, Error>;
    /// Runs `steps` in `cache.transaction`.
    fn transaction(&mut self, cache: &Cache, steps: Vec<TxStep>) -> Result<(), Error>;
    /// Runs SQL behind the cache's back, as another service would.
    fn execute(&mut self, sql: &str);
    /// Counts the queries this front's connection sends from now on.
    fn count_queries(&mut self, count: &QueryCount);
}

fn is_mysql<B>() -> bool {
    std::any::type_name::<B>() == std::any::type_name::<diesel::mysql::Mysql>()
}

/// The error a failing step returns.
fn failed_step() -> Error {
    Error::Database(diesel::result::Error::RollbackTransaction)
}

/// The blocking front on a Diesel connection.
pub struct Blocking<C>(pub C);

impl<C> Blocking<C>
where
    C: Connection + LoadConnection,
    User: DieselOps<C::Backend>,
    Tag: DieselOps<C::Backend>,
    Account: DieselOps<C::Backend>,
{
    fn flat_steps(conn: &mut C, cache: &Cache, steps: &[TxStep]) -> Result<(), Error> {
        use write_through::blocking::{ModelOps as _, SaveOps as _, TransactionOps as _};
        for step in steps {
            match step {
                TxStep::SaveUser(user) => user.save(conn, cache)?,
                TxStep::DeleteUser(id) => {
                    User::delete(conn, cache, id)?;
                }
                TxStep::FindUser(id) => {
                    User::find(conn, cache, id)?;
                }
                TxStep::SaveTag(tag) => tag.save(conn, cache)?,
                TxStep::DeleteTag(name) => {
                    Tag::delete(conn, cache, name)?;
                }
                TxStep::SaveAccount(account) => account.save(conn, cache)?,
                TxStep::DeleteAccount(id) => {
                    Account::delete(conn, cache, id)?;
                }
                TxStep::Hook(hook) => hook.run(),
                TxStep::Fail => return Err(failed_step()),
                TxStep::Savepoint(inner) => {
                    // A failed savepoint rolls back and the outer body goes on.
                    let _ = cache.transaction(conn, |conn| Self::flat_steps(conn, cache, inner));
                }
            }
        }
        Ok(())
    }
}

impl<C> Front for Blocking<C>
where
    C: Connection + LoadConnection,
    User: DieselOps<C::Backend>,
    for<'a> User: DieselCreate<C::Backend, C, &'a NewUser>,
    Tag: DieselOps<C::Backend>,
    Document: DieselOps<C::Backend>,
    Account: DieselIndex<C::Backend, 0> + DieselIndex<C::Backend, 1> + DieselIndex<C::Backend, 2>,
    for<'a> Account: DieselCreate<C::Backend, C, &'a NewAccount>,
    for<'a> Account: DieselUpdate<C::Backend, &'a AccountUpdateForm>,
    for<'a> Document: DieselUpdate<C::Backend, &'a DocumentUpdateForm>,
{
    fn name(&self) -> &'static str {
        "blocking"
    }
    fn find_account(&mut self, cache: &Cache, id: i64) -> Result<Option<Account>, Error> {
        use write_through::blocking::ModelOps as _;
        Account::find(&mut self.0, cache, &id)
    }
    fn save_account(&mut self, cache: &Cache, account: &Account) -> Result<(), Error> {
        use write_through::blocking::SaveOps as _;
        account.save(&mut self.0, cache)
    }
    fn delete_account(&mut self, cache: &Cache, id: i64) -> Result<bool, Error> {
        use write_through::blocking::ModelOps as _;
        Account::delete(&mut self.0, cache, &id)
    }
    fn create_account(&mut self, cache: &Cache, new: &NewAccount) -> Result<Account, Error> {
        use write_through::blocking::ModelOps as _;
        Account::create(&mut self.0, cache, new)
    }
    fn update_account(
        &mut self,
        cache: &Cache,
        id: i64,
        form: &AccountUpdateForm,
    ) -> Result<Account, Error> {
        use write_through::blocking::ModelOps as _;
        Account::update(&mut self.0, cache, &id, form)
    }
    fn account_by_email(&mut self, cache: &Cache, email: &str) -> Result<Option<Account>, Error> {
        Account::find_by_email(&mut self.0, cache, email)
    }
    fn accounts_by_email(
        &mut self,
        cache: &Cache,
        emails: &[&str],
    ) -> Result<Vec<Option<Account>>, Error> {
        Account::find_many_by_email(&mut self.0, cache, emails.iter().copied())
    }
    fn account_by_login(&mut self, cache: &Cache, login: &str) -> Result<Option<Account>, Error> {
        Account::find_by_login(&mut self.0, cache, login)
    }
    fn account_by_handle(
        &mut self,
        cache: &Cache,
        org_id: i32,
        handle: &str,
    ) -> Result<Option<Account>, Error> {
        Account::find_by_org_id_and_handle(&mut self.0, cache, (&org_id, handle))
    }
    fn accounts_by_handle(
        &mut self,
        cache: &Cache,
        handles: &[(i32, &str)],
    ) -> Result<Vec<Option<Account>>, Error> {
        Account::find_many_by_org_id_and_handle(
            &mut self.0,
            cache,
            handles.iter().map(|(org, handle)| (org, *handle)),
        )
    }
    fn trusts_commits(&self) -> bool {
        !is_mysql::<C::Backend>()
    }
    fn find_user(&mut self, cache: &Cache, id: i64) -> Result<Option<User>, Error> {
        use write_through::blocking::ModelOps as _;
        User::find(&mut self.0, cache, &id)
    }
    fn find_many_users(&mut self, cache: &Cache, ids: &[i64]) -> Result<Vec<Option<User>>, Error> {
        use write_through::blocking::ModelOps as _;
        User::find_many(&mut self.0, cache, ids)
    }
    fn save_user(&mut self, cache: &Cache, user: &User) -> Result<(), Error> {
        use write_through::blocking::SaveOps as _;
        user.save(&mut self.0, cache)
    }
    fn delete_user(&mut self, cache: &Cache, id: i64) -> Result<bool, Error> {
        use write_through::blocking::ModelOps as _;
        User::delete(&mut self.0, cache, &id)
    }
    fn create_user(&mut self, cache: &Cache, new: &NewUser) -> Result<User, Error> {
        use write_through::blocking::ModelOps as _;
        User::create(&mut self.0, cache, new)
    }
    fn find_tag(&mut self, cache: &Cache, name: &str) -> Result<Option<Tag>, Error> {
        use write_through::blocking::ModelOps as _;
        Tag::find(&mut self.0, cache, &name.to_owned())
    }
    fn save_tag(&mut self, cache: &Cache, tag: &Tag) -> Result<(), Error> {
        use write_through::blocking::SaveOps as _;
        tag.save(&mut self.0, cache)
    }
    fn delete_tag(&mut self, cache: &Cache, name: &str) -> Result<bool, Error> {
        use write_through::blocking::ModelOps as _;
        Tag::delete(&mut self.0, cache, &name.to_owned())
    }
    fn find_document(&mut self, cache: &Cache, id: i64) -> Result<Option<Document>, Error> {
        use write_through::blocking::ModelOps as _;
        Document::find(&mut self.0, cache, &id)
    }
    fn save_document(&mut self, cache: &Cache, document: &mut Document) -> Result<(), Error> {
        use write_through::blocking::SaveOps as _;
        document.save(&mut self.0, cache)
    }
    fn update_document(
        &mut self,
        cache: &Cache,
        id: i64,
        form: &DocumentUpdateForm,
    ) -> Result<Document, Error> {
        use write_through::blocking::ModelOps as _;
        Document::update(&mut self.0, cache, &id, form)
    }
    fn transaction(&mut self, cache: &Cache, steps: Vec<TxStep>) -> Result<(), Error> {
        use write_through::blocking::TransactionOps as _;
        cache.transaction(&mut self.0, |conn| Self::flat_steps(conn, cache, &steps))
    }
    fn execute(&mut self, sql: &str) {
        self.0.batch_execute(sql).expect("raw SQL");
    }
    fn count_queries(&mut self, count: &QueryCount) {
        count.install(&mut self.0);
    }
}

/// Starts `cache`'s in-process tier (the first find of a local model starts its subscriber)
/// and waits until it is live; until then finds bypass the tier.
pub fn go_live(f: &mut (impl Front + ?Sized), cache: &Cache) {
    f.find_tag(cache, &format!("warm-up-{}", crate::unique()))
        .unwrap();
    crate::services::wait_until(
        "the tier is live",
        std::time::Duration::from_secs(5),
        || cache.local_tier_is_live(),
    );
}

/// The async front on a diesel-async connection, on a current-thread runtime of its own.
pub struct Async<C> {
    pub conn: C,
    pub runtime: tokio::runtime::Runtime,
}

/// A current-thread runtime with time and I/O, as the async front needs.
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

impl<C> Async<C> {
    /// Connects with `connect` on a new runtime.
    pub fn connect<F, Fut>(connect: F) -> Self
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = C>,
    {
        let runtime = runtime();
        let conn = runtime.block_on(connect());
        Self { conn, runtime }
    }
}

/// One step that is not a savepoint.
async fn step_async<C>(conn: &mut C, cache: &Cache, step: &TxStep) -> Result<(), Error>
where
    C: AsyncConnection,
    User: AsyncDieselOps<C::Backend>,
    Tag: AsyncDieselOps<C::Backend>,
    Account: AsyncDieselOps<C::Backend>,
{
    use write_through::asynch::{ModelOps as _, SaveOps as _};
    match step {
        TxStep::SaveUser(user) => user.save(conn, cache).await?,
        TxStep::DeleteUser(id) => {
            User::delete(conn, cache, id).await?;
        }
        TxStep::FindUser(id) => {
            User::find(conn, cache, id).await?;
        }
        TxStep::SaveTag(tag) => tag.save(conn, cache).await?,
        TxStep::DeleteTag(name) => {
            Tag::delete(conn, cache, name).await?;
        }
        TxStep::SaveAccount(account) => account.save(conn, cache).await?,
        TxStep::DeleteAccount(id) => {
            Account::delete(conn, cache, id).await?;
        }
        TxStep::Hook(hook) => hook.run(),
        TxStep::Fail => return Err(failed_step()),
        TxStep::Savepoint(_) => panic!("savepoints nest one level in these suites"),
    }
    Ok(())
}

/// A transaction's steps, savepoints one level deep. (Not recursive, unlike the blocking
/// front's: the compiler cannot prove a recursive async body's future `Send`.)
async fn flat_steps_async<C>(conn: &mut C, cache: &Cache, steps: &[TxStep]) -> Result<(), Error>
where
    C: AsyncConnection,
    User: AsyncDieselOps<C::Backend>,
    Tag: AsyncDieselOps<C::Backend>,
    Account: AsyncDieselOps<C::Backend>,
{
    use write_through::asynch::TransactionOps as _;
    for step in steps {
        if let TxStep::Savepoint(inner) = step {
            // A failed savepoint rolls back and the outer body goes on.
            let _: Result<(), Error> = cache
                .transaction(conn, async |conn| {
                    for step in inner {
                        step_async(conn, cache, step).await?;
                    }
                    Ok(())
                })
                .await;
        } else {
            step_async(conn, cache, step).await?;
        }
    }
    Ok(())
}

impl<C> Front for Async<C>
where
    C: AsyncConnection + 'static,
    User: AsyncDieselOps<C::Backend>,
    for<'a> User: AsyncDieselCreate<C::Backend, C, &'a NewUser>,
    Tag: AsyncDieselOps<C::Backend>,
    Document: AsyncDieselOps<C::Backend>,
    Account: AsyncDieselIndex<C::Backend, 0>
        + AsyncDieselIndex<C::Backend, 1>
        + AsyncDieselIndex<C::Backend, 2>,
    for<'a> Account: AsyncDieselCreate<C::Backend, C, &'a NewAccount>,
    for<'a> Account: AsyncDieselUpdate<C::Backend, &'a AccountUpdateForm>,
    for<'a> Document: AsyncDieselUpdate<C::Backend, &'a DocumentUpdateForm>,
{
    fn name(&self) -> &'static str {
        "async"
    }
    fn find_account(&mut self, cache: &Cache, id: i64) -> Result<Option<Account>, Error> {
        use write_through::asynch::ModelOps as _;
        self.runtime
            .block_on(Account::find(&mut self.conn, cache, &id))
    }
    fn save_account(&mut self, cache: &Cache, account: &Account) -> Result<(), Error> {
        use write_through::asynch::SaveOps as _;
        self.runtime.block_on(account.save(&mut self.conn, cache))
    }
    fn delete_account(&mut self, cache: &Cache, id: i64) -> Result<bool, Error> {
        use write_through::asynch::ModelOps as _;
        self.runtime
            .block_on(Account::delete(&mut self.conn, cache, &id))
    }
    fn create_account(&mut self, cache: &Cache, new: &NewAccount) -> Result<Account, Error> {
        use write_through::asynch::ModelOps as _;
        self.runtime
            .block_on(Account::create(&mut self.conn, cache, new))
    }
    fn update_account(
        &mut self,
        cache: &Cache,
        id: i64,
        form: &AccountUpdateForm,
    ) -> Result<Account, Error> {
        use write_through::asynch::ModelOps as _;
        self.runtime
            .block_on(Account::update(&mut self.conn, cache, &id, form))
    }
    fn account_by_email(&mut self, cache: &Cache, email: &str) -> Result<Option<Account>, Error> {
        self.runtime
            .block_on(Account::find_by_email(&mut self.conn, cache, email))
    }
    fn accounts_by_email(
        &mut self,
        cache: &Cache,
        emails: &[&str],
    ) -> Result<Vec<Option<Account>>, Error> {
        self.runtime.block_on(Account::find_many_by_email(
            &mut self.conn,
            cache,
            emails.iter().copied(),
        ))
    }
    fn account_by_login(&mut self, cache: &Cache, login: &str) -> Result<Option<Account>, Error> {
        self.runtime
            .block_on(Account::find_by_login(&mut self.conn, cache, login))
    }
    fn account_by_handle(
        &mut self,
        cache: &Cache,
        org_id: i32,
        handle: &str,
    ) -> Result<Option<Account>, Error> {
        self.runtime.block_on(Account::find_by_org_id_and_handle(
            &mut self.conn,
            cache,
            (&org_id, handle),
        ))
    }
    fn accounts_by_handle(
        &mut self,
        cache: &Cache,
        handles: &[(i32, &str)],
    ) -> Result<Vec<Option<Account>>, Error> {
        self.runtime
            .block_on(Account::find_many_by_org_id_and_handle(
                &mut self.conn,
                cache,
                handles.iter().map(|(org, handle)| (org, *handle)),
            ))
    }
    fn trusts_commits(&self) -> bool {
        !is_mysql::<C::Backend>()
    }
    fn find_user(&mut self, cache: &Cache, id: i64) -> Result<Option<User>, Error> {
        use write_through::asynch::ModelOps as _;
        self.runtime
            .block_on(User::find(&mut self.conn, cache, &id))
    }
    fn find_many_users(&mut self, cache: &Cache, ids: &[i64]) -> Result<Vec<Option<User>>, Error> {
        use write_through::asynch::ModelOps as _;
        self.runtime
            .block_on(User::find_many(&mut self.conn, cache, ids.iter()))
    }
    fn save_user(&mut self, cache: &Cache, user: &User) -> Result<(), Error> {
        use write_through::asynch::SaveOps as _;
        self.runtime.block_on(user.save(&mut self.conn, cache))
    }
    fn delete_user(&mut self, cache: &Cache, id: i64) -> Result<bool, Error> {
        use write_through::asynch::ModelOps as _;
        self.runtime
            .block_on(User::delete(&mut self.conn, cache, &id))
    }
    fn create_user(&mut self, cache: &Cache, new: &NewUser) -> Result<User, Error> {
        use write_through::asynch::ModelOps as _;
        self.runtime
            .block_on(User::create(&mut self.conn, cache, new))
    }
    fn find_tag(&mut self, cache: &Cache, name: &str) -> Result<Option<Tag>, Error> {
        use write_through::asynch::ModelOps as _;
        let name = name.to_owned();
        self.runtime
            .block_on(Tag::find(&mut self.conn, cache, &name))
    }
    fn save_tag(&mut self, cache: &Cache, tag: &Tag) -> Result<(), Error> {
        use write_through::asynch::SaveOps as _;
        self.runtime.block_on(tag.save(&mut self.conn, cache))
    }
    fn delete_tag(&mut self, cache: &Cache, name: &str) -> Result<bool, Error> {
        use write_through::asynch::ModelOps as _;
        let name = name.to_owned();
        self.runtime
            .block_on(Tag::delete(&mut self.conn, cache, &name))
    }
    fn find_document(&mut self, cache: &Cache, id: i64) -> Result<Option<Document>, Error> {
        use write_through::asynch::ModelOps as _;
        self.runtime
            .block_on(Document::find(&mut self.conn, cache, &id))
    }
    fn save_document(&mut self, cache: &Cache, document: &mut Document) -> Result<(), Error> {
        use write_through::asynch::SaveOps as _;
        self.runtime.block_on(document.save(&mut self.conn, cache))
    }
    fn update_document(
        &mut self,
        cache: &Cache,
        id: i64,
        form: &DocumentUpdateForm,
    ) -> Result<Document, Error> {
        use write_through::asynch::ModelOps as _;
        self.runtime
            .block_on(Document::update(&mut self.conn, cache, &id, form))
    }
    fn transaction(&mut self, cache: &Cache, steps: Vec<TxStep>) -> Result<(), Error> {
        use write_through::asynch::TransactionOps as _;
        self.runtime
            .block_on(cache.transaction(&mut self.conn, async |conn| {
                flat_steps_async(conn, cache, &steps).await
            }))
    }
    fn execute(&mut self, sql: &str) {
        self.runtime
            .block_on(self.conn.batch_execute(sql))
            .expect("raw SQL");
    }
    fn count_queries(&mut self, count: &QueryCount) {
        count.install_async(&mut self.conn);
    }
}

/// The async PostgreSQL connection of the suites (the tables made by [`crate::postgres`]).
pub fn async_postgres() -> Option<Async<diesel_async::AsyncPgConnection>> {
    crate::postgres()?;
    let url = crate::services::postgres_url();
    Some(Async::connect(|| async move {
        diesel_async::AsyncPgConnection::establish(&url)
            .await
            .expect("PostgreSQL answered a moment ago")
    }))
}

/// The async MySQL connection of the suites (the tables made by [`crate::mysql`]).
pub fn async_mysql() -> Option<Async<diesel_async::AsyncMysqlConnection>> {
    crate::mysql()?;
    let url = crate::services::mysql_url();
    Some(Async::connect(|| async move {
        diesel_async::AsyncMysqlConnection::establish(&url)
            .await
            .expect("MySQL answered a moment ago")
    }))
}

/// SQLite through diesel-async's wrapper, in a temporary file.
pub type AsyncSqlite =
    diesel_async::sync_connection_wrapper::SyncConnectionWrapper<diesel::SqliteConnection>;

/// The async SQLite connection of the suites, and the folder of its file.
pub fn async_sqlite() -> (Async<AsyncSqlite>, tempfile::TempDir) {
    let (conn, dir) = crate::sqlite();
    let runtime = runtime();
    (
        Async {
            conn: AsyncSqlite::new(conn),
            runtime,
        },
        dir,
    )
}

/// Runs specifications written once over [`Front`] on both fronts and every backend: for each
/// name, tests `blocking_postgres::name`, `async_postgres::name`, `blocking_mysql::name`, ...
/// calling `super::name(&mut front, &mut test_cache)`.
#[macro_export]
macro_rules! on_every_front {
    ($($behaviour:ident),* $(,)?) => {
        mod blocking_postgres {
            $(
                #[test]
                fn $behaviour() {
                    let (Some(conn), Some(mut tc)) = ($crate::postgres(), $crate::TestCache::new()) else { return };
                    super::$behaviour(&mut $crate::fronts::Blocking(conn), &mut tc);
                }
            )*
        }
        mod async_postgres {
            $(
                #[test]
                fn $behaviour() {
                    let (Some(mut front), Some(mut tc)) = ($crate::fronts::async_postgres(), $crate::TestCache::new()) else { return };
                    super::$behaviour(&mut front, &mut tc);
                }
            )*
        }
        mod blocking_mysql {
            $(
                #[test]
                fn $behaviour() {
                    let (Some(conn), Some(mut tc)) = ($crate::mysql(), $crate::TestCache::new()) else { return };
                    super::$behaviour(&mut $crate::fronts::Blocking(conn), &mut tc);
                }
            )*
        }
        mod async_mysql {
            $(
                #[test]
                fn $behaviour() {
                    let (Some(mut front), Some(mut tc)) = ($crate::fronts::async_mysql(), $crate::TestCache::new()) else { return };
                    super::$behaviour(&mut front, &mut tc);
                }
            )*
        }
        mod blocking_sqlite {
            $(
                #[test]
                fn $behaviour() {
                    let Some(mut tc) = $crate::TestCache::new() else { return };
                    let (conn, _dir) = $crate::sqlite();
                    super::$behaviour(&mut $crate::fronts::Blocking(conn), &mut tc);
                }
            )*
        }
        mod async_sqlite {
            $(
                #[test]
                fn $behaviour() {
                    let Some(mut tc) = $crate::TestCache::new() else { return };
                    let (mut front, _dir) = $crate::fronts::async_sqlite();
                    super::$behaviour(&mut front, &mut tc);
                }
            )*
        }
    };
}
