//! Which models `save` is offered for: those whose fields are every column of their table, so
//! that the row written is the struct and nothing else.
//!
//! A model that selects some of its table's columns (crates.io's `Version` leaves out a
//! `NOT NULL` column) cannot be inserted whole: its upsert would fail at run time for any row, or
//! insert defaults the struct never held. A model built on a join or on computed expressions
//! (`base_query`, `select_expression`) holds values that are not columns of its table at all. Both
//! are read, updated through the application's forms and created, but not saved; the compiler
//! says so at the `save` call, not the database at run time.
//!
//! The derive cannot see the `table!` declaration, so it names the columns its fields hold
//! ([`RowColumns::Written`]) and the compiler compares their number with the table's
//! `AllColumns`: the fields are distinct columns of the table (else Diesel's own `Selectable`
//! would not compile), so equal counts mean every column.

use diesel::Table;

use super::{BumpsVersion, Unversioned};
use crate::model::{SavesByRef, SavesInPlace};

/// A model whose fields are plain columns of its table, which `save` could write; the derive
/// implements it for every model without a base query or a computed field.
pub trait RowColumns {
    /// The model's table.
    type Table: Table;
    /// The columns its fields hold, as a tuple (the table's `AllColumns` for a model that embeds
    /// a struct of columns: its own `Insertable` decides).
    type Written;
}

/// A model `save` can write whole: every column of its table is one of its fields.
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not hold every column of its table, so it cannot be saved whole",
    label = "`save` writes every column of the row",
    note = "a model that selects some of its table's columns, or is built on a join or computed expressions (`base_query`, `select_expression`), is written through `Model::update(conn, cache, id, &form)` and `Model::create(conn, cache, &new)`"
)]
pub trait WholeRow: RowColumns {}

impl<M> WholeRow for M
where
    M: RowColumns,
    M::Written: Arity,
    <M::Table as Table>::AllColumns: Arity<Count = <M::Written as Arity>::Count>,
{
}

impl<M: Unversioned + WholeRow> SavesByRef for M {}

impl<M: BumpsVersion + WholeRow> SavesInPlace for M {
    fn adopt_version(&mut self, stored: &Self) {
        self.take_version(stored);
    }
}

/// A number of columns, as a type, so that two counts can be compared by the trait solver.
pub struct Columns<const N: usize>;

/// How many elements a tuple has.
pub trait Arity {
    /// `Columns<N>` for a tuple of `N` elements.
    type Count;
}

/// Implements [`Arity`] for every tuple up to the length of the list of type parameters it is
/// given, one length after the other.
macro_rules! arity {
    (@impl [$($done:ident)*]) => {};
    (@impl [$($done:ident)*] $next:ident $($rest:ident)*) => {
        impl<$($done,)* $next> Arity for ($($done,)* $next,) {
            type Count = Columns<{ [$(stringify!($done),)* stringify!($next)].len() }>;
        }
        arity!(@impl [$($done)* $next] $($rest)*);
    };
}

// Diesel's largest tables (its `128-column-tables` feature).
arity!(@impl []
    A0 A1 A2 A3 A4 A5 A6 A7 A8 A9 A10 A11 A12 A13 A14 A15
    A16 A17 A18 A19 A20 A21 A22 A23 A24 A25 A26 A27 A28 A29 A30 A31
    A32 A33 A34 A35 A36 A37 A38 A39 A40 A41 A42 A43 A44 A45 A46 A47
    A48 A49 A50 A51 A52 A53 A54 A55 A56 A57 A58 A59 A60 A61 A62 A63
    A64 A65 A66 A67 A68 A69 A70 A71 A72 A73 A74 A75 A76 A77 A78 A79
    A80 A81 A82 A83 A84 A85 A86 A87 A88 A89 A90 A91 A92 A93 A94 A95
    A96 A97 A98 A99 A100 A101 A102 A103 A104 A105 A106 A107 A108 A109 A110 A111
    A112 A113 A114 A115 A116 A117 A118 A119 A120 A121 A122 A123 A124 A125 A126 A127
);

#[cfg(test)]
mod tests {
    use super::*;

    diesel::table! {
        people (id) {
            id -> BigInt,
            name -> Text,
            email -> Text,
        }
    }

    struct Whole;
    impl RowColumns for Whole {
        type Table = people::table;
        type Written = (people::email, people::id, people::name);
    }

    fn is_whole<M: WholeRow>() -> bool {
        true
    }

    #[test]
    fn a_model_holding_every_column_in_any_order_is_whole() {
        assert!(is_whole::<Whole>());
    }

    #[test]
    fn tuples_count_their_elements() {
        fn count<T: Arity<Count = Columns<N>>, const N: usize>() -> usize {
            N
        }
        assert_eq!(count::<(u8,), 1>(), 1);
        assert_eq!(count::<(u8, u8, u8), 3>(), 3);
    }
}
