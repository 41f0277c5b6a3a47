// CreateStateMachine, UpdateStateMachine, DeleteStateMachine: the same validator, object and
// caches as PUT and DELETE /v1/machines/{name}. What edgestate cannot do is refused by name, never
// accepted and ignored: CloudWatch logging, X-Ray tracing, tags, customer-managed KMS keys, version
// descriptions.
import { z } from "@hono/zod-openapi";
import { type AwsResult, awsFail, awsOk } from "../../../aws/errors";
import { epochSeconds } from "../../../aws/timestamps";
import { MACHINE_NAME } from "../../../core/names";
import { supportedResource } from "../../../executions/resources";
import type { StateMachineDefinition } from "../../../machine/engine";
import { validateDefinitionText } from "../../../machine/validate/index.ts";
import { machineStub } from "../../../objects/names";
import { cacheDefinition, forgetSpan } from "../../routes/machines/definition-cache";
import type { Action } from "../action";
import { type AwsCall, machineRef } from "../call";
import { awsErrorOf } from "../failures";
import { arn, decode, jsonString } from "../members";
import { machineArnOf } from "../shapes";

const logging = z
  .object({
    level: z.enum(["ALL", "ERROR", "FATAL", "OFF"]).optional(),
    includeExecutionData: z.boolean().optional(),
    destinations: z.array(z.unknown()).optional(),
  })
  .strict()
  .optional();
const tracing = z.object({ enabled: z.boolean().optional() }).strict().optional();
const encryption = z
  .object({
    type: z.enum(["AWS_OWNED_KEY", "CUSTOMER_MANAGED_KMS_KEY"]),
    kmsKeyId: z.string().optional(),
    kmsDataKeyReusePeriodSeconds: z.number().int().optional(),
  })
  .strict()
  .optional();
const common = {
  roleArn: z.string().min(1).max(256),
  loggingConfiguration: logging,
  tracingConfiguration: tracing,
  publish: z.boolean().optional(),
  versionDescription: z.string().max(256).optional(),
  encryptionConfiguration: encryption,
};

type Extras = {
  loggingConfiguration?: z.infer<typeof logging>;
  tracingConfiguration?: z.infer<typeof tracing>;
  encryptionConfiguration?: z.infer<typeof encryption>;
  versionDescription?: string;
  tags?: unknown[];
};

function unsupported(m: Extras): AwsResult<never> | null {
  const log = m.loggingConfiguration;
  if (log && ((log.level !== undefined && log.level !== "OFF") || (log.destinations?.length ?? 0) > 0)) {
    return awsFail(
      "InvalidLoggingConfiguration",
      "edgestate sends no logs to CloudWatch: the logging level must be OFF.",
    );
  }
  if (m.tracingConfiguration?.enabled)
    return awsFail("InvalidTracingConfiguration", "edgestate has no X-Ray tracing.");
  if (m.encryptionConfiguration?.type === "CUSTOMER_MANAGED_KMS_KEY") {
    return awsFail(
      "InvalidEncryptionConfiguration",
      "edgestate encrypts with its own keys (ENCRYPTION_KEYS); customer-managed KMS keys are not supported.",
    );
  }
  if ((m.tags?.length ?? 0) > 0) return awsFail("ValidationException", "edgestate keeps no tags.");
  if (m.versionDescription !== undefined)
    return awsFail("ValidationException", "edgestate keeps no version descriptions.");
  return null;
}

/** The definition as the REST PUT stores it: validated, then canonical JSON text. */
function validated(text: string): AwsResult<{ text: string; definition: StateMachineDefinition }> {
  const verdict = validateDefinitionText(text, { supportedResources: supportedResource });
  if (!verdict.valid) {
    const errors = verdict.diagnostics.filter((d) => d.severity === "ERROR");
    const listed = errors.map((d) => `${d.code} at ${d.pointer || "/"}: ${d.message}`).join("; ");
    return awsFail("InvalidDefinition", `Invalid State Machine Definition: '${listed}'`);
  }
  return awsOk({
    text: JSON.stringify(verdict.definition),
    definition: verdict.definition as StateMachineDefinition,
  });
}

async function put(
  call: AwsCall,
  machine: string,
  mode: "create" | "update",
  definition: { text: string; definition: StateMachineDefinition } | undefined,
  roleArn: string | undefined,
  type?: "STANDARD" | "EXPRESS",
) {
  const { tenant } = call;
  const reply = await machineStub(call.env, tenant, machine).put(
    { tenant, machine },
    {
      requestId: call.requestId,
      mode,
      ...(definition ? { definition: definition.text } : {}),
      settings: { ...(type ? { type } : {}), ...(roleArn === undefined ? {} : { roleArn }) },
    },
  );
  forgetSpan(tenant, machine);
  const { outcome } = reply;
  if (outcome.ok && definition) {
    const { version, createdAt } = outcome.value;
    cacheDefinition(tenant, machine, {
      version,
      createdAt,
      text: definition.text,
      definition: definition.definition,
    });
  }
  return outcome;
}

