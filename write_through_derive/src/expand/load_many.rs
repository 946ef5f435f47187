//! The query behind `load_many` (by primary key) and `load_many_by` (by a unique index).

use proc_macro2::TokenStream;
use quote::quote;
use syn::Ident;

use super::Flavor;

/// `SELECT ... WHERE column IN (slice)` for one column, `(a = ? AND b = ?) OR ...` for several,
/// over the slice named `slice` (of single values, or of tuples in the columns' order): the
/// body of `load_many` by primary key and of `load_many_by` by a unique index.
pub fn load_many_query(
    table: &syn::Path,
    columns: &[&Ident],
    slice: &TokenStream,
    db: &TokenStream,
    flavor: Flavor,
) -> TokenStream {
    let (run, aw) = (flavor.run(), flavor.aw());
    match columns {
        [single] => quote! {
            #run::load(
                #table::table
                    .filter(#table::#single.eq_any(#slice.iter().copied()))
                    .select(<Self as __wt::diesel::SelectableHelper<#db>>::as_select()),
                conn,
            )
            #aw
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
                let mut query = #table::table
                    .select(<Self as __wt::diesel::SelectableHelper<#db>>::as_select())
                    .into_boxed();
                for one in #slice {
                    query = query.or_filter(#first #(.and(#rest))*);
                }
                #run::load(query, conn) #aw
            }
        }
    }
}
