use connector_roles::connector_role;

connector_role! {
    pub Orders { connector: rds_mysql, name: "orders" }
    pub Orders2 { connector: rds_mysql, name: "orders" }
}

fn main() {}
