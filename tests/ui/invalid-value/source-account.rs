use connector_roles::connector_role;

connector_role! {
    pub Orders {
        connector: rds_mysql,
        source_account: "abc",
    }
}

fn main() {}
