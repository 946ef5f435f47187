//! A versioned model's update through a form: the form's changes and the version's bump, which
//! is written only when the form changes something, so that an empty form is Diesel's own
//! "no changes" error, as for any update, never a bare bump (which would make every holder of
//! the old version conflict for nothing).

use diesel::QueryResult;
use diesel::backend::Backend;
use diesel::query_builder::{AsChangeset, AstPass, QueryFragment, QueryId};

/// `changes`, then `bump` (`version = version + 1`), as one changeset.
pub struct WithVersionBump<F, B> {
    /// The application's form.
    pub changes: F,
    /// `version = version + 1`.
    pub bump: B,
}

impl<F, B> AsChangeset for WithVersionBump<F, B>
where
    F: AsChangeset,
    B: AsChangeset<Target = F::Target>,
{
    type Target = F::Target;
    type Changeset = BumpedChangeset<F::Changeset, B::Changeset>;

    fn as_changeset(self) -> Self::Changeset {
        BumpedChangeset(self.changes.as_changeset(), self.bump.as_changeset())
    }
}

/// The changeset of [`WithVersionBump`].
pub struct BumpedChangeset<C, B>(C, B);

impl<C, B, DB> QueryFragment<DB> for BumpedChangeset<C, B>
where
    DB: Backend,
    C: QueryFragment<DB>,
    B: QueryFragment<DB>,
{
    fn walk_ast<'b>(&'b self, mut pass: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        // Nothing at all when the form changes nothing: the update is then empty, and Diesel
        // refuses it as it refuses any empty changeset.
        if self.0.is_noop(pass.backend())? {
            return Ok(());
        }
        self.0.walk_ast(pass.reborrow())?;
        pass.push_sql(", ");
        self.1.walk_ast(pass.reborrow())
    }
}

impl<C, B> QueryId for BumpedChangeset<C, B> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}
