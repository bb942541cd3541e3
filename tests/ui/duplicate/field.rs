use connector_roles::connector_role;

connector_role! {
    pub Orders { connector: rds_mysql, region: "us-east-1", region: "us-east-2" }
}

fn main() {}
