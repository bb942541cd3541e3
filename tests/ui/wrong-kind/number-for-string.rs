use connector_roles::connector_role;

connector_role! {
    pub Orders { connector: rds_mysql, account_id: 111122223333 }
}

fn main() {}
