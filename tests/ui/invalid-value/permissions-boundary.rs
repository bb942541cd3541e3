use connector_roles::connector_role;

connector_role! {
    pub Orders {
        connector: rds_mysql,
        permissions_boundary: "arn:aws:iam::111122223333:role/Boundary",
    }
}

fn main() {}
