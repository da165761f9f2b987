import { Validations } from 'aws-cdk-lib';
import type { CfnSecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

/** Alphanumeric, so the token survives headers, Basic auth and shells unquoted; far past the parser's 16. */
const TOKEN_LENGTH = 40;

/**
 * The pipeline's secrets; no value of any of them passes through context, the environment or the template.
 *
 * The ingest credentials are generated at deploy as `{"id":"initial","token":"<40 alphanumerics>"}`, the
 * single-credential form the receiver accepts besides `{"credentials":[…]}` (Secrets Manager can generate a
 * key only at the top level of the JSON).
 *
 * The Okta, Anthropic, Slack and GitHub secrets are created *empty*: a secret with no value at all, not a stand-in value. Reading
 * one before the operator fills it fails with ResourceNotFoundException, which no caller can mistake for a
 * credential (a generated or sentinel value could be sent to Okta as a token); and since the template holds no
 * value, a later `cdk deploy` never overwrites what the operator put there.
 */
export class PipelineSecrets extends Construct {
  readonly ingestCredentials: Secret;
  readonly okta: Secret;
  readonly anthropicAdminKey: Secret;
  readonly slackWebhook: Secret;
  readonly gitHub: Secret;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.ingestCredentials = new Secret(this, 'IngestCredentials', {
      description: 'seatmeter ingest credentials: {"id","token"} or {"credentials":[{"id","token","user_email"?},…]}',
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ id: 'initial' }),
        generateStringKey: 'token',
        passwordLength: TOKEN_LENGTH,
        excludePunctuation: true,
        includeSpace: false,
      },
    });
    this.okta = emptySecret(this, 'Okta', 'seatmeter Okta API access, filled by the operator: {"api_token"} (SSWS) or {"client_id","private_key","key_id"?} (OAuth service app)');
    this.anthropicAdminKey = emptySecret(this, 'AnthropicAdminKey', 'seatmeter Anthropic Admin API key (sk-ant-admin…), filled by the operator');
    this.slackWebhook = emptySecret(this, 'SlackWebhook', 'seatmeter default Slack incoming webhook for budget alerts, filled by the operator: the URL, or {"webhook_url"}');
    this.gitHub = emptySecret(this, 'GitHub', 'seatmeter GitHub read access for feature attribution, filled by the operator: {"token","repos":"owner/name,…","login_emails"?:{"login":"email"}}');

    Validations.of(this.ingestCredentials).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: 'Ingest tokens are handed to developers by hand; rotation is the documented overlap (add the new credential, hand it out, drop the old), which an automatic rotation would break.',
    });
    for (const secret of [this.okta, this.anthropicAdminKey, this.slackWebhook, this.gitHub]) {
      Validations.of(secret).acknowledge({
        id: 'AwsSolutions-SMG4',
        reason: 'These keys are issued in the Okta, Anthropic, Slack and GitHub consoles; no rotation function can mint them, so the operator rotates them there and puts the new value.',
      });
    }
  }
}

function emptySecret(scope: Construct, id: string, description: string): Secret {
  const secret = new Secret(scope, id, { description });
  // The L2 always asks Secrets Manager to generate a value; without one, CloudFormation creates the secret empty.
  (secret.node.defaultChild as CfnSecret).addPropertyDeletionOverride('GenerateSecretString');
  return secret;
}
