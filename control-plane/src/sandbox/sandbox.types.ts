import { GraphQLJSON, GraphQLJSONObject } from 'graphql-scalars';
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { toGlobalId } from '../common/global-id';
import { Node } from '../common/node.types';
import type { SandboxRunEntity, SyncTestCaseEntity } from './sandbox.entities';

export enum SandboxMode { DRY_RUN = 'DRY_RUN', SANDBOX_TARGET = 'SANDBOX_TARGET', LIVE_PROBE = 'LIVE_PROBE' }
registerEnumType(SandboxMode, {
  name: 'SandboxMode',
  valuesConfig: {
    DRY_RUN: { description: 'Fetch, filter, map and check for changes; the request to the target is built and signed but not sent' },
    SANDBOX_TARGET: { description: "Sent to the sync's sandbox target (setSyncSandboxTarget), e.g. a test database" },
    LIVE_PROBE: { description: 'One real delivery to the real target, recorded as this probe run (not in the delivery log)' },
  },
});

export enum SandboxRunStatus { PENDING = 'pending', PASSED = 'passed', FAILED = 'failed', ERROR = 'error' }
registerEnumType(SandboxRunStatus, {
  name: 'SandboxRunStatus',
  valuesConfig: {
    PENDING: { description: 'Waiting for a worker (one that never answered leaves it so)' },
    PASSED: { description: 'Test case: the mapped payload equals the expected one. Otherwise: no step failed' },
    FAILED: { description: 'A step failed, or the mapped payload differs from the expected one' },
    ERROR: { description: 'The run could not be carried out' },
  },
});

export enum ActivationCheckStatus { PASSED = 'passed', NO_TEST_CASES = 'no_test_cases', OVERRIDDEN = 'overridden' }
registerEnumType(ActivationCheckStatus, {
  name: 'ActivationCheckStatus',
  valuesConfig: {
    PASSED: { description: "Every test case of the sync passed a sandbox run of this version" },
    NO_TEST_CASES: { description: 'The sync has no test cases: activated without a check (see warning)' },
    OVERRIDDEN: { description: 'Activated without the check by an admin-scoped token, with a reason (audited)' },
  },
});

@InputType({ description: 'The sample a sandbox run starts from: an entity id to fetch (NOTIFY syncs) or a record as pushed (PUSH syncs)' })
export class SandboxSampleInput {
  @Field({ nullable: true, description: 'NOTIFY: the id the source is asked for' }) entityId?: string;
  @Field(() => GraphQLJSONObject, { nullable: true, description: 'PUSH: the record as the origin would post it' }) record?: Record<string, unknown>;
}

@ObjectType()
export class SandboxStepError {
  @Field() message: string;
  @Field(() => Int, { nullable: true, description: 'Character offset in the JSONata expression (filter and transform)' }) position: number | null;
}

@ObjectType({ description: 'One pipeline step of a sandbox run' })
export class SandboxStep {
  @Field({ description: 'receive, fetch, filter, transform, change_detection or deliver' }) step: string;
  @Field(() => GraphQLJSON, { nullable: true, description: 'The record fetched, the filter value, the mapped payload, the change verdict, or the delivery result' }) output: unknown;
  @Field(() => Int) durationMs: number;
  @Field(() => SandboxStepError, { nullable: true }) error: SandboxStepError | null;
}

@ObjectType()
export class SandboxResponse {
  @Field(() => Int, { nullable: true }) status: number | null;
  @Field({ description: 'The first 2,000 characters' }) body: string;
  @Field(() => String, { nullable: true }) error: string | null;
}

@ObjectType({ description: 'A request of a sandbox run exactly as sent (or, in a dry run, as it would be), secrets redacted' })
export class SandboxRequest {
  @Field() method: string;
  @Field({ description: 'With the query string' }) url: string;
  @Field(() => GraphQLJSONObject, { description: 'Credential values shown as [REDACTED]' }) headers: Record<string, string>;
  @Field(() => GraphQLJSON, { nullable: true }) body: unknown;
  @Field(() => String, { nullable: true, description: 'OAuth 1.0a (RFC 5849 §3.4.1) signature base string, when that scheme signed it' }) signatureBaseString: string | null;
  @Field({ description: 'false: a dry run built and signed it but did not send it' }) sent: boolean;
  @Field(() => SandboxResponse, { nullable: true }) response: SandboxResponse | null;
}

