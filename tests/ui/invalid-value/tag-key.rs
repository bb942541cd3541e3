use connector_roles::connector_role;

connector_role! {
    pub Orders {
        connector: rds_mysql,
        tags: { "Team": "data", "aws:owner": "me", "team": "orders" },
    }
}

fn main() {}
