import { SecretRedactor } from '@ocsai/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OtlpReceiver, startOtlpReceiver } from '../../../test/support/otlp-receiver.js';
import {
  contentCapture,
  executeToolAttributes,
  inferenceAttributes,
  startTracing,
  withSpan,
} from '../src/index.js';

const SECRET = 'sk-proj-FAKEopenaiKEY0123456789';
const OCS_KEY = 'ocs-api-key-0123456789abcdef';
const redactor = new SecretRedactor([SECRET, OCS_KEY]);

let receiver: OtlpReceiver;
beforeAll(async () => {
  receiver = await startOtlpReceiver();
});
afterAll(async () => {
  await receiver.close();
});

describe('GenAI content capture', () => {
  it('is off by default: no content attribute at all', () => {
    const capture = contentCapture({ redactor, env: {} });
    expect(capture.enabled).toBe(false);
    expect(capture.inputMessages([{ role: 'user', content: 'hello' }])).toEqual({});
    expect(capture.toolArguments({ msisdn: '46700000001' })).toEqual({});
    expect(contentCapture({ redactor, env: { OTEL_GENAI_CAPTURE_CONTENT: 'yes' } }).enabled).toBe(false);
  });

  it('with OTEL_GENAI_CAPTURE_CONTENT=true, content is exported redacted: no secret in any exported span', async () => {
    const env = { OTEL_GENAI_CAPTURE_CONTENT: 'true', OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint };
    const capture = contentCapture({ redactor, env });
    expect(capture.enabled).toBe(true);
    const tracing = await startTracing({ serviceName: 'ocs-router', env });
    const messages = [
      { role: 'user', parts: [{ type: 'text', content: `my key is ${SECRET}, balance please` }] },
    ];
    withSpan(
      'chat gpt-fake',
      {
        kind: 'client',
        attributes: {
          ...inferenceAttributes({ provider: 'openai', requestModel: 'gpt-fake' }),
          ...capture.inputMessages(messages),
          ...capture.outputMessages([
            { role: 'assistant', parts: [{ type: 'text', content: `echo ${SECRET}` }] },
          ]),
        },
      },
      () => {
        withSpan(
          'execute_tool get_balance',
          {
            attributes: {
              ...executeToolAttributes({ toolName: 'get_balance', callId: 'c1' }),
              ...capture.toolArguments({ msisdn: '46700000001', [OCS_KEY]: OCS_KEY }),
              ...capture.toolResult({ content: [{ type: 'text', text: `token ${OCS_KEY}` }] }),
            },
          },
          () => {},
        );
      },
    );
    await tracing.shutdown();

    const raw = receiver.rawBodies().join('\n');
    expect(raw).not.toContain(SECRET);
    expect(raw).not.toContain(OCS_KEY);
    const chat = receiver.spans().find((s) => s.name === 'chat gpt-fake')!;
    expect(JSON.parse(String(chat.attributes['gen_ai.input.messages']))).toEqual([
      { role: 'user', parts: [{ type: 'text', content: 'my key is [redacted], balance please' }] },
    ]);
    const tool = receiver.spans().find((s) => s.name === 'execute_tool get_balance')!;
    expect(JSON.parse(String(tool.attributes['gen_ai.tool.call.arguments']))).toEqual({
      msisdn: '46700000001',
      '[redacted]': '[redacted]',
    });
    expect(String(tool.attributes['gen_ai.tool.call.result'])).toContain('token [redacted]');
  });

  it('cuts long content after redacting, so a secret at the cut does not survive as its prefix', () => {
    const capture = contentCapture({ redactor, env: { OTEL_GENAI_CAPTURE_CONTENT: 'true' } });
    const long = `${'x'.repeat(16_380)}${SECRET}`;
    const value = String(capture.toolResult(long)['gen_ai.tool.call.result']);
    expect(value).not.toContain(SECRET.slice(0, 8));
    expect(value.length).toBeLessThanOrEqual(16_385);
  });
});
