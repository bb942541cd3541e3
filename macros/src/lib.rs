//! The `connector_role!` macro: a thin shell over `connector-roles-generator`, which parses
//! and checks the declaration; this crate only turns the result into tokens or errors.
//! Use it through the `connector-roles` crate.

mod expand;

use connector_roles_generator::front::rust::parse::Declarations;
use proc_macro::TokenStream;

/// Declares one or more connector roles, checked at compile time.
///
/// See the `connector-roles` crate for the syntax and the generated API.
#[proc_macro]
pub fn connector_role(input: TokenStream) -> TokenStream {
    let declarations = syn::parse_macro_input!(input as Declarations);
    expand::expand(&declarations).into()
}
