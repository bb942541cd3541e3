use connector_roles::connector_role;

connector_role! {
    pub Orders {
        connector: rds_mysql,
        index_id: "-2c3d4e5-6789-01bc-def0-EXAMPLE22222",
    }
}

fn main() {}
