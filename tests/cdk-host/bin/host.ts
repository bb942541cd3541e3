// A host app of the kind CDK users already have: its own stack class, strict, `NodeNext`,
// with the constructs connector-roles generated copied into `lib/` (the test copies them:
// the open rds-mysql role, the bound orders-mysql role, and managed-policy's role with every
// role property). `tests/support/cdk_host.rs` compiles it with TypeScript 7 and 5.9 and
// synthesizes it with the feature flags `cdk init` sets.
import { App, CfnOutput, Stack, StackProps } from 'aws-cdk-lib/core';
import { Construct } from 'constructs';
import { ManagedPolicyConnectorRole } from '../lib/managed-policy';
import { OrdersMysqlConnectorRole } from '../lib/orders-mysql';
import { RdsMysqlConnectorRole, RdsMysqlConnectorRoleProps } from '../lib/rds-mysql';

/** What a stack needs of a connector role construct. */
interface ConnectorRole {
  readonly roleArn: string;
}

/** A stack of the host app that holds one connector role, its ARN the output `RoleArn`. */
class ConnectorStack extends Stack {
  constructor(scope: Construct, id: string, role: (stack: Stack) => ConnectorRole, props?: StackProps) {
    super(scope, id, props);
    new CfnOutput(this, 'RoleArn', { value: role(this).roleArn });
  }
}

const app = new App();
// The open role's props, as the host app's own configuration gives them.
const open = app.node.tryGetContext('rdsMysql') as RdsMysqlConnectorRoleProps;
new ConnectorStack(app, 'Open', (stack) => new RdsMysqlConnectorRole(stack, 'ConnectorRole', open));
new ConnectorStack(app, 'Bound', (stack) => new OrdersMysqlConnectorRole(stack, 'ConnectorRole'));
new ConnectorStack(app, 'Managed', (stack) => new ManagedPolicyConnectorRole(stack, 'ConnectorRole'));
