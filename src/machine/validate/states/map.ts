// Map (spec "Map State" and the Step Functions guide). Inline mode runs here; the distributed
// mode's features (ItemReader, ItemBatcher, ResultWriter, Label, Mode DISTRIBUTED) are validated
// for shape so templates stay portable, and flagged with one WARNING because this engine does
// not run them.

import {
  checkEnum,
  checkExclusive,
  checkInteger,
  checkPathField,
  checkReferencePathField,
  checkString,
  checkUnknownFields,
} from "../checks.ts";
import type { StateCheck } from "../context.ts";
import { at, type Diagnostics } from "../diagnostics.ts";
import { describe, has, isObject, type JsonObject } from "../json.ts";
import { checkObjectTemplate, checkPayloadTemplate } from "../payload-template.ts";

const READER_FIELDS = new Set(["Resource", "Parameters", "ReaderConfig"]);
export const READER_CONFIG_FIELDS = new Set([
  "InputType",
  "CSVHeaderLocation",
  "CSVHeaders",
  "CSVDelimiter",
  "ManifestType",
  "MaxItems",
  "MaxItemsPath",
]);
const BATCHER_FIELDS = new Set([
  "MaxItemsPerBatch",
  "MaxItemsPerBatchPath",
  "MaxInputBytesPerBatch",
  "MaxInputBytesPerBatchPath",
  "BatchInput",
]);
const WRITER_FIELDS = new Set(["Resource", "Parameters", "WriterConfig"]);
const DISTRIBUTED_FIELDS = ["ItemReader", "ItemBatcher", "ResultWriter", "Label"] as const;

export function checkMap({ ctx, state, pointer }: StateCheck): void {
  const diags = ctx.diags;
  checkExclusive(diags, state, pointer, ["ItemProcessor", "Iterator"]);
  checkExclusive(diags, state, pointer, ["ItemSelector", "Parameters"]);
  checkExclusive(diags, state, pointer, ["MaxConcurrency", "MaxConcurrencyPath"]);
  checkExclusive(diags, state, pointer, ["ToleratedFailurePercentage", "ToleratedFailurePercentagePath"]);
  checkExclusive(diags, state, pointer, ["ToleratedFailureCount", "ToleratedFailureCountPath"]);
  checkPathField(diags, state, "ItemsPath", pointer, false);
  checkObjectTemplate(diags, state, "ItemSelector", pointer);
  checkInteger(diags, state, "MaxConcurrency", pointer, 0);
  checkInteger(diags, state, "ToleratedFailureCount", pointer, 0);
  for (const key of ["MaxConcurrencyPath", "ToleratedFailurePercentagePath", "ToleratedFailureCountPath"]) {
    checkReferencePathField(diags, state, key, pointer);
  }
  const percentage = state.ToleratedFailurePercentage;
  if (percentage !== undefined && (typeof percentage !== "number" || percentage < 0 || percentage > 100)) {
    diags.error(
      "INVALID_VALUE",
      at(pointer, "ToleratedFailurePercentage"),
      "ToleratedFailurePercentage must be a number from 0 to 100",
    );
  }
  checkString(diags, state, "Label", pointer);
  checkItemReader(diags, state, pointer);
  checkItemBatcher(diags, state, pointer);
  checkSection(diags, state, "ResultWriter", pointer, WRITER_FIELDS);

  const processor = state.ItemProcessor ?? state.Iterator;
  const key = has(state, "ItemProcessor") ? "ItemProcessor" : "Iterator";
  if (processor === undefined) {
    diags.error("MISSING_FIELD", pointer, 'A Map state requires "ItemProcessor" (or the older "Iterator")');
    return;
  }
  if (isObject(processor) && key === "ItemProcessor")
    checkProcessorConfig(diags, processor, at(pointer, key));
  ctx.scope(
    processor,
    at(pointer, key),
    key === "ItemProcessor" ? "item processor" : "iterator",
    isDistributed(processor),
  );
  warnDistributed(diags, state, pointer);
}

