//! `connector_role!` through a renamed dependency: prints the role's trust policy.

use roles::ConnectorRole;

roles::connector_role! {
    crate = ::roles;
    /// The orders database's connector role.
    pub Orders {
        connector: rds_mysql,
        account_id: "111122223333",
        region: "us-east-1",
    }
}

fn main() {
    let (_, trust) = Orders::ARTIFACTS
        .iter()
        .find(|(path, _)| path.ends_with("policy/trust-policy.json"))
        .expect("the role has a trust policy");
    print!("{trust}");
}
