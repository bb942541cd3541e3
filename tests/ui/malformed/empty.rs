use connector_roles::connector_role;

connector_role! {}

fn main() {}
