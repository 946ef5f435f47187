//! Whether a model is `Clone`, told to the derive's generated code without asking the model for
//! a bound: the in-process tier keeps each row decoded, and hands out a clone when the model can
//! be cloned (a few allocations) instead of decoding its bytes again (a parse and the same
//! allocations). A model that is not `Clone` is decoded on every hit, as before.
//!
//! The derive writes `(&RowRef(self)).clone_row()` in `Cached::clone_row`. Method lookup tries
//! the receiver `&RowRef<M>` before `&&RowRef<M>`: [`CloneRow`] is implemented on `RowRef<M>`
//! for `M: Clone` and is found first; otherwise lookup goes on to [`NoCloneRow`], implemented on
//! `&RowRef<M>` for every `M` ("autoref specialization", which works because the model's type
//! is concrete where the derive writes the call).

/// A row, borrowed for [`CloneRow`] or [`NoCloneRow`].
#[doc(hidden)]
pub struct RowRef<'a, M>(pub &'a M);

/// Chosen for a model that is `Clone`.
#[doc(hidden)]
pub trait CloneRow<M> {
    /// A clone of the row.
    fn clone_row(&self) -> Option<M>;
}

impl<M: Clone> CloneRow<M> for RowRef<'_, M> {
    fn clone_row(&self) -> Option<M> {
        Some(self.0.clone())
    }
}

/// Chosen for a model that is not `Clone`.
#[doc(hidden)]
pub trait NoCloneRow<M> {
    /// Nothing: the row cannot be cloned.
    fn clone_row(&self) -> Option<M>;
}

impl<M> NoCloneRow<M> for &RowRef<'_, M> {
    fn clone_row(&self) -> Option<M> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Clone, Debug, PartialEq)]
    struct Cloned(String);

    #[derive(Debug, PartialEq)]
    struct NotCloned(String);

    #[test]
    // The borrow is the point: the expression the derive writes, for either kind of model.
    #[allow(clippy::needless_borrow)]
    fn a_clone_model_is_cloned_and_another_is_not() {
        let cloned = Cloned("a".into());
        assert_eq!((&RowRef(&cloned)).clone_row(), Some(cloned.clone()));
        let not_cloned = NotCloned("b".into());
        assert_eq!((&RowRef(&not_cloned)).clone_row(), None);
    }
}
