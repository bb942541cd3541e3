use connector_roles::connector_role;

connector_role! {
    /// No connector.
    pub Orders { account_id: "111122223333" }
}

fn main() {}
