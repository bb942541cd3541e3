use connector_roles::connector_role;

connector_role! {
    pub Mail {
        connector: gmail,
        data_source: {
            variant: newest,
            tags: { "aws:team": "search" },
            configuration: { "dataEntityConfiguration": {} },
        },
    }
}

fn main() {}
