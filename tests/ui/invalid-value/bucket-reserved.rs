use connector_roles::connector_role;

connector_role! {
    pub Orders {
        connector: rds_mysql,
        input_bucket_name: "my-bucket-s3alias",
    }
}

fn main() {}
