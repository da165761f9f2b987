import { Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { DomainName, HttpApi, HttpStage, LogGroupLogDestination, SecurityPolicy } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

export interface IngestApiProps {
  readonly receiver: IFunction;
  readonly throttle: { readonly rateLimit: number; readonly burstLimit: number };
  readonly logRetention: RetentionDays;
  /** @default - the execute-api endpoint only */
  readonly customDomain?: { readonly domainName: string; readonly certificateArn: string };
}

/**
 * What API Gateway knows of each request, one JSON line per request. Headers are left out on purpose: the
 * Authorization header carries the ingest token.
 */
const ACCESS_LOG_FIELDS = {
  requestId: '$context.requestId',
  ip: '$context.identity.sourceIp',
  requestTime: '$context.requestTimeEpoch',
  method: '$context.httpMethod',
  path: '$context.path',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  integrationStatus: '$context.integrationStatus',
  integrationLatency: '$context.integrationLatency',
  integrationError: '$context.integrationErrorMessage',
};

/**
 * The HTTP API in front of the receiver. Every route goes to the one function through `$default`: OTLP
 * clients choose their own paths (Codex posts metrics to /v1/logs and to /), and the receiver reads the
 * signal from the body. The stage throttles, so a runaway client meets 429 before it meets the Lambda bill.
 */
export class IngestApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly accessLogs: LogGroup;
  readonly domain?: DomainName;
  /** The base URL clients are given: the custom domain when there is one. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: IngestApiProps) {
    super(scope, id);
    this.api = new HttpApi(this, 'Api', {
      description: 'seatmeter OTLP/HTTP ingest',
      defaultIntegration: new HttpLambdaIntegration('Receiver', props.receiver),
      createDefaultStage: false,
    });
    if (props.customDomain !== undefined) {
      this.domain = new DomainName(this, 'Domain', {
        domainName: props.customDomain.domainName,
        certificate: Certificate.fromCertificateArn(this, 'Certificate', props.customDomain.certificateArn),
        securityPolicy: SecurityPolicy.TLS_1_2,
      });
    }
    this.accessLogs = new LogGroup(this, 'AccessLogs', { retention: props.logRetention });
    this.stage = this.api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: props.throttle,
      accessLogSettings: { destination: new LogGroupLogDestination(this.accessLogs), format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)) },
      ...(this.domain === undefined ? {} : { domainMapping: { domainName: this.domain } }),
    });
    this.url = this.domain === undefined ? this.api.apiEndpoint : `https://${props.customDomain?.domainName}`;

    Validations.of(this.api).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason: 'The receiver authenticates every request itself (Bearer or Basic token against the ingest secret), the way OTLP exporters send credentials; an API Gateway authorizer would check the same token twice.',
    });
  }
}
