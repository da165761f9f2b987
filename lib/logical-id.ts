import { CfnElement, Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * The logical id of a CloudFormation element, or of an L2 construct's own resource, resolved as it appears in
 * the template and in cdk-nag findings (`Resource::<LogicalId.Arn>/…`): a suppression then names the one
 * resource it is about.
 */
export function logicalIdOf(construct: IConstruct): string {
  const element = CfnElement.isCfnElement(construct) ? construct : construct.node.defaultChild;
  if (!CfnElement.isCfnElement(element)) throw new Error(`${construct.node.path} has no CloudFormation resource`);
  const stack = Stack.of(construct);
  return stack.resolve(stack.getLogicalId(element)) as string;
}
