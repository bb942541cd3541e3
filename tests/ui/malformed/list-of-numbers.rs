use connector_roles::connector_role;

connector_role! {
    pub Orders { connector: rds_mysql, vpc: { subnet_ids: [1] } }
}

fn main() {}
