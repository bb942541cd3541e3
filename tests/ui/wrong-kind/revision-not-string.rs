use connector_roles::connector_role;

connector_role! {
    pub Orders {
        connector: rds_mysql,
        revision: application_and_index,
    }
}

fn main() {}
