use connector_roles::connector_role;

connector_role! {
    pub Tickets {
        connector: jira,
        data_source: { configuration: { "syncMode": FULL_CRAWL } },
    }
}

fn main() {}
