use connector_roles::connector_role;

connector_role! {
    pub Orders { connector: rds_mysql, subnet_ids: ["subnet-0123456789abcdef0"] }
}

fn main() {}
