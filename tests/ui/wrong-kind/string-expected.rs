use connector_roles::connector_role;

connector_role! {
    pub Orders { connector: rds_mysql, region: us_east_1 }
}

fn main() {}
