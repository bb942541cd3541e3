use connector_roles::connector_role;

connector_role! {
    pub Orders {
        connector: rds_mysql,
        account_id: "12345",
        region: "Mars",
        vpc: { subnet_ids: ["subnet-xyz"] },
    }
}

fn main() {}
