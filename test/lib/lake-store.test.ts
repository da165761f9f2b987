/**
 * The stack with `seatmeter:store=lake`: no Timestream anywhere, the Firehose stream and its Glue tables, and
 * least privilege on both sides of it (the receiver may only put to its stream; Firehose may only write its
 * prefixes and read its table's schema).
 */
import type { IConstruct } from 'constructs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAKE_COLUMNS } from '../../lambdas/store/lake/layout.ts';
import type { LakeStore } from '../../lib/lake-store.ts';
import { logicalIdOf } from '../../lib/logical-id.ts';
import { synthSeatmeterApp } from '../support/cdk-app.ts';
import type { SynthesizedApp } from '../support/cdk-app.ts';

let synthesized: SynthesizedApp;
beforeAll(() => {
  synthesized = synthSeatmeterApp({ context: { 'seatmeter:store': 'lake' } });
}, 180_000);
afterAll(() => synthesized.dispose());

type Resource = { Type: string; Properties?: Record<string, unknown> };
const template = () => synthesized.template.toJSON() as { Resources: Record<string, Resource>; Outputs: Record<string, unknown> };
const resourceOf = (construct: IConstruct) => template().Resources[logicalIdOf(construct)] as Resource;
const lake = () => synthesized.stack.pipeline.lake as LakeStore;
const policyOf = (role: IConstruct) =>
  Object.values(template().Resources).filter((resource) => resource.Type === 'AWS::IAM::Policy' && JSON.stringify(resource.Properties?.Roles) === JSON.stringify([{ Ref: logicalIdOf(role) }]));

describe('the lake deployment', () => {
  it('has no Timestream resource, permission or output', () => {
    const json = JSON.stringify(template());
    expect(Object.values(template().Resources).filter((resource) => resource.Type.startsWith('AWS::Timestream::'))).toEqual([]);
    expect(json).not.toContain('timestream:');
    expect(Object.keys(template().Outputs)).toEqual(expect.arrayContaining(['LakeBucket', 'LakeDatabase', 'LakeStream']));
    expect(Object.keys(template().Outputs)).not.toContain('TimestreamDatabase');
    expect(synthesized.stack.pipeline.timestream).toBeUndefined();
  });

  it('delivers through Firehose: rows split, partitioned by their day, converted to Parquet with the table\'s schema', () => {
    const stream = resourceOf(lake().stream).Properties as { ExtendedS3DestinationConfiguration: Record<string, unknown>; DeliveryStreamEncryptionConfigurationInput: unknown };
    const destination = stream.ExtendedS3DestinationConfiguration;
    expect(destination.Prefix).toBe('events_raw/dt=!{partitionKeyFromQuery:dt}/');
    expect(destination).toMatchObject({
      DynamicPartitioningConfiguration: { Enabled: true },
      ProcessingConfiguration: {
        Enabled: true,
        Processors: [
          { Type: 'RecordDeAggregation', Parameters: [{ ParameterName: 'SubRecordType', ParameterValue: 'JSON' }] },
          { Type: 'MetadataExtraction', Parameters: [{ ParameterName: 'MetadataExtractionQuery', ParameterValue: '{dt: .dt}' }, { ParameterName: 'JsonParsingEngine', ParameterValue: 'JQ-1.6' }] },
        ],
      },
      DataFormatConversionConfiguration: { Enabled: true, OutputFormatConfiguration: { Serializer: { ParquetSerDe: { Compression: 'SNAPPY' } } }, SchemaConfiguration: { TableName: 'events_raw' } },
      BufferingHints: { SizeInMBs: 64 },
    });
    expect(stream.DeliveryStreamEncryptionConfigurationInput).toEqual({ KeyType: 'AWS_OWNED_CMK' });
    const raw = resourceOf(lake().rawTable).Properties as { TableInput: { StorageDescriptor: { Columns: { Name: string }[] }; PartitionKeys: { Name: string }[] } };
    expect(raw.TableInput.StorageDescriptor.Columns.map((column) => column.Name)).toEqual(LAKE_COLUMNS.map((column) => column.name));
    expect(raw.TableInput.PartitionKeys.map((key) => key.Name)).toEqual(['dt']);
    expect((resourceOf(lake().view).Properties as { TableInput: { TableType: string; Name: string } }).TableInput).toMatchObject({ TableType: 'VIRTUAL_VIEW', Name: 'events' });
  });

  it('lets the receiver put only to its stream, and Firehose write only its two prefixes', () => {
    const receiverRole = synthesized.stack.pipeline.receiver.node.findChild('Role');
    const statements = policyOf(receiverRole).flatMap((policy) => (policy.Properties?.PolicyDocument as { Statement: { Sid: string; Action: unknown; Resource: unknown }[] }).Statement);
    const firehoseStatements = statements.filter((statement) => JSON.stringify(statement.Action).includes('firehose:'));
    expect(firehoseStatements).toEqual([{ Sid: 'PutRecords', Effect: 'Allow', Action: 'firehose:PutRecordBatch', Resource: { 'Fn::GetAtt': [logicalIdOf(lake().stream), 'Arn'] } }]);
    const delivery = policyOf(lake().deliveryRole).flatMap((policy) => (policy.Properties?.PolicyDocument as { Statement: { Sid: string; Resource: unknown }[] }).Statement);
    const writes = delivery.find((statement) => statement.Sid === 'WriteRecordsAndErrors');
    expect(JSON.stringify(writes?.Resource)).toContain('/events_raw/*');
    expect(JSON.stringify(writes?.Resource)).toContain('/delivery-errors/*');
    expect((writes?.Resource as unknown[]).length).toBe(2);
    const rollupRole = synthesized.stack.pipeline.rollup.node.findChild('Role');
    const rollup = policyOf(rollupRole).flatMap((policy) => (policy.Properties?.PolicyDocument as { Statement: { Action: unknown }[] }).Statement);
    expect(JSON.stringify(rollup)).not.toContain('firehose:');
    expect(JSON.stringify(rollup)).toContain('athena:StartQueryExecution');
  });

  it('sets the receiver and the rollup to the lake', () => {
    const env = (fn: IConstruct) => (resourceOf(fn).Properties?.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(env(synthesized.stack.pipeline.receiver.function)).toMatchObject({ SEATMETER_STORE: 'lake', SEATMETER_LAKE_STREAM: { Ref: logicalIdOf(lake().stream) } });
    expect(env(synthesized.stack.pipeline.rollup.function)).toMatchObject({ SEATMETER_STORE: 'lake' });
    expect(env(synthesized.stack.pipeline.rollup.function).SEATMETER_LAKE_STREAM).toBeUndefined();
  });

  it('alarms on stale, throttled and unconverted deliveries', () => {
    const alarms = Object.values(template().Resources).filter((resource) => resource.Type === 'AWS::CloudWatch::Alarm' && resource.Properties?.Namespace === 'AWS/Firehose');
    expect(alarms.map((alarm) => [alarm.Properties?.MetricName, alarm.Properties?.Threshold, alarm.Properties?.Dimensions])).toEqual(
      ['DeliveryToS3.DataFreshness', 'ThrottledRecords', 'FailedConversion.Records'].map((name, index) => [name, [900, 1, 1][index], [{ Name: 'DeliveryStreamName', Value: { Ref: logicalIdOf(lake().stream) } }]]),
    );
  });

  it('is cdk-nag clean', () => {
    expect(new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(synthesized.app).violations).toEqual([]);
  });
});
