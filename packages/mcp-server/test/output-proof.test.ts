import type { CallToolResult } from '@modelcontextprotocol/server';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { LOCAL_PRINCIPAL } from '../src/auth/principal.js';
import type { McpConfig } from '../src/config.js';
import {
  BalanceRecord,
  checkedRecordSchema,
  ProvisioningApi,
  SubscriberRecord,
} from '../src/ocs/provisioning-api.js';
import { closeRuntime, getRuntime } from '../src/runtime.js';
import { callTool } from '../src/tool-kit/call-tool.js';
import { type ToolDefinition, tool, toolGroup } from '../src/tool-kit/define-tool.js';
import type { ToolCallRequest } from '../src/tool-kit/invoke-tool.js';
import { entityOutput } from '../src/tool-kit/outputs.js';
import { ALL_TOOLS } from '../src/tools/index.js';
import { testConfig } from './helpers.js';

/**
 * The tools/call path (callTool, which both fast paths run) skips a tool's output schema only where
 * the provisioning API already checked the same record against the same schema, and nowhere else:
 * structuredContent still conforms to the outputSchema, and a non-conforming answer is refused as
 * before.
 */

const RECORD = {
  subscriberId: 'sub-1',
  msisdn: '436601234567',
  currentState: 'active',
  personalInfo: { firstName: 'Anna' },
};

const config: McpConfig = testConfig('http://127.0.0.1:9/ocs/prov/v1');
const runtime = getRuntime(config);
/** What every OCS call answers in this file (a fresh copy per call). */
let answer: { status: number; body: unknown } = { status: 200, body: RECORD };
runtime.http.request = async () => ({ status: answer.status, body: structuredClone(answer.body) });

const request: ToolCallRequest = {
  id: 1,
  meta: undefined,
  signal: undefined,
  headers: undefined,
  canElicit: false,
};

const getSubscriber = ALL_TOOLS.find((t) => t.name === 'get_subscriber');
if (!getSubscriber) throw new Error('get_subscriber is not defined');

afterEach(() => {
  answer = { status: 200, body: RECORD };
  vi.restoreAllMocks();
});
afterAll(() => closeRuntime(config));

const outputValidations = (def: { outputSchema: { '~standard': { validate: unknown } } }) =>
  vi.spyOn(def.outputSchema['~standard'] as { validate: (v: unknown) => unknown }, 'validate');

/** One tools/call of `def` as the local principal, through the tool kit's callTool. */
const call = async (def: ToolDefinition, args: Record<string, unknown>) =>
  (await callTool(def, args, request, runtime, LOCAL_PRINCIPAL)) as CallToolResult;

describe('the output schema is not run twice on an OCS record', () => {
  it('get_subscriber returns the record it parsed at the boundary, unchecked again, and it conforms', async () => {
    const validate = outputValidations(getSubscriber);
    const result = await call(getSubscriber, { subscriberId: 'sub-1' });
    expect(result.isError).toBeUndefined();
    expect(result.structuredContent).toMatchObject({ subscriber: RECORD });
    expect(validate).not.toHaveBeenCalled();
    // What was skipped would have passed: the MCP guarantee holds.
    expect(getSubscriber.outputSchema.safeParse(result.structuredContent).success).toBe(true);
  });

  it('an OCS answer that is not a subscriber is still refused, as a bad response naming the OCS', async () => {
    answer = { status: 200, body: { subscriberId: 'sub-1', currentState: 'active' } };
    const result = await call(getSubscriber, { subscriberId: 'sub-1' });
    expect(result.isError).toBe(true);
    expect(result.structuredContent).toBeUndefined();
    expect(JSON.stringify(result.content)).toContain('The OCS returned an unexpected subscriber response');
  });

  it('a parsed record cannot be changed afterwards, so it still passes the schema that checked it', async () => {
    const api = new ProvisioningApi(runtime.http, { transactionId: 'tx' });
    const record = await api.getSubscriber('sub-1');
    expect(checkedRecordSchema(record)).toBe(SubscriberRecord);
    expect(() => {
      (record as { msisdn: unknown }).msisdn = 42;
    }).toThrow(TypeError);
    expect(SubscriberRecord.safeParse(record).success).toBe(true);
    // A copy is another object: nothing vouches for it.
    expect(checkedRecordSchema({ ...record })).toBeUndefined();
  });
});

describe('every other result still goes through the output schema', () => {
  const [unchecked] = toolGroup(getSubscriber.toolset, [
    tool({
      name: 'unchecked_subscriber',
      title: 'Unchecked',
      description: 'Returns a subscriber it did not get from the provisioning API.',
      input: z.object({ subscriberId: z.string() }),
      output: entityOutput('subscriber', SubscriberRecord),
      effect: 'read',
      // Results that break the declared output type on purpose: the schema must catch them.
      async run(args, { ocs }): Promise<never> {
        if (args.subscriberId === 'copy')
          return { subscriber: { ...(await ocs.getSubscriber('sub-1')), msisdn: 7 } } as never;
        if (args.subscriberId === 'balance')
          // A record the boundary checked, but against another schema.
          return {
            subscriber: await ocs.createBalance('sub-1', { offerId: 'o', balanceType: 'DATA' } as never),
          } as never;
        return { subscriber: { subscriberId: 'sub-1', currentState: 'active' } } as never;
      },
    }),
  ]);
  if (!unchecked) throw new Error('no tool defined');

  it('a record made by the tool itself is validated, and refused when it does not conform', async () => {
    const validate = outputValidations(unchecked);
    const result = await call(unchecked, { subscriberId: 'made' });
    expect(validate).toHaveBeenCalledTimes(1);
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result.content)).toContain(
      'Output validation error: Invalid structured content for tool unchecked_subscriber',
    );
  });

  it('a changed copy of a checked record is validated and refused', async () => {
    const result = await call(unchecked, { subscriberId: 'copy' });
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result.content)).toContain('Output validation error');
  });

  it('a record checked against another schema (a balance under `subscriber`) is validated and refused', async () => {
    answer = { status: 201, body: { balanceId: 'b1', subscriptionId: 'sub-1' } };
    const validate = outputValidations(unchecked);
    const result = await call(unchecked, { subscriberId: 'balance' });
    expect(checkedRecordSchema(answer.body)).toBeUndefined();
    expect(validate).toHaveBeenCalledTimes(1);
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result.content)).toContain('Output validation error');
    expect(BalanceRecord).not.toBe(SubscriberRecord);
  });
});
