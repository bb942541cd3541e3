use connector_roles::connector_role;

connector_role! {
    pub Orders {
        connector: rds_mysql,
        policy: shared,
    }
}

fn main() {}
