//! Code generation: one unit struct per role implementing `ConnectorRole`, with the
//! checked spec and every artifact rendered at compile time.

use connector_roles_generator::front::rust::declaration::check_all;
use connector_roles_generator::front::rust::parse::{Declaration, Declarations};
use connector_roles_generator::render::{Format, render};
use proc_macro2::TokenStream;
use quote::quote;

/// The types and impls of every role, or the errors with, for each role, a type whose
/// associated items exist (so the only errors a user sees are the real ones).
pub fn expand(declarations: &Declarations) -> TokenStream {
    let krate = match &declarations.krate {
        Some(path) => quote!(#path),
        None => quote!(::connector_roles),
    };
    let typed = |declaration, json: &str, artifacts| role(&krate, declaration, json, artifacts);
    match check_all(declarations) {
        Ok(specs) => specs
            .iter()
            .map(|(spec, declaration)| match render(spec, &Format::ALL) {
                Ok(artifacts) => {
                    let files = artifacts.iter().map(|a| {
                        let (path, contents) = (&a.path, &a.contents);
                        quote!((#path, #contents))
                    });
                    typed(declaration, &spec.to_json(), quote!(&[#(#files),*]))
                }
                Err(error) => {
                    syn::Error::new(declaration.ident.span(), error.to_string()).to_compile_error()
                }
            })
            .collect(),
        Err(errors) => {
            let errors = errors.iter().map(syn::Error::to_compile_error);
            let fallbacks = declarations.roles.iter().map(|d| typed(d, "", quote!(&[])));
            quote!(#(#errors)* #(#fallbacks)*)
        }
    }
}

/// One role's type and impl; `krate` is the path to the `connector-roles` crate, whose
/// hidden `__private` module holds what the expansion names.
fn role(
    krate: &TokenStream,
    declaration: &Declaration,
    json: &str,
    artifacts: TokenStream,
) -> TokenStream {
    let Declaration {
        attrs, vis, ident, ..
    } = declaration;
    quote! {
        #(#attrs)*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
        #vis struct #ident;

        impl #krate::__private::ConnectorRole for #ident {
            const SPEC_JSON: &'static str = #json;
            const ARTIFACTS: &'static [(&'static str, &'static str)] = #artifacts;
        }
    }
}