export function checkProcessorConfig(diags: Diagnostics, processor: JsonObject, pointer: string): void {
  const config = processor.ProcessorConfig;
  if (config === undefined) return;
  const p = at(pointer, "ProcessorConfig");
  if (!isObject(config)) {
    diags.error("INVALID_TYPE", p, `ProcessorConfig must be an object, not ${describe(config)}`);
    return;
  }
  checkUnknownFields(diags, config, p, new Set(["Mode", "ExecutionType"]), "ProcessorConfig");
  checkEnum(diags, config, "Mode", p, ["INLINE", "DISTRIBUTED"]);
  checkEnum(diags, config, "ExecutionType", p, ["STANDARD", "EXPRESS"]);
}

/** Checks an optional object field's shape and its payload templates; returns it when present. */
function checkSection(
  diags: Diagnostics,
  state: JsonObject,
  key: string,
  pointer: string,
  fields: ReadonlySet<string>,
): JsonObject | undefined {
  const section = state[key];
  if (section === undefined) return undefined;
  const p = at(pointer, key);
  if (!isObject(section)) {
    diags.error("INVALID_TYPE", p, `${key} must be an object, not ${describe(section)}`);
    return undefined;
  }
  checkUnknownFields(diags, section, p, fields, key);
  checkString(diags, section, "Resource", p);
  if (has(section, "Parameters")) checkPayloadTemplate(diags, section.Parameters, at(p, "Parameters"));
  return section;
}

function checkItemReader(diags: Diagnostics, state: JsonObject, pointer: string): void {
  const reader = checkSection(diags, state, "ItemReader", pointer, READER_FIELDS);
  const config = reader?.ReaderConfig;
  if (config === undefined) return;
  const p = at(at(pointer, "ItemReader"), "ReaderConfig");
  if (!isObject(config)) {
    diags.error("INVALID_TYPE", p, `ReaderConfig must be an object, not ${describe(config)}`);
    return;
  }
  checkUnknownFields(diags, config, p, READER_CONFIG_FIELDS, "ReaderConfig");
  checkExclusive(diags, config, p, ["MaxItems", "MaxItemsPath"]);
  checkInteger(diags, config, "MaxItems", p, 0);
  checkReferencePathField(diags, config, "MaxItemsPath", p);
  checkEnum(diags, config, "CSVHeaderLocation", p, ["FIRST_ROW", "GIVEN"]);
}

export function checkItemBatcher(diags: Diagnostics, state: JsonObject, pointer: string): void {
  const batcher = checkSection(diags, state, "ItemBatcher", pointer, BATCHER_FIELDS);
  if (!batcher) return;
  const p = at(pointer, "ItemBatcher");
  checkExclusive(diags, batcher, p, ["MaxItemsPerBatch", "MaxItemsPerBatchPath"]);
  checkExclusive(diags, batcher, p, ["MaxInputBytesPerBatch", "MaxInputBytesPerBatchPath"]);
  checkInteger(diags, batcher, "MaxItemsPerBatch", p, 1);
  checkInteger(diags, batcher, "MaxInputBytesPerBatch", p, 1, 262_144);
  checkReferencePathField(diags, batcher, "MaxItemsPerBatchPath", p);
  checkReferencePathField(diags, batcher, "MaxInputBytesPerBatchPath", p);
  checkObjectTemplate(diags, batcher, "BatchInput", p);
}

/** A processor that runs as a distributed Map's child workflows. */
export const isDistributed = (processor: unknown): boolean =>
  isObject(processor) &&
  isObject(processor.ProcessorConfig) &&
  processor.ProcessorConfig.Mode === "DISTRIBUTED";

export function warnDistributed(diags: Diagnostics, state: JsonObject, pointer: string): void {
  const processor = state.ItemProcessor;
  const config = isObject(processor) ? processor.ProcessorConfig : undefined;
  const distributedMode = isObject(config) && config.Mode === "DISTRIBUTED";
  const feature = DISTRIBUTED_FIELDS.find((key) => has(state, key));
  if (!distributedMode && !feature) return;
  const where = distributedMode
    ? at(at(at(pointer, "ItemProcessor"), "ProcessorConfig"), "Mode")
    : at(pointer, feature ?? "");
  diags.warning(
    "DISTRIBUTED_MAP_UNSUPPORTED",
    where,
    "distributed Map (ItemReader, ItemBatcher, ResultWriter, Mode DISTRIBUTED) is not run by this engine; the state will fail at run time",
  );
}
