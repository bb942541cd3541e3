use connector_roles::connector_role;

connector_role! {
    pub Orders {
        connector: rds_mysql,
        role_name: "orders role",
    }
}

fn main() {}