@ObjectType({ implements: Node, description: 'A run of the real pipeline of one sync version on a sample' })
export class SandboxRun extends Node {
  @Field(() => ID) syncId: string;
  @Field(() => Int) version: number;
  @Field(() => SandboxMode) mode: SandboxMode;
  @Field(() => SandboxRunStatus) status: SandboxRunStatus;
  @Field(() => String, { nullable: true, description: 'What live would record: would_deliver (dry run), delivered, filtered, unchanged, superseded, held or failed' }) outcome: string | null;
  @Field(() => String, { nullable: true, description: 'Why it failed, or why nothing would be sent' }) reason: string | null;
  @Field(() => GraphQLJSON) input: unknown;
  @Field(() => GraphQLJSON, { nullable: true, description: 'The mapped payload' }) mapped: unknown;
  @Field(() => GraphQLJSON, { nullable: true, description: 'Set when the run checked a test case' }) expected: unknown;
  @Field(() => ID, { nullable: true }) testCaseId: string | null;
  @Field(() => [SandboxStep]) steps: SandboxStep[];
  @Field(() => [SandboxRequest]) requests: SandboxRequest[];
  @Field() createdAt: Date;
  @Field(() => Date, { nullable: true }) finishedAt: Date | null;

  static from(e: SandboxRunEntity): SandboxRun {
    return Object.assign(new SandboxRun(), {
      id: toGlobalId('SandboxRun', e.id), syncId: toGlobalId('Sync', e.syncId), version: e.version, mode: e.mode as SandboxMode,
      status: e.status as SandboxRunStatus, outcome: e.outcome, reason: e.reason, input: e.input, mapped: e.mapped ?? null,
      expected: e.expected ?? null, testCaseId: e.testCaseId ? toGlobalId('SyncTestCase', e.testCaseId) : null,
      steps: e.steps as SandboxStep[], requests: e.requests as SandboxRequest[], createdAt: e.createdAt, finishedAt: e.finishedAt,
    });
  }
}

@ObjectType({ implements: Node, description: 'A sample and the mapped payload it must give; activation runs them all' })
export class SyncTestCase extends Node {
  @Field(() => ID) syncId: string;
  @Field() name: string;
  @Field(() => GraphQLJSON) input: unknown;
  @Field(() => GraphQLJSON) expected: unknown;
  @Field() createdAt: Date;

  static from(e: SyncTestCaseEntity): SyncTestCase {
    return Object.assign(new SyncTestCase(), {
      id: toGlobalId('SyncTestCase', e.id), syncId: toGlobalId('Sync', e.syncId), name: e.name, input: e.input, expected: e.expected, createdAt: e.createdAt,
    });
  }
}

@InputType()
export class CreateSyncTestCaseInput {
  @Field(() => ID) syncId: string;
  @Field() name: string;
  @Field(() => SandboxSampleInput) input: SandboxSampleInput;
  @Field(() => GraphQLJSON, { description: 'The mapped payload the sample must produce (key order does not matter)' }) expected: unknown;
  @Field({ nullable: true, description: 'Retrying with the same key returns the first result and creates nothing' }) idempotencyKey?: string;
}

@InputType({ description: 'Activate without running the test cases (admin scope); the reason is kept in the audit log' })
export class ActivationOverrideInput {
  @Field() reason: string;
}

@ObjectType({ description: 'What the activation gate decided for a version' })
export class ActivationCheck {
  @Field(() => ActivationCheckStatus) status: ActivationCheckStatus;
  @Field(() => String, { nullable: true }) warning: string | null;
  @Field(() => String, { nullable: true }) overrideReason: string | null;
  @Field(() => [ID], { description: 'The sandbox runs that checked the test cases' }) runIds: string[];

  static from(raw: Record<string, unknown> | null): ActivationCheck | null {
    if (!raw) return null;
    return Object.assign(new ActivationCheck(), {
      status: raw.status as ActivationCheckStatus, warning: (raw.warning as string) ?? null, overrideReason: (raw.overrideReason as string) ?? null,
      runIds: ((raw.runIds as string[]) ?? []).map((id) => toGlobalId('SandboxRun', id)),
    });
  }
}
