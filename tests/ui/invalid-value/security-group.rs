use connector_roles::connector_role;

connector_role! {
    pub Orders {
        connector: rds_mysql,
        vpc: { security_group_ids: ["sg-12"] },
    }
}

fn main() {}
