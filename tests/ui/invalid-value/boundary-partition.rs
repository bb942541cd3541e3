use connector_roles::connector_role;

connector_role! {
    pub Orders {
        connector: rds_mysql,
        region: "cn-north-1",
        permissions_boundary: "arn:aws:iam::111122223333:policy/Boundary",
    }
}

fn main() {}
