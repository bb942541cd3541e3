//! Finds the `connector_role!` invocations of a Rust source file without compiling it, for
//! the CLI: in items, in modules and in function bodies, by the macro's last path segment.

use syn::visit::Visit;

use crate::declaration::check_all;
use crate::parse::Declarations;
use crate::spec::RoleSpec;

/// The name the macro is invoked by.
const MACRO: &str = "connector_role";

/// One problem in a source file, with its 1-based line and column (of characters).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceError {
    /// The line, from 1.
    pub line: usize,
    /// The column, from 1.
    pub column: usize,
    /// The message, as the macro would print it.
    pub message: String,
}

/// Every role declared in `source`, or every error, as the macro would report them.
pub fn roles(source: &str) -> Result<Vec<RoleSpec>, Vec<SourceError>> {
    let file = syn::parse_file(source).map_err(|e| vec![located(&e)])?;
    let mut finder = Finder {
        invocations: Vec::new(),
    };
    finder.visit_file(&file);
    let mut specs = Vec::new();
    let mut errors = Vec::new();
    for tokens in finder.invocations {
        match syn::parse2::<Declarations>(tokens) {
            Ok(declarations) => match check_all(&declarations) {
                Ok(checked) => specs.extend(checked.into_iter().map(|(spec, _)| spec)),
                Err(more) => errors.extend(more.iter().map(located)),
            },
            Err(error) => errors.push(located(&error)),
        }
    }
    if errors.is_empty() {
        Ok(specs)
    } else {
        Err(errors)
    }
}

fn located(error: &syn::Error) -> SourceError {
    let start = error.span().start();
    SourceError {
        line: start.line,
        column: start.column + 1,
        message: error.to_string(),
    }
}

struct Finder {
    invocations: Vec<proc_macro2::TokenStream>,
}

impl<'ast> Visit<'ast> for Finder {
    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        if mac
            .path
            .segments
            .last()
            .is_some_and(|segment| segment.ident == MACRO)
        {
            self.invocations.push(mac.tokens.clone());
        }
        syn::visit::visit_macro(self, mac);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_invocations_everywhere_and_locates_errors() {
        let source = r#"
use connector_roles::connector_role;

connector_role! { A { connector: rds_mysql } }

mod infra {
    fn build() {
        connector_roles::connector_role! { B { connector: rds_mysql } C { connector: rds_mysql } }
    }
}
"#;
        let names: Vec<String> = roles(source).unwrap().into_iter().map(|s| s.name).collect();
        assert_eq!(names, ["a", "b", "c"]);

        let broken = "connector_role! {\n    A {\n        connector: rds_mysql,\n        account_id: \"12345\",\n    }\n}\n";
        let errors = roles(broken).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!((errors[0].line, errors[0].column), (4, 21));
        assert!(errors[0].message.starts_with("invalid `account_id`"));
    }
}
