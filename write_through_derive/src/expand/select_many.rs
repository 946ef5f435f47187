//! The query behind `select_many` (by primary key) and `select_many_by` (by a unique index).

use proc_macro2::TokenStream;
use quote::quote;
use syn::Ident;

/// `SELECT ... WHERE column IN (slice)` for one column, `(a = ? AND b = ?) OR ...` for several,
/// over the slice named `slice` (of single values, or of tuples in the columns' order), from
/// `source` (the table, or a base query: only with one column, see
/// `check_base_query_looks_up_single_columns`).
pub fn select_many_query(
    source: &TokenStream,
    table: &syn::Path,
    columns: &[&Ident],
    slice: &TokenStream,
    select: &TokenStream,
) -> TokenStream {
    match columns {
        [single] => quote! {
            #source.filter(#table::#single.eq_any(#slice.iter().copied())).select(#select)
        },
        many => {
            let matches: Vec<TokenStream> = many
                .iter()
                .enumerate()
                .map(|(index, column)| {
                    let index = syn::Index::from(index);
                    quote!(#table::#column.eq(one.#index))
                })
                .collect();
            let (first, rest) = (&matches[0], &matches[1..]);
            quote! {
                let mut query = #source.select(#select).into_boxed();
                for one in #slice {
                    query = query.or_filter(#first #(.and(#rest))*);
                }
                query
            }
        }
    }
}
