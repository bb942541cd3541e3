use connector_roles::connector_role;

connector_role! {
    pub Orders {
        connector: rds_mysql,
        partition: "aws", region: "cn-north-1",
    }
}

fn main() {}
