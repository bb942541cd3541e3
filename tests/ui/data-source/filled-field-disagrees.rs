use connector_roles::connector_role;

connector_role! {
    pub Tickets {
        connector: jira,
        data_source: {
            configuration: {
                "type": "CONFLUENCEV2",
                "syncMode": "FULL_CRAWL",
                "connectionConfiguration": { "repositoryEndpointMetadata": { "jiraAccountUrl": "https://example.atlassian.net" } },
                "repositoryConfigurations": {},
                "additionalProperties": {},
                "enableIdentityCrawler": false
            },
        },
    }
}

fn main() {}
