use connector_roles::connector_role;

connector_role! {
    crate = "connector_roles";
    pub Orders { connector: rds_mysql }
}

fn main() {}
