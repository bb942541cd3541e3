use connector_roles::connector_role;

connector_role! {
    pub Orders {
        connector: rds_mysql,
        secret_id: "qbusiness-orders-mysql-AbCdEf",
        data_source: {
            display_name: "orders mysql",
            configuration: {
                "syncMode": "SOMETIMES",
                "connectionConfiguration": { "repositoryEndpointMetadata": {
                    "dbHost": "orders.cluster-abc.us-east-1.rds.amazonaws.com",
                    "dbPort": 3306,
                    "dbInstance": "orders"
                } },
                "repositoryConfigurations": {},
                "additionalProperties": { "primaryKey": "id", "titleColumn": "title", "bodyColumn": "body" }
            },
        },
    }
}

fn main() {}
