use connector_roles::connector_role;

connector_role! {
    pub { connector: rds_mysql }
}

fn main() {}
