use connector_roles::connector_role;

connector_role! {
    pub Orders {
        connector: rds_mysql,
        application_id: "a1b2c3d4",
    }
}

fn main() {}