export const createStateMachine: Action = {
  scope: "write",
  async run(call, input) {
    const schema = z
      .object({
        name: z.string().min(1).max(80),
        definition: jsonString(1_048_576),
        type: z.enum(["STANDARD", "EXPRESS"]).optional(),
        tags: z.array(z.unknown()).optional(),
        ...common,
      })
      .strict();
    const decoded = decode(schema, input);
    if (!decoded.ok) return decoded;
    const m = decoded.value;
    if (!MACHINE_NAME.test(m.name)) return awsFail("InvalidName", `Invalid Name: '${m.name}'`);
    const refused = unsupported(m);
    if (refused) return refused;
    const definition = validated(m.definition);
    if (!definition.ok) return definition;
    const outcome = await put(call, m.name, "create", definition.value, m.roleArn, m.type ?? "STANDARD");
    if (!outcome.ok)
      return { ok: false, error: awsErrorOf(outcome, { kind: "machine", arn: machineArnOf(call, m.name) }) };
    const { version, createdAt } = outcome.value;
    return awsOk({
      stateMachineArn: machineArnOf(call, m.name),
      creationDate: epochSeconds(createdAt),
      ...(m.publish ? { stateMachineVersionArn: machineArnOf(call, m.name, version) } : {}),
    });
  },
};

export const updateStateMachine: Action = {
  scope: "write",
  async run(call, input) {
    const schema = z.object({
      stateMachineArn: arn,
      definition: jsonString(1_048_576).optional(),
      ...common,
      roleArn: common.roleArn.optional(),
    });
    const decoded = decode(schema.strict(), input);
    if (!decoded.ok) return decoded;
    const m = decoded.value;
    const ref = machineRef(call, m.stateMachineArn);
    if (!ref.ok) return ref;
    if (ref.value.version !== undefined)
      return awsFail("ValidationException", "A state machine version cannot be updated.");
    const refused = unsupported(m);
    if (refused) return refused;
    const anything = [
      m.definition,
      m.roleArn,
      m.loggingConfiguration,
      m.tracingConfiguration,
      m.encryptionConfiguration,
    ];
    if (anything.every((v) => v === undefined)) {
      return awsFail(
        "MissingRequiredParameter",
        "Either the definition, the role ARN, the LoggingConfiguration, the EncryptionConfiguration or the TracingConfiguration must be specified",
      );
    }
    const definition = m.definition === undefined ? undefined : validated(m.definition);
    if (definition && !definition.ok) return definition;
    const outcome = await put(call, ref.value.machine, "update", definition?.value, m.roleArn);
    if (!outcome.ok)
      return { ok: false, error: awsErrorOf(outcome, { kind: "machine", arn: m.stateMachineArn }) };
    const { version, changedAt } = outcome.value;
    return awsOk({
      updateDate: epochSeconds(changedAt),
      revisionId: String(version),
      ...(m.publish ? { stateMachineVersionArn: machineArnOf(call, ref.value.machine, version) } : {}),
    });
  },
};

export const deleteStateMachine: Action = {
  scope: "write",
  async run(call, input) {
    const decoded = decode(z.object({ stateMachineArn: arn }).strict(), input);
    if (!decoded.ok) return decoded;
    const ref = machineRef(call, decoded.value.stateMachineArn);
    // Deleting what does not exist succeeds, as in Step Functions: afterwards it does not exist.
    if (!ref.ok) return ref.error.name === "StateMachineDoesNotExist" ? awsOk({}) : ref;
    if (ref.value.version !== undefined) {
      return awsFail(
        "ValidationException",
        "edgestate keeps every version of a machine while it exists: delete the machine.",
      );
    }
    const { tenant } = call;
    const machine = ref.value.machine;
    const reply = await machineStub(call.env, tenant, machine).remove(
      { tenant, machine },
      { requestId: call.requestId },
    );
    forgetSpan(tenant, machine);
    const { outcome } = reply;
    if (!outcome.ok && outcome.code !== "not_found") {
      return {
        ok: false,
        error: awsErrorOf(outcome, { kind: "machine", arn: decoded.value.stateMachineArn }),
      };
    }
    return awsOk({});
  },
};
