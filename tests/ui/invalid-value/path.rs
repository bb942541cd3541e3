use connector_roles::connector_role;

connector_role! {
    pub Orders {
        connector: rds_mysql,
        path: "connectors/qbusiness",
    }
}

fn main() {}
