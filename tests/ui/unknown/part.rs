use connector_roles::connector_role;

connector_role! {
    pub Crawler {
        connector: web_crawler,
        include: ["secret", "seed_urls"],
    }
}

fn main() {}
