import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { AlertDeliveryError } from '../../lambdas/budgets/alerts/alert-channels.ts';
import { SnsTopicChannel, snsSubject } from '../../lambdas/sns/topic-channel.ts';

const sns = mockClient(SNSClient);
beforeEach(() => sns.reset());
afterAll(() => sns.restore());
const ARN = 'arn:aws:sns:eu-west-1:123456789012:seatmeter-alerts';

describe('SnsTopicChannel', () => {
  it('publishes the subject SNS accepts and the text', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm1' });
    await new SnsTopicChannel(new SNSClient({}), ARN).deliver({ subject: 'Budget "payments" passed 70 % — 72 % used\nnow', text: 'body', blocks: [] });
    expect(sns.commandCalls(PublishCommand)[0]?.args[0].input).toEqual({ TopicArn: ARN, Subject: 'Budget "payments" passed 70 % 72 % used now', Message: 'body' });
  });

  it('cuts a long subject under 100 characters', () => {
    expect(snsSubject('x'.repeat(300))).toHaveLength(99);
  });

  it('turns a refusal into a delivery failure to record and raise', async () => {
    sns.on(PublishCommand).rejects(Object.assign(new Error('Topic does not exist'), { name: 'NotFoundException' }));
    const delivery = new SnsTopicChannel(new SNSClient({}), ARN).deliver({ subject: 's', text: 't', blocks: [] });
    await expect(delivery).rejects.toThrow(AlertDeliveryError);
    await expect(delivery).rejects.toThrow('NotFoundException: Topic does not exist');
  });
});
