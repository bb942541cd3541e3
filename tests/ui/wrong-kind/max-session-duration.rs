use connector_roles::connector_role;

connector_role! {
    pub Orders {
        connector: rds_mysql,
        max_session_duration: "7200",
    }
}

fn main() {}
