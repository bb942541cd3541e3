use connector_roles::connector_role;

connector_role! {
    pub Accounts {
        connector: salesforce,
        input_bucket_name: "amzn-s3-demo-bucket",
    }
}

fn main() {}
